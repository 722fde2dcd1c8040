# usbnet_diagnose_header.sh on QEMU 10.0 from bookworm-backports
# (build/platforms), the QEMU the users run: the same VM, remap and assertions.
. "$TESTS_DIR/lib.sh"
[ -x "${GUESTCHECK_QEMU_NEW:-}" ] || skip "no QEMU 10.0: run 'make platforms'"
GUESTCHECK_DIAG_QEMU=$GUESTCHECK_QEMU_NEW bash "$TESTS_DIR/qemu/usbnet_diagnose_header.sh"
