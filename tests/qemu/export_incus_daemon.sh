# `guestcheck export --incus` loaded by the real Incus 6.0 (incus-base and
# incus-client from bookworm-backports, installed by `make deps` through
# setup/install-backports, beside Debian 12's QEMU 7.2). incusd is started by
# hand with all its state in a private INCUS_DIR. Incus must accept every
# exported key of default, usbnet-hotplug and usbnet-remap-incus-fixed, each
# loaded as its first lines say. Incus compiles raw.qemu.scriptlet with its
# own Starlark: a broken scriptlet must be rejected, or the acceptance means
# nothing. On a host without /dev/kvm Incus refuses to create any VM: the
# test asserts Incus's own words.
. "$TESTS_DIR/lib.sh"
start=$(date +%s)
incusd=/usr/libexec/incus/incusd
[ -x "$incusd" ] && command -v incus >/dev/null ||
	fail "Incus is not installed: run 'make deps' (incus-base and incus-client from bookworm-backports)"
qemu_pkg=$(dpkg-query -W -f='${Version}' qemu-system-x86)
case $qemu_pkg in 1:7.2+*) ;; *) fail "qemu-system-x86 is $qemu_pkg, not Debian 12's 7.2: installing Incus must not replace it" ;; esac
incus_version=$(dpkg-query -W -f='${Version}' incus-base)
echo "incus-base $incus_version, qemu-system-x86 $qemu_pkg"

for s in default usbnet-hotplug usbnet-remap-incus-fixed; do
	"$GUESTCHECK" export --incus "$TESTS_DIR/../scenarios/$s.ini" --accel tcg -o "$TMP/$s" >/dev/null ||
		fail "export --incus $s"
done

# A unix socket path holds 108 bytes: keep INCUS_DIR short.
INCUS_DIR=$(mktemp -d /tmp/gc-incus.XXXXXX)
export INCUS_DIR
pid=
stop_incusd() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	# incusd's own tmpfs mounts (shmounts, guestapi) outlive it.
	awk -v d="$INCUS_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts | xargs -r umount
	rm -rf "$INCUS_DIR"
}
at_exit stop_incusd
# The unpacked QEMU 10.0 first in incusd's PATH (Incus looks qemu-system-x86_64
# up there; without /dev/kvm it stops before it does). Its daily fetch of
# instance types from images.linuxcontainers.org goes to a closed local port.
qemu_path=
[ -x "${GUESTCHECK_QEMU_NEW:-}" ] && qemu_path=$(dirname "$GUESTCHECK_QEMU_NEW"):
PATH=$qemu_path$PATH HTTPS_PROXY=http://127.0.0.1:9 \
	"$incusd" --group root --logfile "$INCUS_DIR/incusd.log" >"$INCUS_DIR/incusd.out" 2>&1 &
pid=$!
"$incusd" waitready --timeout=30 ||
	{ cat "$INCUS_DIR/incusd.out"; fail "incusd did not become ready in 30 s"; }
incus admin init --preseed <<'EOF' || fail "incus admin init --preseed"
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root: {path: /, pool: default, type: disk}
EOF
incus version

# Each export as its first lines say: a profile, then the VM on it. Incus
# checks a profile's config with the same per-key validators as an
# instance's (raw.qemu.scriptlet compiled by its Starlark against the
# functions it gives a QEMU scriptlet), and stores it. Without /dev/kvm
# incusd marks its qemu driver not operational when it starts, and refuses
# every VM at creation.
for s in default usbnet-hotplug usbnet-remap-incus-fixed; do
	yaml=$TMP/$s/$s.incus.yaml
	sed -n 's/^#   \(incus .*\)$/\1/p' "$yaml" | sed "s|THIS_FILE|$yaml|; s|NAME|gc-$s|" >"$TMP/$s.steps"
	[ "$(wc -l <"$TMP/$s.steps")" -eq 3 ] || { cat "$yaml"; fail "the $s export does not say how to load it"; }
	head -n 2 "$TMP/$s.steps" >"$TMP/$s.profile"
	sh -e "$TMP/$s.profile" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "Incus rejects the $s export"; }
	incus profile show "guestcheck-$s" >"$TMP/$s.shown"
	python3 - "$yaml" "$TMP/$s.shown" <<'PY' || fail "Incus did not store the $s export as written"
import sys, yaml
want = yaml.safe_load(open(sys.argv[1]))["config"]
got = yaml.safe_load(open(sys.argv[2]))["config"]
assert got == want, (sorted(want), sorted(got))
print(sys.argv[1].rsplit("/", 1)[1], "accepted:", ", ".join(sorted(got)))
PY
	set +e
	sh -e -c "$(tail -n 1 "$TMP/$s.steps")" >"$TMP/init" 2>&1
	RC=$?
	set -e
	cat "$TMP/init"
	if [ -e /dev/kvm ]; then
		[ "$RC" -eq 0 ] || fail "Incus did not create the $s VM on a host with /dev/kvm"
		continue
	fi
	[ "$RC" -ne 0 ] || fail "Incus created a VM on a host without /dev/kvm"
	grep -qx 'Error: Failed creating instance record: Instance type "virtual-machine" is not supported on this server: KVM support is missing (no /dev/kvm)' "$TMP/init" ||
		fail "Incus refused the VM for another reason than the missing /dev/kvm"
done
[ -e /dev/kvm ] ||
	grep -q 'msg="Instance type not operational" driver=qemu err="KVM support is missing (no /dev/kvm)"' "$INCUS_DIR/incusd.log" ||
	fail "incusd's log does not say why its qemu driver is not operational"
grep -q 'raw.qemu.scriptlet' "$TMP/usbnet-hotplug.shown" || fail "usbnet-hotplug's scriptlet was not loaded"
grep -q 'remap_to_usb_net_fixed("dev-incus_eth0"' "$TMP/usbnet-remap-incus-fixed.shown" ||
	fail "the corrected remap was not loaded"

# What Incus's acceptance is worth. A scriptlet naming a function Incus does
# not give, or a qemu_hook with other arguments than Incus passes, is rejected ...
python3 - "$TMP/usbnet-remap-incus-fixed/usbnet-remap-incus-fixed.incus.yaml" "$TMP" <<'PY'
import sys, yaml
src = yaml.safe_load(open(sys.argv[1]))["config"]["raw.qemu.scriptlet"]
assert src.count("run_qmp(") == 1 and "def qemu_hook(instance, stage):" in src, src
open(sys.argv[2] + "/undefined.star", "w").write(src.replace("run_qmp(", "run_qmpx("))
open(sys.argv[2] + "/arity.star", "w").write(src.replace("def qemu_hook(instance, stage):", "def qemu_hook(instance, stage, when):"))
PY
incus profile create gc-broken >/dev/null
if incus profile set gc-broken raw.qemu.scriptlet="$(cat "$TMP/undefined.star")" 2>"$TMP/err"; then
	fail "Incus accepted a scriptlet that calls an undefined function"
fi
cat "$TMP/err"
grep -q '^Error: qemu:[0-9]*:[0-9]*: undefined: run_qmpx$' "$TMP/err" || fail "Incus rejected the broken scriptlet for another reason"
if incus profile set gc-broken raw.qemu.scriptlet="$(cat "$TMP/arity.star")" 2>"$TMP/err"; then
	fail "Incus accepted a qemu_hook with a third argument"
fi
cat "$TMP/err"
grep -q 'the required function "qemu_hook" defines arguments \["instance" "stage" "when"\] (expected \["instance" "stage"\])' "$TMP/err" ||
	fail "Incus rejected the qemu_hook for another reason"
# ... while raw.qemu and raw.qemu.conf are stored unread (Incus parses them
# when it starts the VM): their proof is the QEMU boot in export_formats.sh.
incus profile set gc-broken raw.qemu.conf='[[[ not a config' ||
	fail "Incus now checks raw.qemu.conf when it is set: say so in the README"

echo "Incus $(incus version | sed -n 's/^Server version: //p') accepted the exports in $(($(date +%s) - start)) s"
