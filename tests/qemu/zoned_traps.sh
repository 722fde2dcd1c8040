# SPDX-License-Identifier: GPL-2.0-or-later
# The zoned traps of issue 17, measured on both kernels in one run set
# (scenarios/zoned-traps.ini under Debian 12's QEMU 7.2, two jobs at once):
# - zoned.passthrough_mix: after a zone reset, write or append through
#   /dev/ng0n1, Linux 6.1 lets the next regular write land at the device's
#   write pointer; 6.12 refuses it (its cached pointer went stale) until a
#   failed write and BLKREPORTZONE resync it; a zone the kernel saw empty has
#   no cached pointer.
# - zoned.write_order: on the multi-queue scsi_debug disk bouncing every 7th
#   command host-busy, 6.1 with scheduler none reorders a zone's writes and
#   mq-deadline keeps them; 6.12 keeps them under both (zone write plugging).
. "$TESTS_DIR/lib.sh"
k612=${GUESTCHECK_612_KERNEL:-}
[ -n "$k612" ] && [ -r "$k612" ] || skip "no Linux 6.12: run through make test (make platforms unpacks it)"
k61=${GUESTCHECK_KERNEL:?run through make test}
r61=$(basename "$k61" | sed 's/vmlinuz-//')
r612=$(basename "$k612" | sed 's/vmlinuz-//')
set +e
"$GUESTCHECK" run "$TESTS_DIR/../scenarios/zoned-traps.ini" --kernel "$k61" --kernel "$k612" \
	--accel tcg -j 2 -o "$TMP/set" >"$TMP/out" 2>&1
RC=$?
set -e
cat "$TMP/out"
expect_rc 0
a=$TMP/set/zoned-traps@$r61/ktap.log
b=$TMP/set/zoned-traps@$r612/ktap.log
[ -r "$a" ] && [ -r "$b" ] || fail "no ktap.log for zoned-traps@$r61 and @$r612"
for k in "$a" "$b"; do
	for t in passthrough_mix write_order; do
		grep -q "^ok [0-9]* zoned.$t\$" "$k" || fail "zoned.$t did not pass ($k)"
	done
done

# View (d): 6.1 keeps no write pointer; 6.12's goes stale, and only after a failed write
# does BLKREPORTZONE resync it (a plain namespace on QEMU 7.2).
expect_file_has "$a" "zns0 (/dev/nvme0n1): Linux $r61, a regular write after a passthrough operation: reset: in step; write: in step; append: in step; write to an empty zone: in step"
expect_file_has "$b" "zns0 (/dev/nvme0n1): Linux $r612, a regular write after a passthrough operation: reset: stale, BLKREPORTZONE after a failed write resyncs; write: stale, BLKREPORTZONE after a failed write resyncs; append: stale, BLKREPORTZONE after a failed write resyncs; write to an empty zone: in step"
expect_file_has "$b" "zns0 (/dev/nvme0n1): Linux $r612, after a zone reset through /dev/ng0n1 (sector offsets): a write at the device's write pointer (+0) failed with EIO: the kernel refused it; a write where the kernel last left it (+2) failed with EIO: the device refused it; BLKREPORTZONE, then a write at +0 landed"
expect_file_has "$b" "zns0 (/dev/nvme0n1): what to do: do not write one zone through both /dev/ng0n1 and /dev/nvme0n1"

# The scheduler trap: reproduced on 6.1 with none, not with mq-deadline; gone on 6.12.
expect_file_has "$a" "sd0 (/dev/sda): Linux $r61, scheduler none, bursts of 96 writes of 512 bytes, 32 in flight, every 7th command bounced host-busy: burst [0-9]* of 12: [0-9]* failed .*the block layer reordered them"
expect_file_has "$a" "sd0 (/dev/sda): Linux $r61, scheduler mq-deadline, .*: 12 of 12 bursts, every write landed in order, the write pointer at +96 (the device's scheduler)"
for s in none mq-deadline; do
	expect_file_has "$b" "sd0 (/dev/sda): Linux $r612, scheduler $s, .*every 7th command bounced host-busy: 12 of 12 bursts, every write landed in order"
done
echo "ok"
