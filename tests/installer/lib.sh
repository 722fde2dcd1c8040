# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the test installers (sourced as /installer-lib.sh): the mounts,
# the drivers a NAS installer loads, the disks it waits for, and the end.
# Only busybox: the base image has it at /bin/busybox.
B=/bin/busybox

installer_start() {
	$B mount -t proc proc /proc
	$B mount -t sysfs sysfs /sys
	$B mount -t devtmpfs devtmpfs /dev
	for m in ahci sd_mod sdhci_pci mmc_block; do
		$B modprobe $m || echo "installer: modprobe $m failed"
	done
	for dev in "$@"; do
		n=0
		while [ ! -b /dev/$dev ] && [ $n -lt 150 ]; do
			$B sleep 0.2
			n=$((n + 1))
		done
		[ -b /dev/$dev ] || { echo "installer: /dev/$dev never appeared"; installer_end; }
	done
	echo "installer: found $*"
	# Like any installer: look at every disk first (reads never count).
	for dev in "$@"; do
		$B dd if=/dev/$dev of=/dev/null bs=64k count=16 2>/dev/null
	done
}

# Finish as installers do: sync, a moment of wrapping up, power off.
installer_end() {
	$B sync
	echo "installer: done"
	$B sleep 1
	$B poweroff -f
}
