# `guestcheck peer`'s bad input and environment, no guest needed: each
# mistake is one line on stderr naming the cause and the fix, with exit 2
# for usage and 3 for a port it cannot listen on; --help goes to stdout; a
# peer stopped by SIGTERM before any probe arrived says so, exits 1 and
# writes no report.
. "$TESTS_DIR/lib.sh"
G=$GUESTCHECK

# expect_one_line RC EXPECTED_RC LINE: the exit status and exactly that one line on stderr.
expect_one_line() {
	[ "$1" -eq "$2" ] || { cat "$TMP/err"; fail "expected exit $2, got $1"; }
	[ "$(wc -l <"$TMP/err")" -eq 1 ] || { cat "$TMP/err"; fail "expected one line on stderr"; }
	grep -qxF -- "$3" "$TMP/err" || { cat "$TMP/err"; fail "stderr is not '$3'"; }
}

"$G" peer --help >"$TMP/help" || fail "--help must exit 0"
grep -q -- "--inject-loss PCT" "$TMP/help" || fail "--help lacks --inject-loss"
"$G" --help | grep -q "^  peer " || fail "guestcheck --help lacks the peer command"

set +e
timeout 10 "$G" peer --listen 127.0.0.1 2>"$TMP/err"; rc=$?
expect_one_line $rc 2 "guestcheck peer: --listen '127.0.0.1': expected an IPv4 ADDR:PORT, e.g. 127.0.0.1:47000 (port 0: any free one)"
timeout 10 "$G" peer --listen 127.0.0.1:70000 2>"$TMP/err"; rc=$?
expect_one_line $rc 2 "guestcheck peer: --listen '127.0.0.1:70000': expected an IPv4 ADDR:PORT, e.g. 127.0.0.1:47000 (port 0: any free one)"
timeout 10 "$G" peer --inject-loss 120% 2>"$TMP/err"; rc=$?
expect_one_line $rc 2 "guestcheck peer: --inject-loss '120%': expected a percentage from 0 to 100, e.g. 12.5%"
timeout 10 "$G" peer --inject-direction sideways 2>"$TMP/err"; rc=$?
expect_one_line $rc 2 "guestcheck peer: --inject-direction 'sideways': use one of down, up"
timeout 10 "$G" peer --frobnicate 2>"$TMP/err"; rc=$?
expect_one_line $rc 2 "guestcheck peer: unknown option '--frobnicate': see --help"
timeout 10 "$G" peer --listen 192.0.2.1:7000 2>"$TMP/err"; rc=$?
expect_one_line $rc 3 "guestcheck peer: cannot listen on UDP 192.0.2.1:7000: Cannot assign requested address: that address is not one of this host's: use one of them, e.g. 127.0.0.1 for a QEMU user-networking guest"

# A port in use: the first peer holds it, the second says so. --foreground:
# the TERM below goes to the peer alone. Without it, timeout also signals
# its process group and then sends SIGCONT to it, and a SIGCONT that lands
# while the sanitizer build's leak check is stopping the peer (LeakSanitizer
# ptrace-attaches it, which queues a SIGSTOP) discards that SIGSTOP: the
# leak check then waits forever (seen once in CI, 1 Dec, on Linux 6.18).
timeout --foreground 60 "$G" peer --listen 127.0.0.1:0 -o "$TMP/first" >"$TMP/first.out" 2>&1 &
first=$!
port=$(peer_port "$TMP/first.out")
[ -n "$port" ] || { kill $first; fail "the first peer did not say where it listens"; }
timeout 10 "$G" peer --listen "127.0.0.1:$port" 2>"$TMP/err"; rc=$?
expect_one_line $rc 3 "guestcheck peer: cannot listen on UDP 127.0.0.1:$port: Address already in use: another program (or another guestcheck peer) uses that port: stop it or pick another port with --listen"

# SIGTERM before any probe: said, exit 1, no files.
kill -TERM $first; wait $first; rc=$?
set -e
cat "$TMP/first.out"
[ $rc -eq 1 ] || fail "a peer stopped before any probe must exit 1, got $rc"
grep -q "net0: stopped before any probe arrived: nothing to report" "$TMP/first.out" ||
	fail "the stopped peer does not say no probe came"
[ -z "$(ls -A "$TMP/first" 2>/dev/null)" ] || fail "a peer without a probe wrote files"
