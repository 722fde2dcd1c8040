# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# The zoned checks' negative cases in one boot, each FAIL naming expected and
# seen: a scenario that expects host-managed but gets a regular disk (the
# "zoned model lost" trap), a wrong zone size, and the scheduler trap (no
# mq-deadline on a kernel before 6.10). Nothing is scratch: the destructive
# checks refuse every device, and the NVMe image is untouched. zoned.views
# holds the device's own report against the scenario and names each view.
# Under QEMU 10.0 (when make test has unpacked it) the namespace is an NVMe
# multipath head, whose own zone limits Linux 6.1 leaves at 0 while the
# device states them: a real disagreement between views, which zoned.views
# must name.
. "$TESTS_DIR/lib.sh"
qemu=()
if [ -n "${GUESTCHECK_QEMU_NEW:-}" ] && [ -x "$GUESTCHECK_QEMU_NEW" ]; then
	qemu=(--qemu "$GUESTCHECK_QEMU_NEW")
fi
head -c 32M /dev/urandom >"$TMP/zns.img"
before=$(sha256sum <"$TMP/zns.img")
s=$(scenario zoned-mismatch <<'INI'
[scenario]
name = zoned-mismatch
[device plain0]
type = null-blk
size = 16M
zoned = no
expect_zoned = host-managed
[device zns0]
type = nvme-zns
image = zns.img
zone_size = 4M
expect_zone_size = 8M
max_open = 2
max_active = 3
[device nosched0]
type = null-blk
size = 16M
no_sched = yes
INI
)
run_scenario "$s" "${qemu[@]}"
expect_rc 1
k=$OUT/ktap.log
grep -q "^not ok [0-9]* zoned.queue_model" "$k" || fail "zoned.queue_model did not fail"
grep -q "^not ok [0-9]* zoned.zone_report" "$k" || fail "zoned.zone_report did not fail"
grep -q "^not ok [0-9]* zoned.views" "$k" || fail "zoned.views did not fail"
expect_file_has "$k" "FAIL plain0 (/dev/nullb0): expected a host-managed zoned disk, saw a regular disk (queue/zoned = none): the zoned model was lost on the way to the guest"
expect_file_has "$k" "FAIL plain0 (/dev/nullb0): no zone report: expected a host-managed zoned disk, the guest sees a regular disk"
expect_file_has "$k" "FAIL zns0 (/dev/nvme0n1): expected zone size 8 MiB, saw 4 MiB (queue/chunk_sectors 8192)"
expect_file_has "$k" "FAIL zns0 (/dev/nvme0n1): views disagree: zone size: the device (NVMe Report Zones via /dev/ng0n1) says 8192 sectors (4 MiB), the scenario expects 16384 sectors (8 MiB)"
expect_file_has "$k" "FAIL plain0 (/dev/nullb0): no zones to compare: expected a host-managed zoned disk"
if [ ${#qemu[@]} -gt 0 ]; then
	expect_file_has "$k" "zns0 (/dev/nvme0n1): views disagree on the NVMe multipath head: open zone limit: the device (NVMe Report Zones via /dev/ng0n1) says 2, sysfs of the multipath head (queue/max_open_zones) says none; the verdict follows its path nvme0c0n1"
	expect_file_has "$k" "zns0 (/dev/nvme0n1): views disagree on the NVMe multipath head: active zone limit: the device (NVMe Report Zones via /dev/ng0n1) says 3, sysfs of the multipath head (queue/max_active_zones) says none"
fi
expect_file_has "$k" "FAIL nosched0 (/dev/nullb1): I/O scheduler none on Linux 6.1"
expect_file_has "$k" "echo mq-deadline > /sys/block/nullb1/queue/scheduler"
# A device whose zones are fine passes the report even in a failing run.
expect_file_has "$k" "zns0 (/dev/nvme0n1): 8 zones (0 conventional, 8 sequential-write-required) of 4 MiB; 8 empty"
expect_file_has "$k" "^ok [0-9]* zoned.write_pointer # SKIP the write-pointer tests: refused on every zoned device: none is marked scratch = yes"
expect_file_has "$k" "zns0 (/dev/nvme0n1): refused: the write-pointer tests write to the device"
expect_file_has "$OUT/junit.xml" "<failure"
[ "$(sha256sum <"$TMP/zns.img")" = "$before" ] || fail "zns.img changed: a check wrote to a device not marked scratch"
