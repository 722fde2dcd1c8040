# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# [machine] disk = FILE: the user's own image (the suite's Debian 12 test
# guest, setup/build-test-guest) booted by the firmware, no -kernel, through
# a throwaway overlay, with the scenario's devices and a QEMU guest agent
# channel. Proven:
#  - the guest booted: its own qemu-guest-agent answered guest-sync and
#    guest-info on the run directory's socket, then powered it off;
#  - the image is byte-identical afterwards (sha256);
#  - bad input (a missing file, a folder, a file that is no disk image, a
#    VMDK) is one line naming the cause and the fix, exit 2, before any boot;
#    so is an export of a disk scenario, in each format.
. "$TESTS_DIR/lib.sh"
img=${GUESTCHECK_TEST_GUEST:-}
[ -n "$img" ] && [ -r "$img" ] ||
	skip "no test guest image: 'make test-guest' builds it (as root: debootstrap)"
# make passes it relative to the tree; the scenario lives in $TMP.
img=$(realpath "$img")

bad() { # NAME DISK LINE: exit 2 and exactly one line, this one
	printf '[scenario]\nname = %s\n[machine]\ndisk = %s\n' "$1" "$2" >"$TMP/$1.ini"
	run_scenario "$TMP/$1.ini"
	expect_rc 2
	[ "$(cat "$TMP/stdout" "$TMP/stderr" | wc -l)" -eq 1 ] || fail "$1: more than one line"
	expect_output "$3"
	[ ! -e "$OUT" ] || fail "$1: a results folder for a scenario that cannot run"
}
bad missing nosuch.qcow2 "\[machine\] disk = $TMP/nosuch.qcow2: No such file or directory: fix the path"
mkdir "$TMP/folder.img"
bad folder folder.img "\[machine\] disk = $TMP/folder.img: a folder: name the image file"
echo "not a disk" >"$TMP/notes.txt"
bad text notes.txt "notes.txt: 11 bytes, not a disk image: name a qcow2 image or a raw disk"
head -c 1M /dev/zero >"$TMP/zeros.img"
bad zeros zeros.img "zeros.img: not a disk image the firmware can boot: neither qcow2 nor a raw disk with a boot sector"
qemu-img create -q -f vmdk "$TMP/disk.vmdk" 16M
bad vmdk disk.vmdk "disk.vmdk: a VMDK image: convert it with 'qemu-img convert -O qcow2 FILE NEW.qcow2'"

# An export boots guestcheck's own initrd: a disk scenario is refused,
# pointing at guestcheck check (before: "guestcheck: : cannot open the base
# initramfs", then a half-written folder).
printf '[scenario]\nname = mine\n[machine]\ndisk = %s\n' "$img" >"$TMP/mine.ini"
for format in --libvirt --incus --qemu-config --lava; do
	set +e
	"$GUESTCHECK" export $format "$TMP/mine.ini" -o "$TMP/export" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	expect_rc 2
	expect_one_line "mine.ini: \[machine\] disk: an export boots guestcheck's kernel and initrd, not your image, which has a VM of its own: run the checks in that VM with guestcheck check --libvirt DOMAIN, --incus INSTANCE or --qga SOCKET"
	[ ! -e "$TMP/export" ] || fail "export $format left $TMP/export"
done

sum=$(sha256sum <"$img")
cat >"$TMP/user-disk.ini" <<EOF
[scenario]
name = user-disk
boot_timeout = 300s

[machine]
disk = $img
memory = 512M

[device hdd0]
type = hdd
size = 64M
EOF
run_scenario "$TMP/user-disk.ini"
[ "$(sha256sum <"$img")" = "$sum" ] || fail "the user's image $img changed"
echo "$img byte-identical (sha256)"
# The checks ran in the user's own OS, through its guest agent
# (userdisk/disk_checks.c: the agent copied into a tmpfs, run, removed).
expect_rc 0
expect_output "guest agent [0-9.]* answered after"
expect_output "scenario user-disk: PASS"
expect_file_has "$OUT/ktap.log" "^ok [0-9]* devices.present"
expect_file_has "$OUT/ktap.log" "hdd0 (hdd): /dev/sda present"
expect_file_has "$OUT/junit.xml" "devices.present"
expect_output "powered off"
expect_file_has "$OUT/guest-agent.txt" "^guest_agent_version = [0-9]"
expect_file_has "$OUT/guest-agent.txt" "^disk = $img (qcow2)"
cmdline=$OUT/qemu-cmdline.txt
grep -q -- "-kernel" "$cmdline" && fail "booted with -kernel, not by the firmware"
expect_file_has "$cmdline" "file=[^ ]*/disk.qcow2,format=qcow2"
expect_file_has "$cmdline" "virtio-blk-pci,drive=guestcheck-disk,bootindex=0"
expect_file_has "$cmdline" "virtserialport,bus=guestcheck-serial.0,chardev=qga,name=org.qemu.guest_agent.0"
expect_file_has "$cmdline" "ide-hd,drive=hdd0"
expect_file_has "$OUT/console.log" "Debian GNU/Linux 12"
# SeaBIOS booted it, not UEFI (user_disk_uefi has the other).
grep -q "efi: EFI v" "$OUT/console.log" && fail "booted by UEFI, not SeaBIOS"
echo "booted: $(sed -n 's/^boot_to_agent_s = //p' "$OUT/guest-agent.txt") s to the guest agent"
