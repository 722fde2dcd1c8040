# `guestcheck check` when the guest cannot be reached or refuses: each case one
# line naming what is missing and how to add it, exit 2 (what the user named
# does not exist) or 3 (nothing answers, or the agent refuses), and nothing left
# in the guest. A real Debian 12 guest plays the refusing agent: its
# qemu-guest-agent stopped for a while (connected socket, nobody answers), then
# restarted with -b guest-exec (the blocklist); then /dev/shm and /run both
# noexec (Debian 12 mounts /run so).
. "$TESTS_DIR/lib.sh"

check() { # check ARGS...: RC, the output in $TMP/stdout and $TMP/stderr
	set +e
	"$GUESTCHECK" check -o "$TMP/out" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	echo "--- guestcheck check $* -> exit $RC"
	cat "$TMP/stdout" "$TMP/stderr"
}
one_line() { # the whole of stderr is one line matching $1
	[ "$(wc -l <"$TMP/stderr")" -eq 1 ] || fail "expected one line on stderr"
	expect_output "$1"
}

# Usage.
check
expect_rc 2
check --qga a.sock --libvirt b
expect_rc 2
check --incus c1
expect_rc 2
one_line "not yet"
# No socket there.
check --qga "$TMP/none.sock"
expect_rc 2
one_line "none.sock: No such file or directory: name the socket of the VM's guest agent channel"
# A socket nobody listens on (left by a VM that stopped).
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/stale.sock"
check --qga "$TMP/stale.sock"
expect_rc 3
one_line "nothing listens there: start the VM"
# A listener that never answers.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); c, _ = s.accept(); time.sleep(20)' "$TMP/mute.sock" &
for _ in $(seq 50); do [ -S "$TMP/mute.sock" ] && break; sleep 0.1; done
check --qga "$TMP/mute.sock" --connect-timeout 2s
expect_rc 3
one_line "no guest agent answered guest-sync-delimited: start qemu-ga in the guest"
[ ! -e "$TMP/out" ] || fail "a results folder was made for a guest never reached"
# A libvirt domain that does not exist (a real libvirtd when one answers).
if virsh -q list >/dev/null 2>&1; then
	check --libvirt guestcheck-no-such-domain
	expect_rc 2
	one_line "libvirt domain guestcheck-no-such-domain: error: failed to get domain 'guestcheck-no-such-domain'.*no such domain: see \`virsh list --all\`"
elif command -v virsh >/dev/null; then
	check --libvirt guestcheck-no-such-domain
	expect_rc 3
	one_line "start libvirtd"
else
	echo "no virsh: the --libvirt case is left out"
fi

# A real guest whose agent stops answering, then refuses guest-exec.
. "$TESTS_DIR/qga_guest.sh"
find_test_guest
start_guest
# systemd-run: outside qemu-ga's own service, which it stops.
guest systemd-run --on-active=2 --unit=gc-quiet sh -c 'systemctl stop qemu-guest-agent; sleep 14; systemctl start qemu-guest-agent'
python3 "$QGA_HELPER" gone "$QGA" 60 || fail "the guest's agent did not stop"
check --qga "$QGA" --connect-timeout 5s
expect_rc 3
one_line "no guest agent answered guest-sync-delimited"
python3 "$QGA_HELPER" wait "$QGA" 120 || fail "the guest's agent did not come back"
guest systemd-run --on-active=2 --unit=gc-blocked sh -c 'systemctl stop qemu-guest-agent; timeout 15 qemu-ga -m virtio-serial -p /dev/virtio-ports/org.qemu.guest_agent.0 -b guest-exec; systemctl start qemu-guest-agent'
python3 "$QGA_HELPER" exec-enabled "$QGA" no 60 || fail "qemu-ga -b guest-exec did not answer"
check --qga "$QGA"
expect_rc 3
one_line "the guest agent refuses guest-exec (disabled): remove it from qemu-ga's --block-rpcs (-b)"
[ -e "$TMP/out/junit.xml" ] && fail "reports written for a run that never started"
# Back to the normal agent (when the blocked one's 15 s end): nothing of ours in the guest.
python3 "$QGA_HELPER" exec-enabled "$QGA" yes 120 || fail "the guest's own agent did not come back"
expect_nothing_left
# No tmpfs where the guest lets it run: each tried, each named.
guest mount -o remount,noexec /dev/shm
check --qga "$QGA"
expect_rc 3
expect_output "no tmpfs in the guest where the agent may run (/dev/shm: the guest would not run the agent there (Permission denied), mounted noexec?; /run: "
guest mount -o remount,exec /dev/shm
expect_nothing_left
echo "bad input: one line each, exits 2 and 3, nothing left in the guest"
