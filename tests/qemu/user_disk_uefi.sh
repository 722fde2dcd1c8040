# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# [machine] firmware = uefi: the user's own image booted by OVMF, as Incus
# and libvirt's UEFI VMs boot theirs (the suite's Debian 12 test guest
# carries systemd-boot as EFI/BOOT/BOOTX64.EFI beside SYSLINUX). Proven:
#  - UEFI booted it: the guest's kernel says "efi: EFI v... by EDK II" (under
#    SeaBIOS, user_disk's boot, it has no such line), and the checks ran
#    through its guest agent as under SeaBIOS;
#  - the image and OVMF's own variable store are byte-identical afterwards:
#    the firmware wrote its copy in the run directory;
#  - bad input: firmware without disk, an unknown firmware (exit 2, one
#    line); no OVMF where it is looked for (exit 3, one line naming the
#    package), before any boot; an image without an EFI boot loader (a disk
#    with nothing but a boot sector): exit 3 as soon as OVMF starts its
#    shell, naming the firmware's own failure line, not at boot_timeout.
. "$TESTS_DIR/lib.sh"
img=${GUESTCHECK_TEST_GUEST:-}
[ -n "$img" ] && [ -r "$img" ] ||
	skip "no test guest image: 'make test-guest' builds it (as root: debootstrap)"
img=$(realpath "$img")
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
[ -r "$ovmf_vars" ] || skip "no OVMF: 'make deps' installs it (package ovmf)"

one_line() { # NAME PATTERN: exactly one line of output, and this one
	[ "$(cat "$TMP/stdout" "$TMP/stderr" | wc -l)" -eq 1 ] || fail "$1: more than one line"
	expect_output "$2"
}
printf '[scenario]\nname = nodisk\n[machine]\nfirmware = uefi\n' >"$TMP/nodisk.ini"
run_scenario "$TMP/nodisk.ini"
expect_rc 2
one_line nodisk "nodisk.ini:4: \[machine\] firmware chooses what boots a disk: it needs disk = FILE"
printf '[scenario]\nname = efi\n[machine]\ndisk = %s\nfirmware = efi\n' "$img" >"$TMP/efi.ini"
run_scenario "$TMP/efi.ini"
expect_rc 2
one_line efi "efi.ini:5: \[machine\] firmware = 'efi': use bios or uefi"

cat >"$TMP/user-disk-uefi.ini" <<EOF
[scenario]
name = user-disk-uefi
boot_timeout = 300s

[machine]
disk = $img
firmware = uefi
memory = 512M

[device hdd0]
type = hdd
size = 64M
EOF
GUESTCHECK_OVMF_DIR=$TMP/no-ovmf run_scenario "$TMP/user-disk-uefi.ini"
expect_rc 3
expect_one_line "no OVMF firmware in $TMP/no-ovmf (OVMF_CODE_4M.fd and OVMF_VARS_4M.fd): install it (apt-get install ovmf)"
[ ! -s "$OUT/console.log" ] || fail "a guest booted without its firmware"

# A BIOS-only disk: a boot sector, no FAT, nothing OVMF can start.
head -c 1M /dev/zero >"$TMP/bios-only.img"
printf '\125\252' | dd of="$TMP/bios-only.img" bs=1 seek=510 conv=notrunc status=none
sed "s#^disk = .*#disk = $TMP/bios-only.img#" "$TMP/user-disk-uefi.ini" >"$TMP/bios-only.ini"
start=$(date +%s)
run_scenario "$TMP/bios-only.ini"
expect_rc 3
expect_output "ERROR: OVMF found no EFI boot loader on $TMP/bios-only.img and started its shell (BdsDxe: failed to load Boot0001 .*: Not Found): .*remove firmware = uefi"
grep -q "no answer from the guest's QEMU guest agent" "$TMP/stderr" && fail "waited for the agent: the shell was not seen"
echo "OVMF's shell seen after $(($(date +%s) - start)) s of a 300 s boot_timeout"

sum=$(sha256sum <"$img")
vars_sum=$(sha256sum <"$ovmf_vars")
run_scenario "$TMP/user-disk-uefi.ini"
[ "$(sha256sum <"$img")" = "$sum" ] || fail "the user's image $img changed"
[ "$(sha256sum <"$ovmf_vars")" = "$vars_sum" ] || fail "OVMF's own $ovmf_vars changed"
echo "$img and $ovmf_vars byte-identical (sha256)"
expect_rc 0
expect_output "scenario user-disk-uefi: PASS"
expect_file_has "$OUT/console.log" "efi: EFI v[0-9.]* by EDK II"
expect_file_has "$OUT/ktap.log" "hdd0 (hdd): /dev/sda present"
expect_output "powered off"
cmdline=$OUT/qemu-cmdline.txt
grep -q -- "-kernel" "$cmdline" && fail "booted with -kernel, not by the firmware"
expect_file_has "$cmdline" "if=pflash,unit=0,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
expect_file_has "$cmdline" "if=pflash,unit=1,format=raw,file=[^ ]*/uefi-vars.fd"
echo "booted by UEFI: $(sed -n 's/^boot_to_agent_s = //p' "$OUT/guest-agent.txt") s to the guest agent"
