#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test installer: finds its disks, then never ends (a run is stopped in its
# installer phase: tests/qemu/noninterference_signals.sh).
. /installer-lib.sh
installer_start sda mmcblk0
echo "installer: sleeping"
exec $B sleep 1000
