// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One captured sysfs value (the agent reads /sys through a sysroot: a
 * captured tree in the tests, the guest's own otherwise) through every
 * reader that parses one: a number (sysroot_read_u64: size, mtu, ro), a
 * line (sysroot_read_line: operstate, zoned), a block device's stat line
 * (mmc_stat_read), and the early SDHCI register snapshot the agent leaves
 * for the checks (sdhci_snapshot_read).
 */
#include <stdio.h>

#include "fuzz.h"
#include "mkdir_p.h"
#include "sysroot.h"

#include "mmc/mmc.h"
#include "sdhci/sdhci.h"

static struct sysroot root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sdhci_readout snap;
	char path[512], line[256];
	struct mmc_stat st;
	uint64_t v;

	if (!root.prefix[0]) {
		snprintf(root.prefix, sizeof(root.prefix), "%s", fuzz_scratch());
		snprintf(path, sizeof(path), "%s/sys/class/block/mmcblk0", root.prefix);
		if (mkdir_p(path) < 0)
			abort();
	}
	snprintf(path, sizeof(path), "%s/sys/class/block/mmcblk0/stat", root.prefix);
	fuzz_put_file(path, data, size);
	sysroot_read_u64(&root, &v, "/sys/class/block/%s/stat", "mmcblk0");
	sysroot_read_line(&root, line, sizeof(line), "/sys/class/block/%s/stat", "mmcblk0");
	mmc_stat_read(&root, "mmcblk0", &st);
	sdhci_snapshot_read(path, &snap);
	return 0;
}
