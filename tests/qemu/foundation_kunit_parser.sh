# The agent's KTAP, from a real guest, is accepted by the kernel's own parser
# (tools/testing/kunit/kunit.py parse, from linux-source-6.12), with the
# pass, fail and skip results the runner saw.
. "$TESTS_DIR/lib.sh"
kunit=${KUNIT_PY:?run through make test}
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
grep -q "Testing complete. Ran 3 tests: passed: 2, skipped: 1" "$TMP/kunit.out" ||
	fail "kunit.py counted differently from the runner"

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
grep -q "Testing complete. Ran 3 tests: passed: 2, failed: 1" "$TMP/kunit.out" ||
	fail "kunit.py did not see the failing run as 2 passed, 1 failed"
