# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/qemu/usbnet_diagnose*.sh (after lib.sh): the user's own
# VM, a QEMU the test starts itself on taps it makes in a network namespace
# of its own (usbnet_diagnose_helper.py launch), and `guestcheck diagnose`
# run against it. Root only.
[ "$(id -u)" -eq 0 ] || skip "needs root: the test makes taps in a network namespace"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
: "${GUESTCHECK_KERNEL:?run through make test}"
PY=/usr/bin/python3
HELPER=$TESTS_DIR/qemu/usbnet_diagnose_helper.py
QEMU=${GUESTCHECK_DIAG_QEMU:-qemu-system-x86_64}
NS=gcdiag$$
ip netns add "$NS" || skip "cannot create a network namespace here"
PIDS=
diag_vm_cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	ip netns del "$NS" 2>/dev/null || true
}
at_exit diag_vm_cleanup
echo "--- $($QEMU --version | head -n1), guest kernel $GUESTCHECK_KERNEL"

# diagnose NAME [args]: RC, stdout in $TMP/NAME.out, stderr in $TMP/NAME.err
diagnose() {
	local name=$1; shift
	set +e
	timeout 90 "$GUESTCHECK" diagnose "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	RC=$?
	set -e
	echo "--- guestcheck diagnose $* -> exit $RC"
	cat "$TMP/$name.out" "$TMP/$name.err"
	[ "$RC" -ne 124 ] || fail "diagnose $* hung"
}
