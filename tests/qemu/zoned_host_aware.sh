# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# zoned.* on a host-aware scsi_debug disk (scenarios/zoned-host-aware.ini),
# beside an NVMe zoned namespace that is not scratch. The host-aware disk
# must take writes off the write pointer; the namespace, backed here by an
# image of random bytes, is refused by every destructive test by name and
# its image is byte-identical afterwards.
. "$TESTS_DIR/lib.sh"
head -c 32M /dev/urandom >"$TMP/zns.img"
before=$(sha256sum <"$TMP/zns.img")
sed 's/^size = 32M$/image = zns.img/' "$TESTS_DIR/../scenarios/zoned-host-aware.ini" >"$TMP/ha.ini"
grep -q '^image = zns.img$' "$TMP/ha.ini" || fail "the scenario changed: no 'size = 32M' line to replace"
run_scenario "$TMP/ha.ini"
expect_rc 0
k=$OUT/ktap.log
for t in queue_model zone_report write_pointer; do
	grep -q "^ok [0-9]* zoned.$t\$" "$k" || fail "zoned.$t did not pass"
done
expect_file_has "$k" "ha0 (/dev/sda): host-aware, 8 zones of 8 MiB, max open 0, max active 0, .*blocks 4096/4096"
expect_file_has "$k" "ha0 (/dev/sda): 8 zones (2 conventional, 6 sequential-write-preferred) of 8 MiB; 2 not-write-pointer, 6 empty"
expect_file_has "$k" "ha0 (/dev/sda): reset zone at sector 32768: empty; 2 writes of 8192 bytes at the write pointer: it moved by 16 sectors each time"
expect_file_has "$k" "ha0 (/dev/sda): host-aware: a write 4096 bytes past the write pointer was accepted, as the model allows"
expect_file_has "$k" "ha0 (/dev/sda): implicitly open -> open: explicitly open -> close: closed -> finish: full -> reset: empty"
expect_file_has "$k" "zns0 (/dev/nvme0n1): refused: the write-pointer tests write to the device and it is not marked scratch = yes"
expect_file_has "$k" "zns0 (/dev/nvme0n1): refused: the zone append tests write to the device"
expect_file_has "$k" "^ok [0-9]* zoned.zone_append # SKIP the zone append tests: Linux offers zone append to user space only as an NVMe passthrough command, and no scratch device is an NVMe namespace"
[ "$(sha256sum <"$TMP/zns.img")" = "$before" ] || fail "zns.img changed: a check wrote to a device not marked scratch"
