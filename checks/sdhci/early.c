// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The agent's early snapshot: runs in init before any module loads, the one
 * moment no SDHCI driver can hold a controller (Debian builds them as
 * modules), so CONFIG_IO_STRICT_DEVMEM still lets us map the registers.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sdhci.h"

static int mkdirs(const struct sysroot *root, const char *dir)
{
	char path[PATH_MAX];

	if (sysroot_path(root, path, sizeof(path), "%s", dir) < 0)
		return -ENAMETOOLONG;
	for (char *p = path + strlen(root->prefix) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

void sdhci_early_snapshot(const struct sysroot *root, const struct config *config)
{
	struct check_env env = { .config = config, .root = root };
	struct sdhci_controller c[SDHCI_MAX_CONTROLLERS];
	size_t unmatched, n = sdhci_find(&env, c, ARRAY_SIZE(c), &unmatched, NULL, 0);

	if (n > ARRAY_SIZE(c))
		n = ARRAY_SIZE(c);
	if (!n || mkdirs(root, SDHCI_SNAPSHOT_DIR) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct sdhci_readout r;
		char path[PATH_MAX];

		sdhci_read_live(&c[i], &r);
		/* A write, so only where the scenario asked and the registers answered. */
		if (c[i].expect.clock_test && !c[i].driver[0] && r.error == 0 &&
		    !sdhci_regs_all(&r.regs, 0) && !sdhci_regs_all(&r.regs, ~0u)) {
			struct mmio_fault f;

			r.have_clock_test = true;
			r.clock_error =
				mmio_clock_test(&c[i].window, SDHCI_CLOCK_LIMIT_MS, &r.clock, &f);
		}
		if (sysroot_path(root, path, sizeof(path), SDHCI_SNAPSHOT_DIR "/%llx",
				 (unsigned long long)c[i].base) == 0)
			sdhci_snapshot_write(path, &c[i], &r);
	}
}
