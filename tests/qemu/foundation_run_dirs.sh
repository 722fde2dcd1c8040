# SPDX-License-Identifier: GPL-2.0-or-later
# What runners share, and what a killed one leaves:
# - two runners given one -o: the second refuses at once (exit 2), naming the
#   first's pid; the first is not disturbed;
# - a runner killed with SIGKILL leaves its run directory ($TMPDIR/guestcheck-*);
#   the next run removes it, says so, and removes nothing else: not a folder
#   of another live runner, not one without an owner (kept, or not ours);
# - a killed runner never blocks the next run on its -o.
. "$TESTS_DIR/lib.sh"
sleepy_scenario
s=$SLEEPY
quick=$(scenario quick <<'INI'
[scenario]
name = quick
boot_timeout = 2s
INI
)
# Short: the run directory holds unix sockets (108-byte paths).
export TMPDIR=$TMP/t
mkdir -p "$TMPDIR/guestcheck-notours" "$TMPDIR/guestcheck-alive"
echo 1 >"$TMPDIR/guestcheck-alive/.owner"
flock "$TMPDIR/guestcheck-alive/.owner" sleep 300 &
holder=$!
at_exit 'kill $holder 2>/dev/null'

"$GUESTCHECK" run "$s" --accel tcg --initramfs "$TMP/sleepy.img" -o "$TMP/res" >"$TMP/log-a" 2>&1 &
first=$!
qemu=
for _ in $(seq 100); do qemu=$(qemu_of "$first"); [ -n "$qemu" ] && break; sleep 0.1; done
[ -n "$qemu" ] || { cat "$TMP/log-a"; fail "the first runner's QEMU never started"; }

# The second runner on the same folder.
set +e
timeout 20 "$GUESTCHECK" run "$s" --accel tcg --initramfs "$TMP/sleepy.img" -o "$TMP/res" \
	>"$TMP/log-b" 2>&1
rc=$?
set -e
cat "$TMP/log-b"
[ "$rc" -eq 2 ] || fail "a second runner on a folder in use: expected exit 2, got $rc"
grep -q "^guestcheck: $TMP/res: in use by another guestcheck run (pid $first): wait for it to end, or give this run another -o$" \
	"$TMP/log-b" || fail "the refusal does not name the first run's pid ($first)"
kill -0 "$first" || fail "the first runner died of the second"

# The first one killed for good: its run directory stays behind.
kill -KILL "$first"
wait "$first" 2>/dev/null || true
for _ in $(seq 50); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.1; done
left=$(cd "$TMPDIR" && ls -d guestcheck-?????? 2>/dev/null | grep -v -e notours -e '^guestcheck-alive$' || true)
[ -n "$left" ] && [ -e "$TMPDIR/$left/.owner" ] || fail "SIGKILL left no run directory to clean (found: '$left')"
echo "left by the killed runner: $left"

# The next run, on the same -o: it may (the lock died with its holder), and it cleans.
set +e
"$GUESTCHECK" run "$quick" --accel tcg --initramfs "$TMP/sleepy.img" -o "$TMP/res" >"$TMP/log-c" 2>&1
rc=$?
set -e
cat "$TMP/log-c"
[ "$rc" -eq 3 ] || fail "the next run (no hello in 2 s): expected exit 3, got $rc"
grep -q "^guestcheck: removed $TMPDIR/$left, left by a run that was killed (pid $first)$" "$TMP/log-c" ||
	fail "the next run did not say it removed $left"
[ ! -e "$TMPDIR/$left" ] || fail "$left is still there"
[ -d "$TMPDIR/guestcheck-notours" ] || fail "a folder without an owner file was removed"
[ -d "$TMPDIR/guestcheck-alive" ] || fail "the folder of a live owner was removed"
grep -q '"verdict"' "$TMP/res/results.json" || fail "the next run wrote no results.json"
rest=$(cd "$TMPDIR" && ls | grep -v -e '^guestcheck-notours$' -e '^guestcheck-alive$' || true)
[ -z "$rest" ] || fail "the run left $rest in TMPDIR"

# A results folder on a read-only filesystem: refused before anything boots
# (exit 3, the file named), so nothing is measured only to be lost.
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p "$TMP/ro"
	mount -t tmpfs -o ro,size=1m none "$TMP/ro"
	set +e
	"$GUESTCHECK" run "$quick" --accel tcg --initramfs "$TMP/sleepy.img" -o "$TMP/ro" >"$TMP/log-ro" 2>&1
	rc=$?
	set -e
	umount "$TMP/ro"
	cat "$TMP/log-ro"
	[ "$rc" -eq 3 ] || fail "a read-only results folder: expected exit 3, got $rc"
	grep -q "^guestcheck: $TMP/ro/.guestcheck.lock: cannot create the lock file: Read-only file system: give -o a folder this user can write$" \
		"$TMP/log-ro" || fail "the read-only folder is not named with the fix"
	grep -q "booting" "$TMP/log-ro" && fail "a guest booted for a folder it cannot write"
fi
echo ok
