# SPDX-License-Identifier: GPL-2.0-or-later
# SIGTERM and SIGINT inside each phase of a non-interference run (baseline,
# installer, verify): the run stops there with exit 3 and "interrupted by
# signal N"; no later phase boots; QEMU is gone; the work folder
# (guestcheck-ni-*) and every run folder (guestcheck-*) are gone; what was
# measured is kept (the phases before, the reports) and the results say the
# run was interrupted; the user's images are as they were. The smallest
# non-interference setup: mmc_noninterference_relative.sh's hdd-only installer,
# and one that never ends for the installer phase. The signal lands 1 s after
# the phase's QEMU started (its progress line "phase N of 3" said first).
. "$TESTS_DIR/lib.sh"
command -v qemu-img >/dev/null || skip "qemu-img missing: run make deps"
: "${GUESTCHECK_INITRAMFS:?run through make test}"
# Short: the run folders hold unix sockets (108-byte paths).
export TMPDIR=$TMP/t
mkdir -p "$TMPDIR"
for s in hdd-only sleeps; do
	"$TESTS_DIR/installer/build-installer" --base "$GUESTCHECK_INITRAMFS" \
		--script "$TESTS_DIR/installer/$s.sh" -o "$TMP/$s.img"
done
truncate -s 64M "$TMP/emmc.img"
truncate -s 256M "$TMP/hdd.img"
head -c 1M /dev/urandom | dd of="$TMP/emmc.img" bs=1M seek=1 conv=notrunc status=none
sums=$(sha256sum "$TMP/emmc.img" "$TMP/hdd.img")
ini() { # ini NAME INSTALLER
	cat >"$TMP/$1.ini" <<INI
[scenario]
name = $1
kind = non-interference
[machine]
memory = 512M
[installer]
initrd = $2
timeout = 5m
[device emmc]
type = sd-card
image = $TMP/emmc.img
expect_type = SD
[device hdd0]
type = hdd
image = $TMP/hdd.img
INI
}

# interrupt SIG PHASE(1-3) INSTALLER
interrupt() {
	local sig=$1 phase=$2 name=ni-$1-$2 out=$TMP/out-$1-$2 log=$TMP/log-$1-$2 runner qemu= rc n
	ini "$name" "$TMP/$3.img"
	"$GUESTCHECK" run "$TMP/$name.ini" --accel tcg -o "$out" >"$log" 2>&1 &
	runner=$!
	wait_for_qemu "$runner" "$log" "phase $phase of 3"
	qemu=$QEMU
	[ -n "$qemu" ] || { cat "$log"; fail "$name: phase $phase's QEMU never started"; }
	sleep 1
	kill -"$sig" "$runner"
	set +e; wait "$runner"; rc=$?; set -e
	echo "--- $name: SIG$sig in phase $phase -> exit $rc"
	cat "$log"
	[ "$rc" -eq 3 ] || fail "$name: expected exit 3, got $rc"
	n=$(kill -l "$sig")
	grep -q "interrupted by signal $n" "$log" || fail "$name: no 'interrupted by signal $n'"
	for _ in $(seq 50); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$qemu" 2>/dev/null || fail "$name: QEMU ($qemu) outlived the run"
	[ -z "$(ls "$TMPDIR")" ] || fail "$name: left in TMPDIR: $(ls "$TMPDIR")"
	[ "$phase" -eq 3 ] || ! grep -q "phase $((phase + 1)) of 3" "$log" ||
		fail "$name: phase $((phase + 1)) began after the signal"
	python3 - "$out" "$phase" "$n" <<'PY'
import json, sys
out, phase, sig = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = json.load(open(f"{out}/results.json"))
assert r["verdict"] == "ERROR", r["verdict"]
assert r["interrupted"] == int(sig), r.get("interrupted")
assert f"interrupted by signal {sig}" in r["infra_error"], r["infra_error"]
ni = json.load(open(f"{out}/non-interference.json"))
# What the phases before measured is kept.
if phase > 1:
    base = json.load(open(f"{out}/baseline/results.json"))
    assert base["verdict"] == "PASS", base["verdict"]
print("ok: results.json says", r["infra_error"])
PY
	grep -q "interrupted by signal $n" "$out/ktap.log" || fail "$name: ktap.log does not say interrupted"
}

interrupt TERM 1 hdd-only
interrupt INT 2 sleeps
interrupt TERM 3 hdd-only
[ "$(sha256sum "$TMP/emmc.img" "$TMP/hdd.img")" = "$sums" ] || fail "a user's image changed"
echo ok
