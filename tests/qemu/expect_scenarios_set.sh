# SPDX-License-Identifier: GPL-2.0-or-later
# scenarios/ as shipped runs green as a set: every scenario exits 0, the two
# here that demonstrate failures (sdhci-pci-novoltage, sdhci-zcu102-misplaced)
# pass with their declared failures as expected failures, and the set's
# reports and `merge` say so. The usb-net remap scenarios are each run as
# shipped, exit 0 asserted, by a test of their own (named below, checked
# here): run again in the set they cost two minutes of CI and proved nothing
# more. The set takes about 3 minutes here under TCG on 2 cores.
# No retries: every job must pass at its first attempt, under the load of
# two guests on two shared cores (a failed job's runner.log is printed).
. "$TESTS_DIR/lib.sh"
kernel=${GUESTCHECK_A64_KERNEL:-}
[ -n "$kernel" ] && [ -r "$kernel" ] || skip "no arm64 kernel: run through make test (make aarch64 unpacks it)"
command -v qemu-system-aarch64 >/dev/null || skip "qemu-system-aarch64 missing: make deps installs qemu-system-arm"
build=$(cd "${BUILD:-build}" && pwd)

# The scenarios name the default build's files (../build/...): this build's instead.
mkdir "$TMP/scenarios"
declare -A own_test=(
	[usbnet-remap]=usbnet_remap [usbnet-remap-incus]=usbnet_remap_incus
	[usbnet-remap-fixed]=usbnet_remap_fixed [usbnet-remap-incus-fixed]=usbnet_remap_incus_fixed
	[usbnet-remap-release]=usbnet_remap_release
)
for f in "$TESTS_DIR"/../scenarios/*.ini; do
	name=$(basename "$f" .ini)
	if [ -n "${own_test[$name]:-}" ]; then
		t=$TESTS_DIR/qemu/${own_test[$name]}.sh
		grep -q "run_scenario \"\$TESTS_DIR/\.\./scenarios/$name.ini\"" "$t" && grep -q '^expect_rc 0' "$t" ||
			fail "$name is left to ${own_test[$name]}, which no longer runs it as shipped"
		continue
	fi
	sed "s|\.\./build/|$build/|" "$f" >"$TMP/scenarios/$name.ini"
done
# Each scenario picks its own kernel (the aarch64 ones their [machine] kernel):
# no single kernel or image for all from the environment.
# One guest at a time: usbnet-user's 1000 probes/s beside a second TCG guest
# on a 2-core host lose echoes between QEMU's user networking and the guest
# (15-25% measured instead of the injected 12.5%, in bursts while the guest
# was seconds behind schedule; suspected: QEMU's slirp socket overflowing
# while QEMU is starved, not yet proven; README, "Supported platforms", (b)).
# That is a measurement the runner cannot yet attribute, not what this test is
# about; run sets in parallel are tested by runset_shards_matrix.
set +e
env -u GUESTCHECK_KERNEL -u GUESTCHECK_INITRAMFS \
	"$GUESTCHECK" run "$TMP/scenarios" -j 1 --accel tcg -o "$TMP/set" \
	>"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
grep -v '^\[' "$TMP/stdout" "$TMP/stderr" || true
# Nothing written to what is inspected: every file the scenarios name was
# hashed before the set (tests/guestcheck-inspected), compared now.
n=$(cat "$INSPECTED_DIR"/run.?????? | grep -c -e '\.dtb$' -e 'vmlinuz' -e 'installer-hdd-only\.img$')
[ "$n" -ge 4 ] || fail "only $n kernels, device trees and installers hashed: guestcheck-inspected reads the scenarios wrong"
check_inspected
for log in "$TMP/set"/*/runner.log; do
	grep -q '^scenario .*: PASS' "$log" && continue
	echo "--- $log"; grep -v '^\[' "$log" | tail -n 40
done
expect_rc 0
n=$(ls "$TMP/scenarios"/*.ini | wc -l)
expect_output "run set: $n jobs: $n passed (0 flaky), 0 failed, 0 errors"
expect_output "^PASS     sdhci-pci-novoltage .* 0 failed, 7 expected failures,"
expect_output "^PASS     sdhci-zcu102-misplaced .* 0 failed, 8 expected failures,"
expect_output "expected failures: 15 in 2 jobs"

check_set() { # DIR: the set's (or merged) results.json, junit.xml and report.html
	python3 - "$1" <<'PY'
import json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
jobs = {j["name"]: j for j in json.load(open(f"{d}/results.json"))["jobs"]}
assert all(j["verdict"] == "PASS" and j["exit_status"] == 0 and j["attempts"] == 1
           for j in jobs.values()), jobs
xfail = {n: j["counts"]["xfail"] for n, j in jobs.items() if j["counts"]["xfail"]}
assert xfail == {"sdhci-pci-novoltage": 7, "sdhci-zcu102-misplaced": 8}, xfail
root = ET.parse(f"{d}/junit.xml").getroot()
assert root.get("failures") == "0" and root.get("errors") == "0", root.attrib
props = [p for p in root.iter("property") if p.get("name") == "expected_failure"]
assert len(props) == 15, len(props)
html = open(f"{d}/report.html").read()
assert html.count('<td class="xfail">xfail</td>') == 15, "report.html: not 15 xfail rows"
PY
}
check_set "$TMP/set"
"$GUESTCHECK" merge -o "$TMP/merged" "$TMP/set" >"$TMP/merge.out" || { cat "$TMP/merge.out"; fail "merge of a green set did not exit 0"; }
grep -q "expected failures: 15 in 2 jobs" "$TMP/merge.out" || fail "merge's summary lacks the expected failures"
check_set "$TMP/merged"
