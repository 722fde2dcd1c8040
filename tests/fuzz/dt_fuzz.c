// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's device tree as the SD host controller checks read it
 * (sdhci/dt.h, /proc/device-tree through a sysroot): a fixed shape of
 * nodes (a bus, an SD host under it, a clock and a regulator it points to),
 * every property's bytes from the input. Each property is one length byte
 * and that many bytes; length 255 leaves the property out. The seeds were
 * made from tests/sysroots/sdhci-zcu102-guest's properties.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#include "sdhci/dt.h"

static const char *const props[] = {
	"/#address-cells",
	"/#size-cells",
	"/axi/#address-cells",
	"/axi/#size-cells",
	"/axi/ranges",
	"/axi/mmc@ff170000/compatible",
	"/axi/mmc@ff170000/reg",
	"/axi/mmc@ff170000/interrupts",
	"/axi/mmc@ff170000/clocks",
	"/axi/mmc@ff170000/clock-names",
	"/axi/mmc@ff170000/vmmc-supply",
	"/axi/mmc@ff170000/vqmmc-supply",
	"/axi/mmc@ff170000/status",
	"/clk/phandle",
	"/clk/compatible",
	"/clk/clock-frequency",
	"/clk/#clock-cells",
	"/reg/phandle",
	"/reg/compatible",
	"/reg/regulator-min-microvolt",
	"/reg/regulator-name",
};

static struct sysroot root;

static void make_tree(void)
{
	static const char *const dirs[] = { "/proc",
					    "/proc/device-tree",
					    "/proc/device-tree/axi",
					    "/proc/device-tree/axi/mmc@ff170000",
					    "/proc/device-tree/clk",
					    "/proc/device-tree/reg" };
	char path[512];

	snprintf(root.prefix, sizeof(root.prefix), "%s", fuzz_scratch());
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", root.prefix, dirs[i]);
		mkdir(path, 0755);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdhci_dt_node nodes[2];
	char path[512], name[128];
	size_t off = 0, n;

	if (!root.prefix[0])
		make_tree();
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		size_t len = off < size ? data[off++] : 255;

		snprintf(path, sizeof(path), "%s/proc/device-tree%s", root.prefix, props[i]);
		if (len == 255) {
			unlink(path);
			continue;
		}
		if (len > size - off)
			len = size - off;
		fuzz_put_file(path, data + off, len);
		off += len;
	}
	n = dt_find_sdhci(&root, nodes, 2);
	for (size_t i = 0; i < n && i < 2; i++)
		dt_platform_name(&nodes[i], name, sizeof(name));
	return 0;
}
