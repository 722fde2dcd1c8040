# Bad input gets one clear line naming the cause and the fix, and the right
# exit status: 2 for usage and scenarios (with FILE:LINE), 3 for a QEMU that
# cannot start. No guest boots here.
. "$TESTS_DIR/lib.sh"
check() { # expected-rc expected-message scenario-text [args]
	local want=$1 msg=$2 text=$3; shift 3
	printf '%s\n' "$text" >"$TMP/bad.ini"
	run_scenario "$TMP/bad.ini" "$@"
	expect_rc "$want"
	expect_output "$msg"
}
check 2 "bad.ini:4: \[device sd0\] type = 'sdcard' is not a device type: use one of sd-card" \
	$'[scenario]\nname = x\n[device sd0]\ntype = sdcard'
check 2 "bad.ini:5: \[device sd0\]: an SD card of 50000000 bytes: QEMU only takes power-of-2 sizes" \
	$'[scenario]\nname = x\n[device sd0]\ntype = sd-card\nsize = 50000000'
check 2 "bad.ini:3: \[scenario\]: unknown key 'nmae' for \[scenario\]: known keys are name" \
	$'[scenario]\nname = x\nnmae = y'
check 2 "bad.ini:2: not 'key = value'" $'[scenario]\nthis is not ini'
check 2 "no \[scenario\] section" $'[machine]\nmemory = 512M'
check 2 "bad.ini:4: \[device n\] mac = '01:00:00:00:00:01' is a multicast address" \
	$'[scenario]\nname = x\n[device n]\nmac = 01:00:00:00:00:01\ntype = usb-net'
check 2 "kernel /nonexistent/vmlinuz: No such file or directory" $'[scenario]\nname = x' \
	--kernel /nonexistent/vmlinuz
run_scenario "$TMP/does-not-exist.ini"; expect_rc 2; expect_output "no such scenario file"
set +e; "$GUESTCHECK" run; rc=$?; "$GUESTCHECK" frobnicate; rc2=$?; "$GUESTCHECK" run x --bogus; rc3=$?; set -e
[ $rc -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ] || fail "bad usage must exit 2 ($rc $rc2 $rc3)"
"$GUESTCHECK" --help | grep -q "qemu-args" || fail "--help lacks the command table"
# A QEMU named but not there is bad input, found before boot (qemu_errors.sh has the rest).
GUESTCHECK_QEMU=/nonexistent/qemu check 2 "GUESTCHECK_QEMU=/nonexistent/qemu: No such file or directory: fix it, or unset it" \
	$'[scenario]\nname = x'
# An image a guest would write must be meant: not a system file, directly or
# through a symlink out of the scenario's folder (the runner is root for taps),
# not a host disk. readonly = yes or image_trusted = yes says it is meant.
ln -s /etc/shadow "$TMP/disk.img"
check 2 "bad.ini:5: \[device d\]: image $TMP/disk.img -> /etc/shadow is a system file (under /etc): the guest would write it: name a disk image, set readonly = yes, or image_trusted = yes if you mean it" \
	$'[scenario]\nname = x\n[device d]\ntype = hdd\nimage = disk.img'
check 2 "bad.ini:5: \[device z\]: image /usr/bin/true is a system file (under /usr)" \
	$'[scenario]\nname = x\n[device z]\ntype = nvme-zns\nimage = /usr/bin/true'
blk=$(find /dev -maxdepth 1 -type b -name 'loop*' | head -n1)
if [ -n "$blk" ]; then
	check 2 "bad.ini:5: \[device d\]: image $blk is a block device: the guest would write a host disk" \
		"$(printf '[scenario]\nname = x\n[device d]\ntype = hdd\nimage = %s' "$blk")"
fi
# Meant: accepted (export writes the configuration without booting anything).
printf '[scenario]\nname = x\n[device d]\ntype = hdd\nimage = disk.img\nreadonly = yes\n' >"$TMP/ro.ini"
"$GUESTCHECK" export --qemu-config "$TMP/ro.ini" -o "$TMP/exp-ro" ||
	fail "a read-only image in a system folder was refused"
printf '[scenario]\nname = x\n[device d]\ntype = hdd\nimage = disk.img\nimage_trusted = yes\n' >"$TMP/tr.ini"
"$GUESTCHECK" export --qemu-config "$TMP/tr.ini" -o "$TMP/exp-tr" ||
	fail "image_trusted = yes did not accept the image"
