# The agent also runs as a plain command in any Linux system (here, the host):
# --list, --only, --config, --output, and strict options. Read-only checks only.
. "$TESTS_DIR/lib.sh"
A=${GUESTCHECK_AGENT:?run through make test}
"$A" --list | grep -q "^devices.present" || fail "--list lacks devices.present"
"$A" --help | grep -q -- "--output" || fail "--help lacks --output"
set +e
"$A" --only nosuch.check 2>"$TMP/err"; rc=$?
"$A" --frobnicate 2>/dev/null; rc2=$?
set -e
[ $rc -eq 2 ] && grep -q "no such check or area: see --list" "$TMP/err" || fail "--only nosuch: rc $rc"
[ $rc2 -eq 2 ] || fail "unknown option must exit 2, got $rc2"

# A scenario file is a valid --config; only the agent area, KTAP to a file.
"$A" --config "$TESTS_DIR/../scenarios/default.ini" --only agent --output "$TMP/ktap" \
	|| fail "agent area failed as a plain command"
grep -q "^ok 1 agent.config" "$TMP/ktap" || fail "agent.config did not pass"
grep -q "^ok 2 agent.modules # SKIP the agent is not the guest's init" "$TMP/ktap" ||
	fail "agent.modules must be skipped outside PID 1"
grep -q "^1..2" "$TMP/ktap" || fail "--only agent ran other tests"
! grep -q "will-run devices.present" "$TMP/ktap" || fail "--only announced a test it does not run"

# A broken configuration fails agent.config with file and line; exit 1.
printf '[scenario]\nname = x\nname = y\n' >"$TMP/broken.ini"
set +e
"$A" --config "$TMP/broken.ini" --only agent.config --output - >"$TMP/out"; rc=$?
set -e
cat "$TMP/out"
[ $rc -eq 1 ] || fail "a broken --config must exit 1, got $rc"
grep -q "broken.ini:3: 'name' is set twice in \[scenario\] (first on line 2): keep one" "$TMP/out" ||
	fail "the configuration error lacks file, line and fix"
