# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# A run set over two QEMUs, Debian 12's (7.2) and the backports' (10.0): the
# same scenario boots under each, the jobs are named by QEMU version, and the
# version is in every report: the progress line, each job's summary line,
# results.json and junit.xml, the set's summary, results.json, junit.xml and
# report.html.
. "$TESTS_DIR/lib.sh"
new=${GUESTCHECK_QEMU_NEW:-}
[ -n "$new" ] || skip "GUESTCHECK_QEMU_NEW is unset: make test sets it to the unpacked QEMU 10"
[ -x "$new" ] || fail "GUESTCHECK_QEMU_NEW=$new is not executable: run make platforms"
old=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 missing: make deps installs qemu-system-x86"
version() { "$1" -version | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\.*[0-9]*\).*/\1/p'; }
vold=$(version "$old"); vnew=$(version "$new")
[ -n "$vold" ] && [ -n "$vnew" ] && [ "$vold" != "$vnew" ] || fail "versions '$vold' and '$vnew'"
file=$(scenario alpha <<'INI'
[scenario]
name = alpha
[device sd0]
type = sd-card
size = 16M
INI
)
set +e
"$GUESTCHECK" run "$file" --qemu "$old" --qemu "$new" --accel tcg -j 1 -o "$TMP/set" >"$TMP/out" 2>&1
rc=$?
set -e
cat "$TMP/out"
[ $rc -eq 0 ] || fail "the QEMU matrix exited $rc"
grep -q "run set: 2 jobs: 2 passed (0 flaky), 0 failed, 0 errors in .*, QEMU .*$vnew" "$TMP/out" &&
	grep -q "run set: .*, QEMU .*$vold" "$TMP/out" || fail "the set's summary lacks a QEMU version"
for v in "$vold" "$vnew"; do
	job=$TMP/set/alpha@qemu-$v
	[ -d "$job" ] || fail "no job alpha@qemu-$v"
	expect_file_has "$job/runner.log" "alpha: booting under tcg (kernel .*, QEMU $v)"
	expect_file_has "$job/runner.log" "scenario alpha: PASS (.*) in .*s under tcg, QEMU $v"
	expect_file_has "$job/junit.xml" "<property name=\"qemu_version\" value=\"$v\"/>"
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["qemu_version"]==sys.argv[2] and r["verdict"]=="PASS", r["qemu_version"]' \
		"$job/results.json" "$v" || fail "alpha@qemu-$v: results.json"
	expect_file_has "$TMP/set/report.html" "QEMU $v ("
done
python3 - "$TMP/set" "$vold" "$vnew" <<'PY'
import json, sys, xml.etree.ElementTree as ET
d, vold, vnew = sys.argv[1:]
jobs = {j["name"]: j for j in json.load(open(f"{d}/results.json"))["jobs"]}
assert sorted(jobs) == sorted([f"alpha@qemu-{vold}", f"alpha@qemu-{vnew}"]), jobs
assert all(jobs[f"alpha@qemu-{v}"]["qemu_version"] == v for v in (vold, vnew)), jobs
suites = {s.get("name"): {p.get("name"): p.get("value") for p in s.find("properties")}
          for s in ET.parse(f"{d}/junit.xml").getroot().findall("testsuite")}
assert all(suites[f"alpha@qemu-{v}"]["qemu_version"] == v for v in (vold, vnew)), suites
PY
