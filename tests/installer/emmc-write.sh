#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test installer: installs onto the hard disk, then writes 4 KiB of zeros to
# the eMMC at 1 MiB. Non-interference fails, naming 4096 bytes at 1048576.
. /installer-lib.sh
installer_start sda mmcblk0
$B dd if=/dev/urandom of=/dev/sda bs=64k count=32 conv=fsync 2>/dev/null
$B dd if=/dev/zero of=/dev/mmcblk0 bs=4096 seek=256 count=1 conv=fsync 2>/dev/null
echo "installer: wrote 4 KiB to /dev/mmcblk0 at 1 MiB"
installer_end
