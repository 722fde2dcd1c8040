/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's device tree as the kernel exposes it (/proc/device-tree, read
 * through the sysroot): SD host controller nodes and what a driver needs
 * from them: reg (translated through the buses' ranges), interrupts,
 * clocks, supplies and dma-coherent. Node paths are relative to the tree's
 * root: "/axi/mmc@ff170000"; the root itself is "".
 */
#ifndef GUESTCHECK_SDHCI_DT_H
#define GUESTCHECK_SDHCI_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysroot.h"

#define DT_PATH_MAX   192
#define DT_MAX_CLOCKS 4

/* A phandle's target, as a supply or a clock needs it. */
struct dt_ref {
	bool present;		/* the property is there */
	bool resolved;		/* and its phandle names a node */
	char node[DT_PATH_MAX]; /* the target node */
	char compatible[64];	/* its first compatible */
	uint32_t value;		/* clock-frequency (Hz) or regulator-min-microvolt */
	char name[32];		/* clock-names entry, regulator-name */
};

struct sdhci_dt_node {
	char path[DT_PATH_MAX];
	char compatible[128]; /* every compatible string, ", "-separated */
	bool okay;	      /* no status, or "okay"/"ok" */
	bool has_reg;
	uint64_t base, size; /* CPU physical, after ranges */
	char irq[64];	     /* "SPI 49 level-high", "" when none */
	bool irq_ppi;	     /* a per-CPU interrupt: cannot be passed through */
	uint32_t irq_hw;     /* the number the GIC shows in /proc/interrupts (SPI + 32) */
	struct dt_ref clocks[DT_MAX_CLOCKS];
	size_t nclocks;
	struct dt_ref vmmc, vqmmc;
	bool dma_coherent;
	bool iommus;
};

/* Is this compatible string an SD host controller guestcheck knows? */
bool dt_sdhci_compatible(const char *compatible);

/*
 * Every SDHCI node in the tree, in directory order. Returns how many there are
 * (which may exceed max: only max are filled), 0 when there is no tree.
 */
size_t dt_find_sdhci(const struct sysroot *root, struct sdhci_dt_node *out, size_t max);

/* Raw property bytes; returns the length or -errno (-ENOENT: absent). */
int dt_prop(const struct sysroot *root, const char *node, const char *prop, void *buf, size_t size);

/* The kernel's name for the node's platform device: "ff170000.mmc". */
void dt_platform_name(const struct sdhci_dt_node *n, char *buf, size_t size);

#endif
