# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# A full disk under a non-interference run's results folder: the three boots
# still run and the verdict is still printed, every report is attempted, and
# the run exits 3 with a line for each phase's log cut and one line naming
# the first file that could not be written and the fix (as
# report_disk_full.sh for a plain run). Once the installer phase gave up on
# its qemu-cmdline.txt instead, and the verdict was lost. The smallest
# non-interference setup: mmc_noninterference_relative.sh's hdd-only installer.
. "$TESTS_DIR/lib.sh"
command -v qemu-img >/dev/null || skip "qemu-img missing: run make deps"
: "${GUESTCHECK_INITRAMFS:?run through make test}"
mount_small_tmpfs

"$TESTS_DIR/installer/build-installer" --base "$GUESTCHECK_INITRAMFS" \
	--script "$TESTS_DIR/installer/hdd-only.sh" -o "$TMP/installer.img"
truncate -s 64M "$TMP/emmc.img"
file=$(scenario ni-full <<'INI'
[scenario]
name = ni-full
kind = non-interference

[machine]
memory = 512M

[installer]
initrd = installer.img
timeout = 5m

[device emmc]
type = sd-card
image = emmc.img
expect_type = SD

[device hdd0]
type = hdd
size = 64M
INI
)
# The phases' folders exist already: what fails is the writing, not a mkdir.
OUT=$MNT/results
mkdir -p "$OUT/baseline" "$OUT/installer" "$OUT/verify"
fill_tmpfs

set +e
"$GUESTCHECK" run "$file" --accel tcg -o "$OUT" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
echo "--- guestcheck run $file -o $OUT (full) -> exit $RC"
cat "$TMP/stdout" "$TMP/stderr"
expect_rc 3
expect_output "scenario ni-full: PASS"
for log in baseline/ktap.log installer/console.log verify/ktap.log; do
	line="guestcheck: $OUT/$log: cut after 0 bytes: No space left on device: free space there or give another -o"
	grep -qxF "$line" "$TMP/stderr" || fail "stderr lacks the line '$line'"
	grep -v -xF "$line" "$TMP/stderr" >"$TMP/stderr.rest"
	mv "$TMP/stderr.rest" "$TMP/stderr"
done
expect_report_failure "$OUT/baseline/agent.ini" "$OUT" "cannot write"
# Every phase's files and the run's own reports were attempted all the same.
[ -e "$OUT/installer/qemu-cmdline.txt" ] && [ -e "$OUT/verify/junit.xml" ] &&
	[ -e "$OUT/junit.xml" ] && [ -e "$OUT/results.json" ] && [ -e "$OUT/results.ktap" ] &&
	[ -e "$OUT/non-interference.json" ] ||
	fail "a file after baseline/agent.ini was not attempted"
