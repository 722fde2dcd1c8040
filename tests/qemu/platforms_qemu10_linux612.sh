# SPDX-License-Identifier: GPL-2.0-or-later
# The versions users run: QEMU 10.0 (bookworm-backports, unpacked by make) with
# Linux 6.12 (Debian 12's newest), the default scenario and one shipped
# scenario per area, as a run set, and the aarch64 zcu102 guest on the arm64
# 6.12 kernel. Every job must PASS there as it does on Debian 12's own QEMU 7.2
# and Linux 6.1, and every report must say which QEMU gave the verdict.
. "$TESTS_DIR/lib.sh"
qemu=${GUESTCHECK_QEMU_NEW:-}
k612=${GUESTCHECK_612_KERNEL:-}
[ -n "$qemu" ] && [ -x "$qemu" ] || skip "no QEMU from backports: run through make test (make platforms unpacks it)"
[ -n "$k612" ] && [ -r "$k612" ] || skip "no Linux 6.12: run through make test (make platforms unpacks it)"
want=$("$qemu" -version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
# Beside Debian 12's QEMU it lists its devices in one go (setup/unpack-qemu's
# empty modules keep it from loading 7.2's), so the runner asks it once.
"$qemu" -machine none -device help >"$TMP/devices" 2>"$TMP/devices.err" ||
	{ cat "$TMP/devices.err"; fail "$qemu -device help failed"; }
grep -q '^name "sd-card"' "$TMP/devices" || fail "$qemu -device help lists no sd-card"
release=$(basename "$k612" | sed 's/vmlinuz-//')
scenarios=$TESTS_DIR/../scenarios
# One guest at a time, for the reason expect_scenarios_set.sh gives.

set +e
"$GUESTCHECK" run "$scenarios/default.ini" "$scenarios/mmc-two-cards.ini" \
	"$scenarios/zoned-host-managed.ini" "$scenarios/zoned-host-aware.ini" \
	"$scenarios/usbnet-user.ini" "$scenarios/sdhci-pci.ini" "$scenarios/non-interference-nas.ini" \
	--qemu "$qemu" --kernel "$k612" --accel tcg -j 1 -o "$TMP/set" >"$TMP/out" 2>&1
RC=$?
set -e
cat "$TMP/out"
python3 - "$TMP/set" "$want" "$release" <<'PY'
import json, sys
out, want, release = sys.argv[1:]
jobs = json.load(open(f"{out}/results.json"))["jobs"]
bad = [f"{j['name']}: {j['verdict']}" for j in jobs if j["verdict"] not in ("PASS",)]
assert len(jobs) == 7, [j["name"] for j in jobs]
assert not bad, "not PASS on QEMU %s, Linux %s: %s" % (want, release, "; ".join(bad))
for j in jobs:
    assert j.get("qemu_version") == want, (j["name"], j.get("qemu_version"))
    r = json.load(open(f"{out}/{j['name']}/results.json"))
    assert r.get("qemu_version") == want, (j["name"], r.get("qemu_version"))
    k = r.get("ktap") or {}
    if k.get("guest_kernel"):
        assert k["guest_kernel"] == release, (j["name"], k["guest_kernel"])
print("every job PASS on QEMU", want, "and Linux", release)
PY
expect_rc 0
expect_file_has "$TMP/set/junit.xml" "name=\"qemu_version\" value=\"$want\""
# zoned.views there: the NVMe namespace is a multipath head, read through
# its generic device; the kernel's views and the devices' own reports agree.
zk=$(ls "$TMP"/set/zoned-host-managed*/ktap.log | head -n1)
for d in "zns0 (/dev/nvme0n1)" "sd0 (/dev/sda)"; do
	expect_file_has "$zk" "$d: the views agree: 16 zones of 4 MiB"
done
# zoned.passthrough_mix on QEMU 10's multipath head: the cached write pointers
# are the path's, so BLKREPORTZONE through the head does not resync them; only
# a reset through the block device does (zoned_traps covers QEMU 7.2).
expect_file_has "$zk" "zns0 (/dev/nvme0n1): Linux $release, a regular write after a passthrough operation: reset: stale, only a block-device reset resyncs; write: stale, only a block-device reset resyncs; append: stale, only a block-device reset resyncs; write to an empty zone: in step"
expect_file_has "$zk" "zns0 (/dev/nvme0n1): a multipath head: the cached write pointers are its path nvme0c0n1's"

# aarch64: the zcu102 guest on the arm64 6.12 kernel, under QEMU 10.0's
# qemu-system-aarch64 (the one beside --qemu's binary).
a64=${GUESTCHECK_A64_612_KERNEL:-}
[ -n "$a64" ] && [ -r "$a64" ] || skip "no arm64 Linux 6.12: run through make test"
dt=$(cd "${GUESTCHECK_DT_DIR:-${BUILD:-build}/dt}" && pwd)
sed "s|^dtb = .*/\(.*\.dtb\)$|dtb = $dt/\1|" "$scenarios/sdhci-zcu102.ini" >"$TMP/sdhci-zcu102.ini"
run_scenario "$TMP/sdhci-zcu102.ini" --qemu "$qemu" --kernel "$a64"
expect_rc 0
expect_file_has "$OUT/ktap.log" "hello version=.* kernel=6\.12\..*-arm64"
expect_file_has "$OUT/qemu-cmdline.txt" "qemu-system-aarch64"
python3 -c "import json,sys; v=json.load(open(sys.argv[1])).get('qemu_version'); assert v==sys.argv[2], v" \
	"$OUT/results.json" "$want" || fail "the zcu102 run does not report QEMU $want"
echo "ok"
