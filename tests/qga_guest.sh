# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/qemu/check_qga*.sh (after lib.sh): a real distribution
# guest (the suite's Debian 12 test image: systemd, udev, qemu-guest-agent)
# booted by the test itself from a throwaway overlay, with the default
# scenario's devices (from `guestcheck qemu-args`) and a guest agent channel.
QGA_HELPER=$TESTS_DIR/qemu/check_qga_helper.py

# find_test_guest: IMAGE, or skip naming how to build it.
find_test_guest() {
	local c
	IMAGE=
	for c in "${GUESTCHECK_TEST_GUEST:-}" "${BUILD:-build}/guest-images/debian12.qcow2" \
		$(ls -t "${XDG_CACHE_HOME:-$HOME/.cache}"/guestcheck-tests/debian12-guest-v*.qcow2 2>/dev/null); do
		[ -n "$c" ] && [ -r "$c" ] && { IMAGE=$c; break; }
	done
	[ -n "$IMAGE" ] || skip "no Debian test guest: build it with setup/build-test-guest build/guest-images/debian12.qcow2, or set GUESTCHECK_TEST_GUEST"
	command -v qemu-img >/dev/null || skip "no qemu-img"
	echo "test guest: $IMAGE"
}

# start_guest: boots IMAGE through an overlay in $TMP with the default
# scenario's devices; QGA (the agent's socket), QEMU_PID; console in $TMP/console.log.
start_guest() {
	local qemu=${GUESTCHECK_QEMU:-qemu-system-x86_64} devs
	qemu-img create -q -f qcow2 -b "$(realpath "$IMAGE")" -F qcow2 "$TMP/overlay.qcow2"
	# Each device's scratch image at the scenario's own size.
	awk -v dir="$TMP" '/^\[device /{d=$2; sub(/\]$/, "", d)} d && $1 == "size" {print dir "/" d ".img", $3}' \
		"$TESTS_DIR/../scenarios/default.ini" | while read -r img size; do truncate -s "$size" "$img"; done
	[ -s "$TMP/sd0.img" ] || fail "no sd0 size in scenarios/default.ini"
	# The device arguments `guestcheck run` gives the default scenario, in $TMP.
	devs=$("$GUESTCHECK" qemu-args "$TESTS_DIR/../scenarios/default.ini" | grep -v '^#' |
		python3 -c '
import shlex, sys
a = shlex.split(sys.stdin.read())
keep = []
for i, x in enumerate(a):
    if x in ("-device", "-drive", "-netdev") and "guestcheck-serial" not in a[i + 1]:
        keep += [x, a[i + 1].replace("RUNDIR", sys.argv[1])]
print(shlex.join(keep))' "$TMP")
	echo "devices: $devs"
	QGA=$TMP/qga.sock
	# shellcheck disable=SC2086
	eval "set -- $devs"
	"$qemu" -machine q35,accel=tcg -m 768M -smp 1 -nodefaults -display none \
		-serial "file:$TMP/console.log" \
		-drive "file=$TMP/overlay.qcow2,if=virtio,format=qcow2" \
		-chardev "socket,id=qga0,path=$QGA,server=on,wait=off" \
		-device virtio-serial-pci,id=vser0 \
		-device virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0 \
		"$@" >"$TMP/qemu.log" 2>&1 &
	QEMU_PID=$!
	at_exit 'kill $QEMU_PID 2>/dev/null; wait $QEMU_PID 2>/dev/null'
	local start=$(date +%s)
	# Boot: at most 240 s, and not a moment after QEMU exits.
	for _ in $(seq 24); do
		python3 "$QGA_HELPER" wait "$QGA" 10 >/dev/null && break
		kill -0 $QEMU_PID 2>/dev/null || { cat "$TMP/qemu.log"; fail "QEMU exited during the boot"; }
	done
	python3 "$QGA_HELPER" wait "$QGA" 1 ||
		{ cat "$TMP/qemu.log"; tail -n 30 "$TMP/console.log"; fail "the guest's agent never answered"; }
	echo "guest agent answered after $(($(date +%s) - start)) s"
}

# guest CMD ARG...: runs in the guest through the tests' own client.
guest() { python3 "$QGA_HELPER" exec "$QGA" "$@"; }

# expect_nothing_left: no guestcheck.* folder on the guest's tmpfs.
expect_nothing_left() {
	local left
	left=$(guest sh -c 'ls -d /run/guestcheck.* /dev/shm/guestcheck.* 2>/dev/null' || true)
	[ -z "$left" ] || fail "left behind in the guest: $left"
}
