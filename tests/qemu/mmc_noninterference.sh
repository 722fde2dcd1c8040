# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# Non-interference end to end (scenarios/non-interference-nas.ini with the
# project's own test installers), three runs of three boots each:
#  1. an installer that writes only the hard disk: PASS on both sides;
#  2. one that writes 4 KiB of zeros to the eMMC at 1 MiB: FAIL, the host
#     side naming 4096 bytes at offset 1048576, the guest side the kernel's
#     write count, the fingerprint the changed bytes and filesystem;
#  3. one that rewrites 4 KiB of the eMMC with its own bytes: the
#     fingerprint is equal, yet both sides catch the write, at 2097152.
# Through all of it the eMMC image stays byte-identical.
. "$TESTS_DIR/lib.sh"
command -v sfdisk >/dev/null && command -v qemu-img >/dev/null ||
	skip "sfdisk or qemu-img missing: run make deps"
here=$TESTS_DIR/installer

# The NAS's eMMC: a GPT, an ext4 "firmware" partition, random data behind it.
truncate -s 64M "$TMP/emmc.img"
printf 'label: gpt\nsize=16M, type=L, name=firmware\nsize=32M, type=L, name=data\n' |
	sfdisk -q "$TMP/emmc.img"
mkfs.ext4 -q -F -L firmware -E offset=1048576 "$TMP/emmc.img" 16M
head -c 32M /dev/urandom | dd of="$TMP/emmc.img" bs=1M seek=17 conv=notrunc status=none
pristine=$(sha256sum <"$TMP/emmc.img")

# run_installer NAME: the example scenario with this test's eMMC and installer.
run_installer() {
	"$here/build-installer" --base "$GUESTCHECK_INITRAMFS" --script "$here/$1.sh" \
		-o "$TMP/$1.img"
	sed -e "s|^initrd = .*|initrd = $1.img|" -e 's|^size = 64M$|image = emmc.img|' \
		"$TESTS_DIR/../scenarios/non-interference-nas.ini" >"$TMP/ni-$1.ini"
	run_scenario "$TMP/ni-$1.ini"
	[ "$(sha256sum <"$TMP/emmc.img")" = "$pristine" ] ||
		fail "$1: the pristine eMMC image changed"
	echo "$1: emmc.img byte-identical"
}
status_of() { sed -n "s/^\(ok\|not ok\) [0-9]* $1\( # SKIP.*\)\{0,1\}$/\1/p" "$OUT/ktap.log"; }
expect_status() { [ "$(status_of "$1")" = "$2" ] || fail "$1: expected '$2', got '$(status_of "$1")'"; }

# --- 1: the hard disk only
run_installer hdd-only
expect_rc 0
for t in phase.baseline phase.installer phase.verify emmc.fingerprint emmc.guest-writes \
	emmc.host-writes emmc.pristine; do
	expect_status "$t" ok
done
expect_file_has "$OUT/installer/console.log" "installer: wrote 2 MiB to /dev/sda"
expect_file_has "$OUT/ktap.log" "emmc: the installer's kernel, /sys/block/mmcblk0/stat: 0 write requests, 0 sectors written"
expect_file_has "$OUT/ktap.log" "emmc: installer: overlay 0 bytes; QEMU: highest offset written 0"
expect_file_has "$OUT/ktap.log" "emmc: equal: the installer left every byte as it was"
expect_file_has "$OUT/ktap.log" "the host's xxh3-128 of .*emmc.img is the same"
for p in baseline verify; do
	grep -q "^ok [0-9]* mmc.fingerprint" "$OUT/$p/ktap.log" || fail "$p: mmc.fingerprint"
done
grep -q "^ok [0-9]* devices.present" "$OUT/verify/ktap.log" || fail "verify: the hdd is missing"

# --- 2: 4 KiB of zeros onto the eMMC
run_installer emmc-write
expect_rc 1
expect_status phase.installer ok
expect_status emmc.host-writes "not ok"
expect_status emmc.guest-writes "not ok"
expect_status emmc.fingerprint "not ok"
expect_status emmc.pristine ok
expect_output "FAIL emmc: the installer phase wrote 4096 bytes (4 KiB) in 1 range: 4096 bytes at offset 1048576 (qcow2 overlay); QEMU: highest offset written 1052672"
expect_file_has "$OUT/ktap.log" "FAIL emmc: the installer wrote to /dev/mmcblk0: its kernel counted 1 write requests (8 sectors, 4096 bytes)"
expect_file_has "$OUT/ktap.log" "FAIL emmc: the card's bytes changed"
expect_file_has "$OUT/ktap.log" "FAIL emmc: the partition table or filesystems changed"
expect_file_has "$OUT/ktap.log" "emmc: baseline: overlay 0 bytes"
expect_file_has "$OUT/ktap.log" "emmc: verify: overlay 0 bytes"
python3 - "$OUT/non-interference.json" <<'PY'
import json, sys
card = json.load(open(sys.argv[1]))["cards"][0]
inst = card["phases"]["installer"]
assert inst["written_ranges"] == [{"offset": 1048576, "length": 4096}], inst
assert inst["blockstats"]["wr_highest_offset"] == 1052672, inst
assert inst["guest_counters"]["wr_ios"] == 1, inst
assert card["phases"]["baseline"]["written_bytes"] == 0, card
assert card["pristine_xxh3_128_before"] == card["pristine_xxh3_128_after"], card
PY

# --- 3: the same 4 KiB written back
run_installer emmc-rewrite
expect_rc 1
expect_status emmc.fingerprint ok
expect_status emmc.host-writes "not ok"
expect_status emmc.guest-writes "not ok"
expect_file_has "$OUT/ktap.log" "emmc: equal: the installer left every byte as it was"
expect_output "FAIL emmc: the installer phase wrote 4096 bytes (4 KiB) in 1 range: 4096 bytes at offset 2097152"
expect_file_has "$OUT/ktap.log" "its kernel counted 1 write requests (8 sectors, 4096 bytes)"
