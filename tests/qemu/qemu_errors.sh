# SPDX-License-Identifier: GPL-2.0-or-later
# A QEMU or kernel that cannot run a scenario is one line naming the cause and
# the fix, before anything boots and never a hang: exit 2 for what the user
# named (--qemu, $GUESTCHECK_QEMU, --kernel), 3 for what is missing on the
# host or too old. "Too old" is a fake QEMU that prints an old version and a
# short device list, and logs it if anyone tries to boot it.
. "$TESTS_DIR/lib.sh"
unset GUESTCHECK_QEMU
scenarios=$TESTS_DIR/../scenarios
plain=$(scenario plain <<'INI'
[scenario]
name = plain
INI
)
a64=$(scenario a64 <<'INI'
[scenario]
name = a64
[machine]
arch = aarch64
INI
)

# --- a QEMU binary that is not there
run_scenario "$plain" --qemu /nope
expect_rc 2
expect_output "guestcheck: --qemu /nope: No such file or directory: name a QEMU binary, e.g. --qemu /usr/bin/qemu-system-x86_64"
GUESTCHECK_QEMU=/nope run_scenario "$plain"
expect_rc 2
expect_output "guestcheck: GUESTCHECK_QEMU=/nope: No such file or directory: fix it, or unset it for qemu-system-x86_64 from PATH"
mkdir "$TMP/empty"
set +e
PATH=$TMP/empty "$GUESTCHECK" run "$plain" --accel tcg -o "$TMP/nopath" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
cat "$TMP/stdout" "$TMP/stderr"
expect_rc 3
expect_output "guestcheck: qemu-system-x86_64 is not on PATH: install qemu-system-x86 (apt-get install qemu-system-x86) or name a QEMU with --qemu FILE"
run_scenario "$plain" --qemu /bin/true
expect_rc 2
expect_output "/bin/true -version printed no QEMU version (its output starts ''): is it a QEMU binary? Name one with --qemu FILE"
# An aarch64 scenario runs the named QEMU's aarch64 sibling; here there is none.
mkdir "$TMP/x86-only"
ln -s "$(command -v qemu-system-x86_64)" "$TMP/x86-only/qemu-system-x86_64"
# An arm64 kernel: the environment's x86 one would be refused first (kernel_arch_mismatch).
run_scenario "$a64" --qemu "$TMP/x86-only/qemu-system-x86_64" \
	--kernel "${GUESTCHECK_A64_KERNEL:?make test unpacks the arm64 kernel}"
expect_rc 3
expect_output "a64 is an aarch64 scenario: it runs $TMP/x86-only/qemu-system-aarch64, the sibling of --qemu $TMP/x86-only/qemu-system-x86_64, and that is missing (No such file or directory): install qemu-system-arm there too"

# --- a QEMU too old, or without a device
fake() { # NAME VERSION DEVICES...
	local f=$TMP/$1 v=$2; shift 2
	cat >"$f" <<SH
#!/bin/sh
case "\$*" in
*-version*) echo "QEMU emulator version $v (fake)"; exit 0 ;;
*"-device help"*) for d in $*; do echo "name \"\$d\", bus X"; done; exit 0 ;;
esac
echo "booted: \$*" >>"$TMP/booted"
sleep 60
SH
	chmod +x "$f"
}
base="virtio-serial-pci virtserialport qemu-xhci usb-net"
fake qemu-5.2 5.2.0 $base nvme nvme-ns sdhci-pci sd-card
fake qemu-4.2 4.2.1 $base nvme sdhci-pci sd-card
fake qemu-nosd 9.2.0 $base nvme nvme-ns
start=$(date +%s)
run_scenario "$scenarios/zoned-host-managed.ini" --qemu "$TMP/qemu-5.2"
expect_rc 3
expect_output "guestcheck: zoned-host-managed: \[device zns0\] needs zoned NVMe namespaces (nvme-ns with zoned=true), which came with QEMU 6.0; $TMP/qemu-5.2 is QEMU 5.2.0: name a newer QEMU with --qemu FILE"
# The reason is in the reports too (a run set's report.html shows it).
python3 - "$OUT/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verdict"] == "ERROR" and r["qemu_version"] == "5.2.0", r
assert "needs zoned NVMe namespaces" in r["infra_error"], r["infra_error"]
PY
GUESTCHECK_QEMU=$TMP/qemu-4.2 run_scenario "$scenarios/zoned-host-managed.ini"
expect_rc 3
expect_output "\[device zns0\] needs NVMe namespaces (nvme-ns), which came with QEMU 5.2; $TMP/qemu-4.2 is QEMU 4.2.1"
run_scenario "$scenarios/mmc-two-cards.ini" --qemu "$TMP/qemu-nosd"
expect_rc 3
expect_output "mmc-two-cards: \[device emmc\] needs QEMU's sdhci-pci device, and $TMP/qemu-nosd (QEMU 9.2.0) has none (not in its -device help: too old, or built without it): name a QEMU that lists it with --qemu FILE"

# In a run set each job says why it could not run, on the terminal and in report.html.
set +e
"$GUESTCHECK" run "$scenarios/zoned-host-managed.ini" --accel tcg \
	--qemu "$TMP/qemu-5.2" --qemu "$TMP/qemu-4.2" -j 1 -o "$TMP/set" >"$TMP/set.out" 2>&1
rc=$?
set -e
cat "$TMP/set.out"
[ $rc -eq 3 ] || fail "a set of jobs no QEMU can run exited $rc, not 3"
grep -q "guestcheck: zoned-host-managed@qemu-5.2.0: ERROR: zoned-host-managed: \[device zns0\] needs zoned NVMe namespaces" "$TMP/set.out" ||
	fail "the set does not say why zoned-host-managed@qemu-5.2.0 did not run"
grep -q "guestcheck: zoned-host-managed@qemu-4.2.1: ERROR: zoned-host-managed: \[device zns0\] needs NVMe namespaces (nvme-ns), which came with QEMU 5.2" "$TMP/set.out" ||
	fail "the set does not say why zoned-host-managed@qemu-4.2.1 did not run"
grep -q "run set: 2 jobs: 0 passed (0 flaky), 0 failed, 2 errors in .*, QEMU 4.2.1, 5.2.0" "$TMP/set.out" ||
	fail "the set's summary lacks the QEMU versions"
grep -q "needs zoned NVMe namespaces" "$TMP/set/report.html" || fail "report.html lacks the reason"
# Two QEMUs of one version would make two jobs of one name.
set +e
"$GUESTCHECK" run "$plain" --qemu "$TMP/qemu-5.2" --qemu "$TMP/qemu-5.2" -o "$TMP/dup" >"$TMP/dup.out" 2>&1
rc=$?
set -e
cat "$TMP/dup.out"
[ $rc -eq 2 ] && grep -q "are both QEMU 5.2.0: jobs are named by QEMU version: name each version once" "$TMP/dup.out" ||
	fail "two --qemu of one version must be refused"
[ ! -e "$TMP/booted" ] || fail "a QEMU that cannot run the scenario was started: $(cat "$TMP/booted")"
[ $(($(date +%s) - start)) -lt 60 ] || fail "the refusals took a minute: something waited"

# --- a kernel without its modules (no base image for it beside the runner)
k=${GUESTCHECK_KERNEL:-$(ls /boot/vmlinuz-* | head -n1)}
mkdir -p "$TMP/root/boot" "$TMP/bare"
cp "$k" "$TMP/root/boot/vmlinuz-9.9.9-nomodules"
cp "$k" "$TMP/bare/vmlinuz-9.9.9-nomodules"
XDG_CACHE_HOME=$TMP/cache run_scenario "$plain" --kernel "$TMP/root/boot/vmlinuz-9.9.9-nomodules"
expect_rc 2
expect_output "guestcheck: $TMP/root/lib/modules/9.9.9-nomodules is missing: $TMP/root/boot/vmlinuz-9.9.9-nomodules was unpacked without its modules: unpack the whole package beside it (dpkg-deb -x linux-image-9.9.9-nomodules_\*.deb $TMP/root), or set GUESTCHECK_INITRAMFS"
XDG_CACHE_HOME=$TMP/cache run_scenario "$plain" --kernel "$TMP/bare/vmlinuz-9.9.9-nomodules"
expect_rc 2
expect_output "guestcheck: /lib/modules/9.9.9-nomodules is missing: no modules for $TMP/bare/vmlinuz-9.9.9-nomodules (release 9.9.9-nomodules): install linux-image-9.9.9-nomodules, or set GUESTCHECK_INITRAMFS"
