#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test installer: reads 4 KiB of the eMMC at 2 MiB and writes the same bytes
# back. The card's contents do not change, yet the write is caught.
. /installer-lib.sh
installer_start sda mmcblk0
$B dd if=/dev/mmcblk0 of=/tmp/block bs=4096 skip=512 count=1 2>/dev/null
$B dd if=/tmp/block of=/dev/mmcblk0 bs=4096 seek=512 count=1 conv=fsync 2>/dev/null
echo "installer: rewrote 4 KiB of /dev/mmcblk0 at 2 MiB with its own bytes"
installer_end
