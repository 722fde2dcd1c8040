# SPDX-License-Identifier: GPL-2.0-or-later
# Declared failures ([expect CHECK]) with tiny scenarios: a malformed
# declaration is refused before anything boots (exit 2, FILE:LINE); a
# declared failure that happens with its diagnosis is an expected failure and
# the run passes (exit 0); one that passes (XPASS), fails with another
# diagnosis, or names no test that ran fails the run (exit 1) saying what was
# declared and what was seen, in every report. Two boots; the kernel's own
# KTAP parser reads results.ktap, the host's view.
. "$TESTS_DIR/lib.sh"

# 1. Refused at load, each with its line and the fix.
refused() { # NAME LINE-AND-MESSAGE, scenario text on stdin
	local s
	s=$(scenario "$1")
	run_scenario "$s"
	expect_rc 2
	expect_output "$s:$2"
}
refused no-diagnosis "4: \[expect mmc.identity\] has no diagnosis: add 'diagnosis = '" <<'INI'
[scenario]
name = no-diagnosis

[expect mmc.identity]
result = fail
INI
refused empty-diagnosis "6: \[expect mmc.identity\] diagnosis is empty: write the words" <<'INI'
[scenario]
name = empty-diagnosis

[expect mmc.identity]
result = fail
diagnosis =
INI
refused result-pass "5: \[expect mmc.identity\] result = 'pass': write result = fail" <<'INI'
[scenario]
name = result-pass

[expect mmc.identity]
result = pass
diagnosis = product name
INI
refused bad-name "4: \[expect mmc identity\]: 'mmc identity' is not a test name" <<'INI'
[scenario]
name = bad-name

[expect mmc identity]
result = fail
diagnosis = product name
INI
refused match-all "6: \[expect mmc.identity\] diagnosis = '\*' matches any line" <<'INI'
[scenario]
name = match-all

[expect mmc.identity]
result = fail
diagnosis = *
INI
refused unknown-key "6: \[expect mmc.identity\]: unknown key 'diagnostic'" <<'INI'
[scenario]
name = unknown-key

[expect mmc.identity]
result = fail
diagnostic = product name
INI

# 2. The declared failure happens with its diagnosis: XFAIL, exit 0.
s=$(scenario xfail <<'INI'
[scenario]
name = xfail
[device sd0]
type = sd-card
size = 16M
expect_name = WRONG

[expect mmc.identity]
result = fail
reason = the card is named QEMU!, the scenario says WRONG on purpose
diagnosis = sd0: /dev/mmcblk0: expected product name * saw *QEMU!
INI
)
run_scenario "$s"
expect_rc 0
expect_output "XFAIL    mmc.identity  (expected failure: the card is named QEMU!, the scenario says WRONG on purpose)"
expect_output "scenario xfail: PASS (.* passed, 0 failed, 1 expected failure, 0 unexpected passes"
expect_file_has "$OUT/results.ktap" "^ok [0-9]* mmc.identity # XFAIL the card is named QEMU!"
# ktap.log stays what the guest sent: the failure as it happened.
expect_file_has "$OUT/ktap.log" "^not ok [0-9]* mmc.identity$"
python3 - "$OUT" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
t = {t["name"]: t for t in r["ktap"]["tests"]}["mmc.identity"]
assert t["status"] == "fail" and t["verdict"] == "xfail", t
x = t["expectation"]
assert x["met"] and x["declared_at"].endswith("xfail.ini:8"), x
assert x["matched"][0].startswith("FAIL sd0: /dev/mmcblk0: expected product name"), x
assert r["counts"]["xfail"] == 1 and r["counts"]["failed"] == 0 and r["verdict"] == "PASS", r["counts"]
suite = ET.parse(f"{out}/junit.xml").getroot().find("testsuite")
assert suite.get("failures") == "0", suite.attrib
case = suite.find("testcase[@name='mmc.identity']")
assert case.find("failure") is None, ET.tostring(case)
props = {p.get("name"): p.get("value") for p in case.iter("property")}
assert props["declared_at"].endswith("xfail.ini:8") and "WRONG on purpose" in props["expected_failure"], props
assert case.find("system-out").text.startswith("expected failure (XFAIL): [expect mmc.identity]"), case.find("system-out").text
PY
if [ -n "${KUNIT_PY:-}" ]; then
	python3 "$KUNIT_PY" parse "$OUT/results.ktap" >"$TMP/kunit.out" 2>&1 || { cat "$TMP/kunit.out"; fail "kunit.py rejected results.ktap of a passing run"; }
	grep -q "Testing complete. Ran [0-9]* tests: passed: [0-9]*" "$TMP/kunit.out" || fail "kunit.py: no summary"
	! grep -q "failed: [1-9]" "$TMP/kunit.out" || fail "kunit.py counts the expected failure as a failure"
fi

# 3. Unexpected pass, another diagnosis, a name no test has: exit 1, each said.
s=$(scenario wrong <<'INI'
[scenario]
name = wrong
[device sd0]
type = sd-card
size = 16M
expect_name = WRONG

[expect mmc.identity]
result = fail
diagnosis = expected manufacturer id

[expect agent.config]
result = fail
diagnosis = cannot read

[expect mmc.identiy]
result = fail
diagnosis = product name
INI
)
run_scenario "$s"
expect_rc 1
expect_output "FAIL     mmc.identity"
expect_output "\[expect mmc.identity\] ($s:8) declares a failure with 'expected manufacturer id' (line 10), but no failure line matches it: the test failed with 'FAIL sd0: /dev/mmcblk0: expected product name"
expect_output "XPASS    agent.config  (unexpected pass)"
expect_output "\[expect agent.config\] ($s:12) declares a failure with 'cannot read' (line 14), but the test passed"
expect_output "FAIL     mmc.identiy"
expect_output "\[expect mmc.identiy\] ($s:16) declares a failure, but no test of that name ran (did you mean mmc.identity?)"
expect_output "scenario wrong: FAIL (.* passed, 2 failed, 0 expected failures, 1 unexpected pass,"
python3 - "$OUT" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
v = {t["name"]: t["verdict"] for t in r["ktap"]["tests"]}
assert v["mmc.identity"] == "fail" and v["agent.config"] == "xpass", v
x = {x["check"]: x for x in r["expectations"]}
assert not x["mmc.identiy"]["test_ran"] and x["mmc.identiy"]["verdict"] == "fail", x["mmc.identiy"]
assert x["mmc.identity"]["matched"] == [None], x["mmc.identity"]
c = r["counts"]
assert c["failed"] == 2 and c["xpass"] == 1 and c["xfail"] == 0 and r["verdict"] == "FAIL", c
suite = ET.parse(f"{out}/junit.xml").getroot().find("testsuite")
assert suite.get("failures") == "3", suite.attrib
for name, kind in (("mmc.identity", "fail"), ("agent.config", "xpass"), ("mmc.identiy", "fail")):
    f = suite.find(f"testcase[@name='{name}']/failure")
    assert f is not None and f.get("type") == kind and f.get("message").startswith(f"[expect {name}]"), name
PY
expect_file_has "$OUT/results.ktap" "^not ok [0-9]* agent.config # XPASS declared in \[expect agent.config\]"
expect_file_has "$OUT/results.ktap" "^not ok [0-9]* mmc.identiy$"
if [ -n "${KUNIT_PY:-}" ]; then
	python3 "$KUNIT_PY" parse "$OUT/results.ktap" >"$TMP/kunit.out" 2>&1 || true
	cat "$TMP/kunit.out"
	grep -q "Testing complete. Ran .* failed: 3" "$TMP/kunit.out" || fail "kunit.py did not see the three failures in results.ktap"
fi
