# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# QEMU 10's xlnx-zcu102 refuses to start without an audio backend ("no
# default audio driver available", before the agent's hello); the runner
# gives it a silent one. Both zcu102 scenarios behave under QEMU 10 as under
# 7.2: sdhci_zcu102.sh, run again with the backports' QEMU, whose
# qemu-system-aarch64 --qemu reaches from its qemu-system-x86_64.
. "$TESTS_DIR/lib.sh"
new=${GUESTCHECK_QEMU_NEW:-}
[ -n "$new" ] || skip "GUESTCHECK_QEMU_NEW is unset: make test sets it to the unpacked QEMU 10"
[ -n "${GUESTCHECK_A64_KERNEL:-}" ] || skip "no arm64 kernel: run through make test (make aarch64 unpacks it)"
a64=$(dirname "$new")/qemu-system-aarch64
[ -x "$a64" ] || fail "$a64 missing beside GUESTCHECK_QEMU_NEW: run make platforms"
v=$("$a64" -version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')

# Why: the machine alone does not start under this QEMU.
set +e
timeout 20 "$a64" -machine xlnx-zcu102,accel=tcg -nodefaults -display none -S -monitor none \
	-serial null >"$TMP/bare.log" 2>&1
rc=$?
set -e
cat "$TMP/bare.log"
case $rc in
0 | 124) echo "note: QEMU $v starts xlnx-zcu102 without an audiodev: the fix is not needed there" ;;
*) grep -q "no default audio driver available" "$TMP/bare.log" || fail "QEMU $v failed otherwise (exit $rc)" ;;
esac

# The fix: every assertion of sdhci_zcu102.sh, under QEMU 10.
set +e
GUESTCHECK_QEMU=$new bash "$TESTS_DIR/qemu/sdhci_zcu102.sh" >"$TMP/zcu102.log" 2>&1
rc=$?
set -e
cat "$TMP/zcu102.log"
[ $rc -eq 0 ] || fail "sdhci_zcu102.sh under QEMU $v exited $rc"
[ "$(grep -c "under tcg, QEMU $v$" "$TMP/zcu102.log")" -eq 2 ] || fail "not both scenarios ran under QEMU $v"
grep -q "booting under tcg (kernel .*, QEMU $v)" "$TMP/zcu102.log" || fail "no progress line naming QEMU $v"
