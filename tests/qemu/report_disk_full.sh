# A full disk under the results folder: the guest still runs and what it
# measured is still printed, every report is attempted, and the run exits 3
# with one line per kind of file that could not be written (ktap.log, cut,
# and the first file of the results folder: agent.ini, a copy for the reader
# written before the boot, which once failed silently), naming it and the fix;
# `merge` the same for a set's own reports.
# A tmpfs of its own, filled to the last page, plays the full disk: a small
# report sits in stdio's buffer, so the failure shows only at fclose.
. "$TESTS_DIR/lib.sh"
mount_small_tmpfs
OUT=$MNT/results
mkdir -p "$OUT" "$MNT/merged"
fill_tmpfs

file=$(scenario diskfull <<'INI'
[scenario]
name = diskfull
INI
)
set +e
"$GUESTCHECK" run "$file" --accel tcg -o "$OUT" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
echo "--- guestcheck run $file -o $OUT (full) -> exit $RC"
cat "$TMP/stdout" "$TMP/stderr"
expect_rc 3
expect_output "scenario diskfull: PASS"
# Two files said, once each: the log the guest's KTAP went to (cut at its
# first write) and the first file of the folder that could not be written.
log="guestcheck: $OUT/ktap.log: cut after 0 bytes: No space left on device: free space there or give another -o"
grep -qxF "$log" "$TMP/stderr" || fail "stderr lacks the line '$log'"
grep -v -F "$log" "$TMP/stderr" >"$TMP/stderr.reports"
mv "$TMP/stderr.reports" "$TMP/stderr"
expect_report_failure "$OUT/agent.ini" "$OUT" "cannot write"
# The boot went on, and every report was attempted all the same.
[ -e "$OUT/qemu-cmdline.txt" ] && [ -e "$OUT/junit.xml" ] && [ -e "$OUT/results.json" ] &&
	[ -e "$OUT/results.ktap" ] || fail "a file after agent.ini was not attempted"

# A set's reports: a set of no jobs is enough to make merge write them.
mkdir -p "$TMP/set"
echo '{ "jobs": [ ], "seconds": 0 }' >"$TMP/set/results.json"
set +e
"$GUESTCHECK" merge -o "$MNT/merged" "$TMP/set" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
echo "--- guestcheck merge -o $MNT/merged (full) -> exit $RC"
cat "$TMP/stdout" "$TMP/stderr"
expect_rc 3
expect_output "run set: 0 jobs"
line="guestcheck merge: $MNT/merged/results.json: cannot write the set's JSON report: No space left on device: free space in $MNT/merged or pass -o elsewhere"
grep -qxF "$line" "$TMP/stderr" || fail "stderr lacks the line '$line'"
[ -e "$MNT/merged/junit.xml" ] && [ -e "$MNT/merged/report.html" ] || fail "merge gave up after results.json"
