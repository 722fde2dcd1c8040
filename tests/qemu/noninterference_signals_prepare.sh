# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# SIGTERM to the runner, and SIGINT to its whole process group (a Ctrl-C:
# qemu-img gets it too), while a non-interference run prepares its disks
# (the work folder, the qcow2 overlays, the pristine image's hash): the run
# stops after the qemu-img under way, with exit 3 and "interrupted by signal
# N while preparing the disks"; no phase boots, no QEMU; the work folder
# (guestcheck-ni-*) is gone; results.json, non-interference.json and ktap.log
# are written and say interrupted; the user's images are unchanged (tests/lib.sh
# compares them). qemu-img runs under a wrapper that takes 1 s per overlay,
# so the signal lands inside the preparation. Before, the run went on
# through every overlay (four here) before stopping.
. "$TESTS_DIR/lib.sh"
command -v qemu-img >/dev/null || skip "qemu-img missing: run make deps"
# Short: the run folders hold unix sockets (108-byte paths).
export TMPDIR=$TMP/t
mkdir -p "$TMPDIR"
export GUESTCHECK_QEMU_IMG=$TMP/qemu-img CALLS=$TMP/calls
cat >"$GUESTCHECK_QEMU_IMG" <<'SH'
#!/bin/bash
[ "$1" = create ] && { echo "$*" >>"$CALLS"; sleep 1; }
exec qemu-img "$@"
SH
chmod +x "$GUESTCHECK_QEMU_IMG"
truncate -s 64M "$TMP/emmc.img"
head -c 1M /dev/urandom | dd of="$TMP/emmc.img" bs=1M seek=1 conv=notrunc status=none
truncate -s 64M "$TMP/hdd.img"
s=$(scenario ni-prepare <<INI
[scenario]
name = ni-prepare
kind = non-interference
[installer]
initrd = $(realpath "$GUESTCHECK_INITRAMFS")
[device emmc]
type = sd-card
image = $TMP/emmc.img
[device hdd0]
type = hdd
image = $TMP/hdd.img
INI
)

# interrupt SIG TARGET: TARGET "runner" (kill PID) or "group" (kill -- -PGID)
interrupt() {
	local sig=$1 out=$TMP/out-$1 log=$TMP/log-$1 runner rc n start
	: >"$CALLS"
	setsid "$GUESTCHECK" run "$s" --accel tcg -o "$out" >"$log" 2>&1 &
	runner=$!
	for _ in $(seq 600); do [ -s "$CALLS" ] || ! kill -0 "$runner" 2>/dev/null && break; sleep 0.05; done
	[ -s "$CALLS" ] || { cat "$log"; fail "no qemu-img create"; }
	start=$(date +%s.%N)
	if [ "$2" = group ]; then kill -"$sig" -- -"$runner"; else kill -"$sig" "$runner"; fi
	set +e; wait "$runner"; rc=$?; set -e
	echo "--- SIG$sig to the $2 while preparing -> exit $rc after $(echo "$(date +%s.%N) - $start" | bc) s"
	cat "$log" "$CALLS"
	[ "$rc" -eq 3 ] || fail "SIG$sig: expected exit 3, got $rc"
	n=$(kill -l "$sig")
	grep -q "interrupted by signal $n while preparing the disks" "$log" || fail "SIG$sig: no message"
	[ "$(wc -l <"$CALLS")" -eq 1 ] || fail "SIG$sig: the preparation went on: $(wc -l <"$CALLS") overlays made"
	grep -q "phase 1 of 3" "$log" && fail "SIG$sig: a phase began"
	[ -z "$(pgrep -f "qemu-system.*$TMP" || true)" ] || fail "SIG$sig: a QEMU runs"
	[ -z "$(ls -A "$TMPDIR")" ] || fail "SIG$sig: left in TMPDIR: $(ls -A "$TMPDIR")"
	python3 - "$out" "$n" <<'PY'
import json, sys
out, sig = sys.argv[1], int(sys.argv[2])
r = json.load(open(f"{out}/results.json"))
assert r["verdict"] == "ERROR" and r["interrupted"] == sig, (r["verdict"], r.get("interrupted"))
assert "while preparing the disks" in r["infra_error"], r["infra_error"]
json.load(open(f"{out}/non-interference.json"))
print("ok: results.json and non-interference.json say", r["infra_error"])
PY
	grep -q "interrupted by signal $n" "$out/ktap.log" || fail "SIG$sig: ktap.log does not say interrupted"
	# Nothing measured is claimed: the host side read no overlay.
	grep -q "^FAIL     emmc.host-writes" "$log" || fail "SIG$sig: emmc.host-writes claimed with no phase run"
}

interrupt TERM runner
interrupt INT group
echo ok
