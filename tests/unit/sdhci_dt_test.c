// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks/sdhci/dt.c over device trees built here, file by file, the way the
 * kernel exposes them in /proc/device-tree (big-endian cells, NUL-separated
 * string lists): SDHCI nodes are found by compatible, reg is translated
 * through a bus's ranges, clocks and supplies are followed by phandle, and
 * what is missing or wrong shows.
 */
#include <endian.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kselftest_harness.h"

#include "sdhci/dt.h"

static void node(const char *root, const char *path)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/proc/device-tree%s", root, path);
	mkdir(p, 0755);
}

static void raw(const char *root, const char *path, const char *prop, const void *b, size_t n)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/proc/device-tree%s/%s", root, path, prop);
	f = fopen(p, "we");
	if (!f)
		return;
	fwrite(b, 1, n, f);
	fclose(f);
}

/* A property of `n` big-endian cells. */
static void cells(const char *root, const char *path, const char *prop, int n, ...)
{
	uint32_t c[16];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n && i < 16; i++)
		c[i] = htobe32(va_arg(ap, uint32_t));
	va_end(ap);
	raw(root, path, prop, c, 4 * n);
}

/* A string list: the strings with their NULs, as dtc writes it. */
static void strs(const char *root, const char *path, const char *prop, const char *list, size_t len)
{
	raw(root, path, prop, list, len);
}

#define STRS(root, path, prop, lit) strs(root, path, prop, lit, sizeof(lit))

static int rm(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

FIXTURE(tree)
{
	char dir[64];
	struct sysroot root;
};

/* A ZynqMP-like guest: the Arasan node as a passthrough guest needs it. */
FIXTURE_SETUP(tree)
{
	const char *d;

	snprintf(self->dir, sizeof(self->dir), "/tmp/sdhci-dt-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->root.prefix, sizeof(self->root.prefix), "%s", self->dir);
	d = self->dir;
	{
		char p[256];

		snprintf(p, sizeof(p), "%s/proc", d);
		mkdir(p, 0755);
	}
	node(d, "");
	cells(d, "", "#address-cells", 1, 2);
	cells(d, "", "#size-cells", 1, 2);
	node(d, "/clk_ahb");
	STRS(d, "/clk_ahb", "compatible", "fixed-clock");
	cells(d, "/clk_ahb", "#clock-cells", 1, 0);
	cells(d, "/clk_ahb", "clock-frequency", 1, 187500000);
	cells(d, "/clk_ahb", "phandle", 1, 1);
	node(d, "/clk_xin");
	STRS(d, "/clk_xin", "compatible", "fixed-clock");
	cells(d, "/clk_xin", "#clock-cells", 1, 0);
	cells(d, "/clk_xin", "clock-frequency", 1, 200000000);
	cells(d, "/clk_xin", "phandle", 1, 2);
	node(d, "/regulator-vmmc");
	STRS(d, "/regulator-vmmc", "compatible", "regulator-fixed");
	STRS(d, "/regulator-vmmc", "regulator-name", "vmmc");
	cells(d, "/regulator-vmmc", "regulator-min-microvolt", 1, 3300000);
	cells(d, "/regulator-vmmc", "phandle", 1, 3);
	node(d, "/axi");
	STRS(d, "/axi", "compatible", "simple-bus");
	cells(d, "/axi", "#address-cells", 1, 2);
	cells(d, "/axi", "#size-cells", 1, 2);
	raw(d, "/axi", "ranges", "", 0);
	node(d, "/axi/mmc@ff170000");
	STRS(d, "/axi/mmc@ff170000", "compatible", "xlnx,zynqmp-8.9a\0arasan,sdhci-8.9a");
	cells(d, "/axi/mmc@ff170000", "reg", 4, 0, 0xff170000, 0, 0x1000);
	cells(d, "/axi/mmc@ff170000", "interrupts", 3, 0, 49, 4);
	cells(d, "/axi/mmc@ff170000", "clocks", 2, 1, 2);
	STRS(d, "/axi/mmc@ff170000", "clock-names", "clk_ahb\0clk_xin");
	cells(d, "/axi/mmc@ff170000", "vmmc-supply", 1, 3);
	raw(d, "/axi/mmc@ff170000", "dma-coherent", "", 0);
	STRS(d, "/axi/mmc@ff170000", "status", "okay");
	/* Not an SD host: must not be found. */
	node(d, "/axi/serial@ff000000");
	STRS(d, "/axi/serial@ff000000", "compatible", "cdns,uart-r1p12\0xlnx,xuartps");
}

FIXTURE_TEARDOWN(tree)
{
	nftw(self->dir, rm, 16, FTW_DEPTH | FTW_PHYS);
}

TEST_F(tree, arasan_node_as_a_passthrough_guest_needs_it)
{
	struct sdhci_dt_node n[4];
	char name[64];

	ASSERT_EQ(1U, dt_find_sdhci(&self->root, n, 4));
	EXPECT_STREQ("/axi/mmc@ff170000", n[0].path);
	EXPECT_STREQ("xlnx,zynqmp-8.9a, arasan,sdhci-8.9a", n[0].compatible);
	EXPECT_TRUE(n[0].okay);
	EXPECT_TRUE(n[0].has_reg);
	EXPECT_EQ(0xff170000ULL, n[0].base);
	EXPECT_EQ(0x1000ULL, n[0].size);
	EXPECT_STREQ("SPI 49 level-high", n[0].irq);
	EXPECT_EQ(81U, n[0].irq_hw);
	EXPECT_FALSE(n[0].irq_ppi);
	ASSERT_EQ(2U, n[0].nclocks);
	EXPECT_STREQ("clk_ahb", n[0].clocks[0].name);
	EXPECT_STREQ("/clk_ahb", n[0].clocks[0].node);
	EXPECT_STREQ("fixed-clock", n[0].clocks[0].compatible);
	EXPECT_EQ(187500000U, n[0].clocks[0].value);
	EXPECT_STREQ("clk_xin", n[0].clocks[1].name);
	EXPECT_EQ(200000000U, n[0].clocks[1].value);
	EXPECT_TRUE(n[0].vmmc.resolved);
	EXPECT_STREQ("regulator-fixed", n[0].vmmc.compatible);
	EXPECT_EQ(3300000U, n[0].vmmc.value);
	EXPECT_STREQ("vmmc", n[0].vmmc.name);
	EXPECT_FALSE(n[0].vqmmc.present);
	EXPECT_TRUE(n[0].dma_coherent);
	dt_platform_name(&n[0], name, sizeof(name));
	EXPECT_STREQ("ff170000.mmc", name);
}

TEST_F(tree, reg_translated_through_ranges)
{
	struct sdhci_dt_node n[4];
	const char *d = self->dir;

	/* A 32-bit bus mapped at 0xf0000000: child 0x160000 is CPU 0xf0160000. */
	node(d, "/bus@f0000000");
	cells(d, "/bus@f0000000", "#address-cells", 1, 1);
	cells(d, "/bus@f0000000", "#size-cells", 1, 1);
	cells(d, "/bus@f0000000", "ranges", 4, 0, 0, 0xf0000000, 0x1000000);
	node(d, "/bus@f0000000/sdhci@160000");
	STRS(d, "/bus@f0000000/sdhci@160000", "compatible", "generic-sdhci");
	cells(d, "/bus@f0000000/sdhci@160000", "reg", 2, 0x160000, 0x100);
	cells(d, "/bus@f0000000/sdhci@160000", "interrupts", 3, 1, 13, 8);
	cells(d, "/bus@f0000000/sdhci@160000", "clocks", 1, 42);     /* no such phandle */
	cells(d, "/bus@f0000000/sdhci@160000", "vmmc-supply", 1, 2); /* a clock, not a regulator */
	STRS(d, "/bus@f0000000/sdhci@160000", "status", "disabled");

	ASSERT_EQ(2U, dt_find_sdhci(&self->root, n, 4));
	if (strcmp(n[0].path, "/bus@f0000000/sdhci@160000")) {
		struct sdhci_dt_node t = n[0];

		n[0] = n[1];
		n[1] = t;
	}
	EXPECT_EQ(0xf0160000ULL, n[0].base);
	EXPECT_EQ(0x100ULL, n[0].size);
	EXPECT_FALSE(n[0].okay);
	EXPECT_TRUE(n[0].irq_ppi);
	EXPECT_STREQ("PPI 13 level-low", n[0].irq);
	ASSERT_EQ(1U, n[0].nclocks);
	EXPECT_TRUE(n[0].clocks[0].present);
	EXPECT_FALSE(n[0].clocks[0].resolved);
	EXPECT_TRUE(n[0].vmmc.resolved);
	EXPECT_STREQ("fixed-clock", n[0].vmmc.compatible);
	EXPECT_FALSE(n[0].dma_coherent);
}

/*
 * The guest's cell counts, from tests/fuzz/dt_fuzz.c's reproducer
 * (tests/fuzz/corpus/dt/crash-88f979f5...): the root's #address-cells is
 * 0x80000002 and the bus's ranges 5 cells. The ranges' entry size went
 * negative as an int and translate() read past its cells: now the address
 * is not translated and the node is still reported.
 */
TEST_F(tree, huge_address_cells_leave_reg_untranslated)
{
	struct sdhci_dt_node n[4];
	const char *d = self->dir;

	cells(d, "", "#address-cells", 1, 0x80000002);
	cells(d, "/axi", "ranges", 5, 0, 0, 0, 0, 0);
	ASSERT_EQ(1U, dt_find_sdhci(&self->root, n, 4));
	EXPECT_STREQ("/axi/mmc@ff170000", n[0].path);
	EXPECT_FALSE(n[0].has_reg);
	EXPECT_STREQ("SPI 49 level-high", n[0].irq);
}

/* A clock's #clock-cells of 0x7fffffff: the list ends there, no index past it. */
TEST_F(tree, huge_clock_cells_end_the_clock_list)
{
	struct sdhci_dt_node n[4];

	cells(self->dir, "/clk_ahb", "#clock-cells", 1, 0x7fffffff);
	ASSERT_EQ(1U, dt_find_sdhci(&self->root, n, 4));
	ASSERT_EQ(1U, n[0].nclocks);
	EXPECT_TRUE(n[0].clocks[0].resolved);
	EXPECT_EQ(187500000U, n[0].clocks[0].value);
	EXPECT_TRUE(n[0].has_reg);
}

TEST(compatibles)
{
	EXPECT_TRUE(dt_sdhci_compatible("arasan,sdhci-8.9a"));
	EXPECT_TRUE(dt_sdhci_compatible("xlnx,zynqmp-8.9a"));
	EXPECT_TRUE(dt_sdhci_compatible("rockchip,rk3399-sdhci-5.1"));
	EXPECT_FALSE(dt_sdhci_compatible("xlnx,xuartps"));
	EXPECT_FALSE(dt_sdhci_compatible("mmc-pwrseq-simple"));
}

TEST(no_device_tree)
{
	struct sysroot root = { .prefix = "/nonexistent-sdhci-root" };
	struct sdhci_dt_node n[1];

	EXPECT_EQ(0U, dt_find_sdhci(&root, n, 1));
}

TEST_HARNESS_MAIN
