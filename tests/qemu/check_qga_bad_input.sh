# `guestcheck check` when the guest cannot be reached: each case one line
# ci: shared
# naming what is missing and how to add it, exit 2 (what the user named does
# not exist) or 3 (nothing answers), and no results folder. The cases that
# need a real guest refusing (its agent stopped, or started with -b
# guest-exec, or no tmpfs it may exec from) run in check_qga.sh, on the
# Debian guest that test boots anyway (one boot of ~40 s fewer in CI).
. "$TESTS_DIR/lib.sh"

check() { # check ARGS...: RC, the output in $TMP/stdout and $TMP/stderr
	set +e
	"$GUESTCHECK" check -o "$TMP/out" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	echo "--- guestcheck check $* -> exit $RC"
	cat "$TMP/stdout" "$TMP/stderr"
}

# Usage.
check
expect_rc 2
check --qga a.sock --libvirt b
expect_rc 2
# --incus's own refusals run against the real incusd in check_incus.sh.
check --incus 'c1 x'
expect_rc 2
expect_one_line "name an Incus instance as NAME or REMOTE:NAME"
# No socket there.
check --qga "$TMP/none.sock"
expect_rc 2
expect_one_line "none.sock: No such file or directory: name the socket of the VM's guest agent channel"
# A socket nobody listens on (left by a VM that stopped).
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/stale.sock"
check --qga "$TMP/stale.sock"
expect_rc 3
expect_one_line "nothing listens there: start the VM"
# A listener that never answers.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); c, _ = s.accept(); time.sleep(20)' "$TMP/mute.sock" &
for _ in $(seq 50); do [ -S "$TMP/mute.sock" ] && break; sleep 0.1; done
check --qga "$TMP/mute.sock" --connect-timeout 2s
expect_rc 3
expect_one_line "no guest agent answered guest-sync-delimited: start qemu-ga in the guest"
[ ! -e "$TMP/out" ] || fail "a results folder was made for a guest never reached"
# A libvirt domain that does not exist (a real libvirtd when one answers).
if virsh -q list >/dev/null 2>&1; then
	check --libvirt guestcheck-no-such-domain
	expect_rc 2
	expect_one_line "libvirt domain guestcheck-no-such-domain: error: failed to get domain 'guestcheck-no-such-domain'.*no such domain: see \`virsh list --all\`"
elif command -v virsh >/dev/null; then
	check --libvirt guestcheck-no-such-domain
	expect_rc 3
	expect_one_line "start libvirtd"
else
	echo "no virsh: the --libvirt case is left out"
fi

echo "bad input: one line each, exits 2 and 3, no results folder"
