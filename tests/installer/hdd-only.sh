#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test installer: installs onto the hard disk only. Non-interference passes.
. /installer-lib.sh
installer_start sda mmcblk0
$B dd if=/dev/urandom of=/dev/sda bs=64k count=32 conv=fsync 2>/dev/null
echo "installer: wrote 2 MiB to /dev/sda"
installer_end
