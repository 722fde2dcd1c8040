# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the integration tests: each test is a script that boots real
# guests through the `guestcheck` CLI, exactly as a user would, and asserts
# on exit codes, messages and the files in the results directory.
set -eu
: "${GUESTCHECK:?run through make test}"
TMP=$(mktemp -d)
# KEEP_TMP=1 keeps a test's folder (its results, consoles) to read after it.
keep_or_remove_tmp() { if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi; }

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "$*"; exit 77; }

# Nothing written to what is inspected, for every test: each `run` goes
# through tests/guestcheck-inspected, which hashes (xxh128) every file the run
# inspects into a ledger and execs the runner ($GUESTCHECK_BIN, the same
# pid); check_inspected compares the ledgers when the test ends and fails it
# naming each file whose bytes changed. tests/run-all fails a test that left
# a ledger unchecked (its own `trap ... EXIT` replaced this one: use at_exit).
if [ -z "${GUESTCHECK_BIN:-}" ]; then
	# Absolute: a test may run it from another folder.
	GUESTCHECK_BIN=$(realpath -s "$GUESTCHECK")
	export GUESTCHECK_BIN GUESTCHECK=$TESTS_DIR/guestcheck-inspected
fi
export INSPECTED_DIR=${INSPECTED_DIR:-$TMP/inspected}
mkdir -p "$INSPECTED_DIR"
# written_on_purpose FILE...: the test's own guest writes these (not
# guestcheck): left out of the comparison, said in the log.
written_on_purpose() {
	local f
	for f; do realpath -s "$f"; done >>"$INSPECTED_DIR/on-purpose"
	echo "inspected: written on purpose by this test's guest: $*"
}
check_inspected() {
	local l tool changed bad=0 files=0 runs=0
	touch "$INSPECTED_DIR/on-purpose"
	for l in "$INSPECTED_DIR"/run.??????; do
		[ -f "$l" ] || continue
		tool=$(cat "$l.tool" 2>/dev/null) || tool=xxhsum
		changed=$("$tool" -c --quiet "$l" 2>/dev/null | sed -n 's/: FAILED$//p' |
			grep -vxF -f "$INSPECTED_DIR/on-purpose" | tr '\n' ' ')
		if [ -n "$changed" ]; then
			echo "FAIL: guestcheck $(cat "$l.cmd") changed what it inspects: $changed(a test that rewrites an image between two runs: give each run its own file)" >&2
			bad=1
		fi
		files=$((files + $(wc -l <"$l"))) runs=$((runs + 1))
		rm -f "$l" "$l.cmd" "$l.tool"
	done
	[ "$runs" -eq 0 ] || echo "inspected: $files files over $runs runs, compared after: $([ $bad -eq 0 ] && echo unchanged || echo CHANGED)"
	return $bad
}
# at_exit CMD: run CMD (a string, as trap takes) when the test ends, before
# the inspected files are compared and $TMP is removed. Hooks run in order.
AT_EXIT=()
at_exit() { AT_EXIT+=("$1"); }
lib_exit() {
	local rc=$? c
	set +e
	for c in "${AT_EXIT[@]}"; do eval "$c"; done
	if ! check_inspected && { [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; }; then rc=1; fi
	keep_or_remove_tmp
	exit "$rc"
}
trap lib_exit EXIT

# run_scenario FILE [args]: runs with TCG pinned; sets RC and OUT (results dir).
run_scenario() {
	local file=$1; shift
	OUT=$TMP/results-$(basename "$file" .ini)
	set +e
	"$GUESTCHECK" run "$file" --accel tcg -o "$OUT" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	echo "--- guestcheck run $file $* -> exit $RC"
	cat "$TMP/stdout" "$TMP/stderr"
}

expect_rc() { [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC"; }
expect_output() { grep -q -- "$1" "$TMP/stdout" "$TMP/stderr" || fail "output lacks '$1'"; }
# expect_one_line PATTERN: the whole of $TMP/stderr is one line matching it.
expect_one_line() {
	[ "$(wc -l <"$TMP/stderr")" -eq 1 ] || fail "expected one line on stderr"
	expect_output "$1"
}
# sleepy_scenario: SLEEPY_IMAGE (an initramfs whose /init only sleeps: no
# hello, ever) and SLEEPY (a scenario waiting 60 s for that hello).
sleepy_scenario() {
	printf '#!/bin/sh\nexec /bin/sleep 1000\n' >"$TMP/init"
	SLEEPY_IMAGE=$TMP/sleepy.img
	overlay_initramfs "$SLEEPY_IMAGE" "$TMP/init"
	SLEEPY=$(scenario sleepy <<'INI'
[scenario]
name = sleepy
boot_timeout = 60s
INI
)
}
# expect_file_has FILE PATTERN. A miss shows the file's closest lines: a log
# that said only "lacks 'ff170000.mmc: mmc1: irq ...'" hid the answer, the
# line it held instead ("ff170000.mmc: mmc0: irq ...", hosts numbered in
# probe order; README, notes for the next engineer).
expect_file_has() {
	grep -q -- "$2" "$1" && return 0
	closest_lines "$1" "$2" >&2
	fail "$1 lacks '$2'"
}
# closest_lines FILE TEXT: up to 3 lines of FILE most like TEXT (a grep
# pattern read as plain text), for a failure message; nothing if none is near.
closest_lines() {
	python3 - "$1" "$2" <<'PY' 2>/dev/null || true
import difflib, itertools, sys

with open(sys.argv[1], errors="replace") as f:
    lines = [l.rstrip("\n") for l in itertools.islice(f, 50000)]
for l in difflib.get_close_matches(sys.argv[2], lines, n=3, cutoff=0.5):
    print(f"    closest line in {sys.argv[1]}: {l}")
PY
}

# qemu_of PID: the QEMU that the runner PID started, or nothing.
qemu_of() { pgrep -P "$1" -f 'qemu-system.* -kernel ' || true; }
# wait_for_qemu RUNNER LOG PATTERN: QEMU set to the runner's QEMU once LOG
# holds PATTERN (grep), within 120 s; empty when the runner ended first or
# the time ran out.
wait_for_qemu() {
	QEMU=
	for _ in $(seq 1200); do
		grep -q -- "$3" "$2" && QEMU=$(qemu_of "$1") && [ -n "$QEMU" ] && return 0
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
}

# A scenario file in $TMP from a here-document.
scenario() { cat >"$TMP/$1.ini"; echo "$TMP/$1.ini"; }

# peer_port FILE: the UDP port a `guestcheck peer` started in the background
# with its output in FILE says it listens on, within 10 s; "" if it never
# does. FILE may not exist yet: the background job's shell opens it when it
# gets to run, and under load the test's next line can come first (check_qga
# read a missing file once, 1 Dec, and set -e ended it).
peer_port() {
	local port= _
	for _ in $(seq 100); do
		port=$(sed -n 's/.*listening on UDP 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$1" 2>/dev/null || true)
		[ -n "$port" ] && break
		sleep 0.1
	done
	echo "$port"
}

# overlay_initramfs OUT SCRIPT: the base image with /init replaced by SCRIPT
# (a busybox shell script), to play a guest that misbehaves.
overlay_initramfs() {
	local out=$1 script=$2 dir=$TMP/overlay.$$ size pad
	: "${GUESTCHECK_INITRAMFS:?run through make test}"
	rm -rf "$dir"; mkdir -p "$dir"
	cp "$script" "$dir/init"; chmod 755 "$dir/init"
	cp "$GUESTCHECK_INITRAMFS" "$out"
	size=$(stat -c %s "$out"); pad=$(( (4 - size % 4) % 4 ))
	head -c "$pad" /dev/zero >>"$out"
	(cd "$dir" && echo init | cpio --quiet -o -H newc -R 0:0) >>"$out"
}

# The shell prologue of a misbehaving guest: mounts, the agent's port in $port.
GUEST_PROLOGUE='#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
busybox modprobe virtio_pci; busybox modprobe virtio_console
port=
while [ -z "$port" ]; do
	for p in /sys/class/virtio-ports/*; do
		[ "$(cat "$p/name" 2>/dev/null)" = org.guestcheck.ktap ] && port=/dev/${p##*/}
	done
	[ -n "$port" ] || sleep 0.1
done
'

# A tmpfs of its own at $MNT plays a full disk (root only; unmounted at exit).
# mount_small_tmpfs first; then make the folders the run needs; then fill_tmpfs
# fills it to the last page, so a small report fails only at its fclose.
mount_small_tmpfs() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a tmpfs"
	MNT=$TMP/full
	mkdir -p "$MNT"
	mount -t tmpfs -o size=1m tmpfs "$MNT" || skip "cannot mount a tmpfs here"
	at_exit 'umount "$MNT" || umount -l "$MNT"'
}
fill_tmpfs() {
	dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null && fail "the tmpfs never filled"
	[ "$(df --output=avail "$MNT" | tail -n1)" -eq 0 ] || fail "the tmpfs still has room"
}
# expect_report_failure FILE DIR [WHAT]: stderr has exactly the one line for
# FILE (WHAT, by default "cannot write the JUnit report", no space, the fix
# naming DIR), and no second such line.
expect_report_failure() {
	local line="guestcheck: $1: ${3:-cannot write the JUnit report}: No space left on device: free space in $2 or pass -o elsewhere"
	grep -qxF "$line" "$TMP/stderr" || fail "stderr lacks the line '$line'"
	[ "$(grep -c '^guestcheck: .*No space left on device' "$TMP/stderr")" -eq 1 ] ||
		fail "the failure must be said once"
}

# The tap tests' needs: root, /dev/net/tun, a network namespace, and the
# tools named (bpftrace for the proof of who reads a tap, nft, ...).
require_taps() {
	local tool
	[ "$(id -u)" -eq 0 ] || skip "needs root: the runner creates taps in a network namespace"
	[ -c /dev/net/tun ] || skip "no /dev/net/tun"
	unshare -n true 2>/dev/null || skip "cannot create a network namespace here"
	for tool; do
		command -v "$tool" >/dev/null || skip "no $tool: make deps installs it"
	done
}

# libvirtd_answers LOG: a libvirtd just started answers virsh. On a fresh
# host its first answer waits for the QEMU capability probes (16 s here
# with an empty /var/cache/libvirt/qemu/capabilities, more under load); a
# client killed while it waits made the probes never finish (a loop of
# `timeout 5 virsh` got no answer in 505 s), so: the socket, then one wait.
libvirtd_answers() {
	local i
	for i in $(seq 100); do [ -S /run/libvirt/libvirt-sock ] && break; sleep 0.1; done
	[ -S /run/libvirt/libvirt-sock ] ||
		{ cat "$1"; fail "the libvirtd started here made no socket in 10 s (/run/libvirt/libvirt-sock)"; }
	timeout 300 virsh -q version >/dev/null 2>&1 ||
		{ cat "$1"; fail "the libvirtd started here does not answer within 300 s"; }
}
