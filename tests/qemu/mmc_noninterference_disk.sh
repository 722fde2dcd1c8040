# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# Non-interference with a disk-image installer, booted by the firmware
# (SeaBIOS on q35, no -kernel), one run of three boots. The test makes a
# real bootable disk itself: an MBR (syslinux's mbr.bin) and one FAT
# partition, written with mtools (no mount), holding SYSLINUX, the guest
# kernel and the project's own emmc-write installer initrd, which writes
# 4 KiB of zeros to the eMMC at 1 MiB. Proven:
#  - the host side catches the write with its offset and length;
#  - the guest side says plainly it has no counters (nothing to wrap), and
#    is skipped, not passed;
#  - the user's installer image and the pristine eMMC stay byte-identical.
. "$TESTS_DIR/lib.sh"
for tool in sfdisk qemu-img mkfs.fat mcopy syslinux; do
	command -v $tool >/dev/null || skip "$tool missing: run make deps"
done
mbr=/usr/lib/syslinux/mbr/mbr.bin
[ -r "$mbr" ] || skip "$mbr missing: run make deps (syslinux-common)"
: "${GUESTCHECK_KERNEL:?run through make test}"
here=$TESTS_DIR/installer

# The NAS's eMMC: a GPT, an ext4 "firmware" partition, random data behind it.
truncate -s 64M "$TMP/emmc.img"
printf 'label: gpt\nsize=16M, type=L, name=firmware\nsize=32M, type=L, name=data\n' |
	sfdisk -q "$TMP/emmc.img"
mkfs.ext4 -q -F -L firmware -E offset=1048576 "$TMP/emmc.img" 16M
head -c 32M /dev/urandom | dd of="$TMP/emmc.img" bs=1M seek=17 conv=notrunc status=none
emmc_sum=$(sha256sum <"$TMP/emmc.img")

# The installer's disk: MBR + a bootable FAT16 partition at 1 MiB.
"$here/build-installer" --base "$GUESTCHECK_INITRAMFS" --script "$here/emmc-write.sh" \
	-o "$TMP/initrd.img"
disk=$TMP/installer.img
truncate -s 32M "$disk"
printf 'start=2048, type=6, bootable\n' | sfdisk -q "$disk"
mkfs.fat -F 16 -n INSTALLER --offset 2048 "$disk" 31744 >/dev/null
syslinux --offset 1048576 --install "$disk"
dd if="$mbr" of="$disk" bs=440 count=1 conv=notrunc status=none
cat >"$TMP/syslinux.cfg" <<'CFG'
SERIAL 0 115200
DEFAULT installer
PROMPT 0
TIMEOUT 0
LABEL installer
  KERNEL vmlinuz
  APPEND initrd=initrd.img console=ttyS0 panic=-1 quiet
CFG
cp "$GUESTCHECK_KERNEL" "$TMP/vmlinuz"
mcopy -i "$disk@@1M" "$TMP/syslinux.cfg" "$TMP/vmlinuz" "$TMP/initrd.img" ::/
disk_sum=$(sha256sum <"$disk")

run_scenario "$(scenario ni-disk <<EOF
[scenario]
name = ni-disk
kind = non-interference

[machine]
memory = 512M

[installer]
image = installer.img
format = raw
timeout = 5m

[device emmc]
type = sd-card
image = emmc.img
expect_type = SD

[device hdd0]
type = hdd
size = 64M
EOF
)"
status_of() { sed -n "s/^\(ok\|not ok\) [0-9]* $1\( # SKIP.*\)\{0,1\}$/\1\2/p" "$OUT/ktap.log"; }
expect_status() { [ "$(status_of "$1")" = "$2" ] || fail "$1: expected '$2', got '$(status_of "$1")'"; }

[ "$(sha256sum <"$disk")" = "$disk_sum" ] || fail "the installer image changed"
echo "installer.img byte-identical"
[ "$(sha256sum <"$TMP/emmc.img")" = "$emmc_sum" ] || fail "the pristine eMMC image changed"
echo "emmc.img byte-identical"

expect_rc 1
# Booted by the firmware from its own disk through an overlay, not by -kernel.
cmdline=$OUT/installer/qemu-cmdline.txt
grep -q -- "-kernel" "$cmdline" && fail "the installer phase still booted with -kernel"
expect_file_has "$cmdline" "file=[^ ]*/installer-disk.qcow2,format=qcow2"
expect_file_has "$cmdline" "ide-hd,drive=guestcheck-installer,bus=ide.1,bootindex=0"
expect_file_has "$OUT/installer/console.log" "installer: found sda mmcblk0"
expect_file_has "$OUT/installer/console.log" "installer: wrote 4 KiB to /dev/mmcblk0 at 1 MiB"
expect_status phase.baseline ok
expect_status phase.installer ok
expect_status phase.verify ok
expect_status emmc.host-writes "not ok"
expect_status emmc.fingerprint "not ok"
expect_status emmc.pristine ok
expect_status emmc.guest-writes "ok # SKIP a disk-image installer: no initrd to wrap, so no guest counters"
expect_output "FAIL emmc: the installer phase wrote 4096 bytes (4 KiB) in 1 range: 4096 bytes at offset 1048576 (qcow2 overlay); QEMU: highest offset written 1052672"
expect_file_has "$OUT/ktap.log" "emmc: no guest-side write counters: a disk-image installer's kernel and initrd are inside its image"
expect_file_has "$OUT/ktap.log" "installer: the disk image .*installer.img (raw), booted by the firmware"
expect_file_has "$OUT/ktap.log" "emmc: baseline: overlay 0 bytes"
python3 - "$OUT/non-interference.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["installer"]["end"] == "powered-off", doc["installer"]
assert doc["installer"]["guest_counters"].startswith("none: a disk-image installer"), doc
card = doc["cards"][0]
inst = card["phases"]["installer"]
assert inst["written_ranges"] == [{"offset": 1048576, "length": 4096}], inst
assert "guest_counters" not in inst, inst
assert card["pristine_xxh3_128_before"] == card["pristine_xxh3_128_after"], card
PY
echo "disk-image installer: caught at offset 1048576, 4096 bytes; images unchanged"
