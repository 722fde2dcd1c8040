# SPDX-License-Identifier: GPL-2.0-or-later
# zoned.* on three host-managed devices in one boot (scenarios/zoned-host-managed.ini):
# QEMU's NVMe zoned namespace (zone capacity 3 of 4 MiB, max open 4, max
# active 6), null_blk made through configfs (2 conventional zones, 4 KiB
# blocks, limits 3/5) and scsi_debug (1 conventional zone, max open 4). All
# are scratch: every check must pass and say what it saw and did.
. "$TESTS_DIR/lib.sh"
run_scenario "$TESTS_DIR/../scenarios/zoned-host-managed.ini"
expect_rc 0
k=$OUT/ktap.log
for t in queue_model zone_report views write_pointer zone_append passthrough_mix write_order; do
	grep -q "^ok [0-9]* zoned.$t\$" "$k" || fail "zoned.$t did not pass"
done
expect_file_has "$k" "nb0 (null-blk): /dev/nullb0 present"
expect_file_has "$k" "sd0 (scsi-debug): /dev/sda present, driver sd, 64 MiB"

# queue_model: the attributes the host asked for, each device its own.
expect_file_has "$k" "zns0 (/dev/nvme0n1): host-managed, 16 zones of 4 MiB, max open 4, max active 6, zone append up to 512 KiB, write granularity 512, blocks 512/512, scheduler mq-deadline"
expect_file_has "$k" "nb0 (/dev/nullb0): host-managed, 16 zones of 4 MiB, max open 3, max active 5, .*write granularity 4096, blocks 4096/4096"
expect_file_has "$k" "sd0 (/dev/sda): host-managed, 16 zones of 4 MiB, max open 4, max active 0"

# zone_report: capacities and conventional zones as the report shows them.
expect_file_has "$k" "zns0 (/dev/nvme0n1): 16 zones (0 conventional, 16 sequential-write-required) of 4 MiB; 16 empty; sequential zone capacity 3 MiB (BLK_ZONE_REP_CAPACITY)"
expect_file_has "$k" "nb0 (/dev/nullb0): 16 zones (2 conventional, 14 sequential-write-required) of 4 MiB; 2 not-write-pointer, 14 empty; sequential zone capacity 3 MiB"
expect_file_has "$k" "sd0 (/dev/sda): 16 zones (1 conventional, 15 sequential-write-required) of 4 MiB; 1 not-write-pointer, 15 empty; sequential zone capacity 4 MiB"

# views: the kernel's report and ioctls, sysfs and the device's own report
# (NVMe Report Zones through /dev/ng0n1, SCSI REPORT ZONES through SG_IO)
# agree zone by zone; null_blk has no report of its own and says so; the
# capacity below the zone size is stated by both, and the trap named.
expect_file_has "$k" "zns0 (/dev/nvme0n1): the views agree: 16 zones of 4 MiB (capacity 3 MiB), 64 MiB, blocks of 512, max open 4, max active 6; views: BLKREPORTZONE, BLKGETNRZONES/BLKGETZONESZ, sysfs, the device (NVMe Report Zones via /dev/ng0n1); 16 zones compared one by one"
expect_file_has "$k" "zns0 (/dev/nvme0n1): zone capacity 3 MiB below zone size 4 MiB, stated by BLKREPORTZONE (BLK_ZONE_REP_CAPACITY) and by the device; a tool built against linux/blkzoned.h before 5.9"
expect_file_has "$k" "nb0 (/dev/nullb0): null_blk has no device of its own"
expect_file_has "$k" "nb0 (/dev/nullb0): the views agree: 16 zones of 4 MiB (capacity 3 MiB), 64 MiB, blocks of 4096, max open 3, max active 5; views: BLKREPORTZONE, BLKGETNRZONES/BLKGETZONESZ, sysfs; 16 zones compared"
expect_file_has "$k" "sd0 (/dev/sda): the views agree: 16 zones of 4 MiB (capacity 4 MiB), 64 MiB, blocks of 512, max open 4, max active none; views: BLKREPORTZONE, BLKGETNRZONES/BLKGETZONESZ, sysfs, the device (SCSI REPORT ZONES via SG_IO on /dev/sda); 16 zones compared one by one"

# write_pointer: on each device, the first sequential zone (after the conventional ones).
expect_file_has "$k" "zns0 (/dev/nvme0n1): reset zone at sector 0: empty; 2 writes of 1024 bytes at the write pointer: it moved by 2 sectors each time"
expect_file_has "$k" "nb0 (/dev/nullb0): reset zone at sector 16384: empty; 2 writes of 8192 bytes at the write pointer: it moved by 16 sectors each time"
expect_file_has "$k" "sd0 (/dev/sda): reset zone at sector 8192: empty"
for d in "zns0 (/dev/nvme0n1)" "nb0 (/dev/nullb0)" "sd0 (/dev/sda)"; do
	expect_file_has "$k" "$d: a write [0-9]* bytes past the write pointer was rejected"
	expect_file_has "$k" "$d: implicitly open -> open: explicitly open -> close: closed -> finish: full (writes refused) -> reset: empty"
done
expect_file_has "$k" "zns0 (/dev/nvme0n1): open zone limit 4 enforced: opening one more failed (ETOOMANYREFS"
expect_file_has "$k" "zns0 (/dev/nvme0n1): active zone limit 6 enforced: a write to one more empty zone failed (EOVERFLOW"
expect_file_has "$k" "nb0 (/dev/nullb0): open zone limit 3 enforced"
expect_file_has "$k" "nb0 (/dev/nullb0): active zone limit 5 enforced"
expect_file_has "$k" "sd0 (/dev/sda): open zone limit 4 enforced"
expect_file_has "$k" "sd0 (/dev/sda): no active zone limit advertised"

# zone_append: NVMe passthrough lands at the pointer; the others say why not.
expect_file_has "$k" "zns0 (/dev/nvme0n1): 2 zone appends of 512 bytes (NVMe passthrough) landed at the write pointer, LBA 1 then 2"
expect_file_has "$k" "nb0 (/dev/nullb0): zone append not tested: nullb0 is not an NVMe namespace"

# passthrough_mix (Linux 6.1): no cached write pointer, every case in step; only NVMe is tested.
expect_file_has "$k" "zns0 (/dev/nvme0n1): Linux .*, a regular write after a passthrough operation: reset: in step; write: in step; append: in step; write to an empty zone: in step"
expect_file_has "$k" "nb0 (/dev/nullb0): passthrough mix not tested: nullb0 is not an NVMe namespace"
# write_order: each device under each scheduler it offers; the one it has keeps order.
expect_file_has "$k" "nb0 (/dev/nullb0): Linux .*, scheduler mq-deadline, bursts of 96 writes of 4096 bytes, 32 in flight: 12 of 12 bursts, every write landed in order, the write pointer at +768 (the device's scheduler)"
expect_output "scenario zoned-host-managed: PASS"
