# ci: shared
# The agent's KTAP, from a real guest, is accepted by the kernel's own parser
# (tools/testing/kunit/kunit.py parse, from linux-source-6.12), with the
# pass, fail and skip results the runner saw.
. "$TESTS_DIR/lib.sh"
kunit=${KUNIT_PY:?run through make test}

# kunit.py's "Testing complete. Ran N tests: passed: P[, failed: F][, skipped: S]"
# must match what the runner counted from the same stream.
same_counts() { # results-dir kunit-output
	python3 - "$1/results.json" "$2" <<'PY'
import json, re, sys
c = json.load(open(sys.argv[1]))["counts"]
line = [l for l in open(sys.argv[2]) if "Testing complete." in l][-1]
got = {k: int(v) for k, v in re.findall(r"(passed|failed|skipped): (\d+)", line)}
ran = int(re.search(r"Ran (\d+) tests", line).group(1))
want = {"passed": c["passed"], "failed": c["failed"], "skipped": c["skipped"]}
assert ran == c["total"] and all(got.get(k, 0) == v for k, v in want.items()), (line, c)
print("kunit.py agrees:", line.strip())
PY
}
[ -f "$kunit" ] || fail "$kunit missing: make extracts it from linux-source-6.12"
s=$(scenario mixed <<'INI'
[scenario]
name = mixed
INI
)
run_scenario "$s"
expect_rc 0
python3 "$kunit" parse "$OUT/ktap.log" >"$TMP/kunit.out" 2>&1 || { cat "$TMP/kunit.out"; fail "kunit.py parse rejected a passing run"; }
cat "$TMP/kunit.out"
same_counts "$OUT" "$TMP/kunit.out"

s=$(scenario failing <<'INI'
[scenario]
name = failing
device_timeout = 3s
[device sd0]
type = sd-card
size = 32M
node = mmcblk7
INI
)
run_scenario "$s"
expect_rc 1
# kunit.py exits 1 when a test failed, as it should here.
python3 "$kunit" parse "$OUT/ktap.log" >"$TMP/kunit.out" 2>&1 || true
cat "$TMP/kunit.out"
same_counts "$OUT" "$TMP/kunit.out"
grep -q "Testing complete. Ran .* failed: [1-9]" "$TMP/kunit.out" || fail "kunit.py did not see the failure"
