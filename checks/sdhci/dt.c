// SPDX-License-Identifier: GPL-2.0-or-later
#include "dt.h"

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DT_MAX_DEPTH 8
#define DT_MAX_CELLS 64

/* Compatibles of SD host controllers: exact names, then substrings. */
static const char *const sdhci_exact[] = {
	"xlnx,zynqmp-8.9a", "xlnx,versal-8.9a",	 "arasan,sdhci-8.9a",
	"arasan,sdhci-5.1", "arasan,sdhci-4.9a",
};
static const char *const sdhci_substrings[] = { "sdhci", "arasan," };

/* GIC interrupt specifier: the first cell is the type, the third the trigger. */
static const char *const gic_types[] = { "SPI", "PPI" };
static const char *const gic_triggers[16] = {
	[1] = "edge-rising", [2] = "edge-falling", [3] = "edge-both",
	[4] = "level-high",  [8] = "level-low",
};

bool dt_sdhci_compatible(const char *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(sdhci_exact); i++)
		if (!strcmp(c, sdhci_exact[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(sdhci_substrings); i++)
		if (strstr(c, sdhci_substrings[i]))
			return true;
	return false;
}

int dt_prop(const struct sysroot *root, const char *node, const char *prop, void *buf, size_t size)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (sysroot_path(root, path, sizeof(path), "/proc/device-tree%s/%s", node, prop) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size);
	return n < 0 ? -errno : (int)n;
}

static bool prop_exists(const struct sysroot *root, const char *node, const char *prop)
{
	return sysroot_exists(root, "/proc/device-tree%s/%s", node, prop);
}

static int prop_cells(const struct sysroot *root, const char *node, const char *prop,
		      uint32_t *cells, size_t max)
{
	int n = dt_prop(root, node, prop, cells, max * sizeof(*cells));

	if (n < 0)
		return n;
	for (int i = 0; i < n / 4; i++)
		cells[i] = be32toh(cells[i]);
	return n / 4;
}

static int prop_u32(const struct sysroot *root, const char *node, const char *prop, uint32_t *v)
{
	int n = prop_cells(root, node, prop, v, 1);

	return n == 1 ? 0 : n < 0 ? n : -EINVAL;
}

/* A string property; a string list becomes "a, b". */
static void prop_string(const struct sysroot *root, const char *node, const char *prop, char *buf,
			size_t size)
{
	char raw[256];
	int n = dt_prop(root, node, prop, raw, sizeof(raw) - 1);
	size_t len = 0;

	buf[0] = '\0';
	if (n <= 0)
		return;
	raw[n] = '\0';
	for (int i = 0; i < n && len + 1 < size; i += strlen(raw + i) + 1) {
		int w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", raw + i);

		if (w < 0 || (size_t)w >= size - len)
			break;
		len += w;
	}
}

static void parent_of(const char *node, char *parent, size_t size)
{
	const char *slash = strrchr(node, '/');

	snprintf(parent, size, "%.*s", slash ? (int)(slash - node) : 0, node);
}

/* #address-cells / #size-cells that apply to the children of `bus`, as Linux finds them. */
static uint32_t bus_cells(const struct sysroot *root, const char *bus, const char *prop,
			  uint32_t dflt)
{
	char cur[DT_PATH_MAX];
	uint32_t v;

	snprintf(cur, sizeof(cur), "%s", bus);
	for (;;) {
		if (prop_u32(root, cur, prop, &v) == 0)
			return v;
		if (!cur[0])
			return dflt;
		parent_of(cur, cur, sizeof(cur));
	}
}

static uint64_t cells_value(const uint32_t *c, uint32_t n)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < n; i++)
		v = (v << 32) | c[i];
	return v;
}

/* Translate a bus address up to the root through each bus's ranges. */
static bool translate(const struct sysroot *root, const char *node, uint64_t *addr)
{
	char bus[DT_PATH_MAX];

	parent_of(node, bus, sizeof(bus));
	while (bus[0]) {
		char up[DT_PATH_MAX];
		uint32_t cells[DT_MAX_CELLS], ca, pa, cs;
		int n;
		bool hit = false;

		parent_of(bus, up, sizeof(up));
		n = prop_cells(root, bus, "ranges", cells, ARRAY_SIZE(cells));
		if (n > 0) {
			ca = bus_cells(root, bus, "#address-cells", 1);
			cs = bus_cells(root, bus, "#size-cells", 1);
			pa = bus_cells(root, up, "#address-cells", 1);
			/*
			 * The guest's numbers: a 64-bit address is at most 2 cells
			 * (read_reg's bound). Found by tests/fuzz/dt_fuzz.c: with
			 * #address-cells 0x80000002 the sum went negative as an int
			 * and the loop read past cells[].
			 */
			if (!ca || ca > 2 || pa > 2 || cs > 2)
				return false;
			for (int i = 0; ca && i + (int)(ca + pa + cs) <= n; i += ca + pa + cs) {
				uint64_t child = cells_value(cells + i, ca);
				uint64_t parent = cells_value(cells + i + ca, pa);
				uint64_t size = cells_value(cells + i + ca + pa, cs);

				if (*addr >= child && *addr - child < size) {
					*addr = *addr - child + parent;
					hit = true;
					break;
				}
			}
			if (!hit)
				return false;
		}
		/* An empty or missing ranges: addresses pass through unchanged. */
		snprintf(bus, sizeof(bus), "%s", up);
	}
	return true;
}

static void read_reg(const struct sysroot *root, struct sdhci_dt_node *n)
{
	char bus[DT_PATH_MAX];
	uint32_t cells[8], ac, sc;
	int count;

	parent_of(n->path, bus, sizeof(bus));
	ac = bus_cells(root, bus, "#address-cells", 1);
	sc = bus_cells(root, bus, "#size-cells", 1);
	count = prop_cells(root, n->path, "reg", cells, ARRAY_SIZE(cells));
	if (count < (int)(ac + sc) || ac > 2 || sc > 2 || !ac)
		return;
	n->base = cells_value(cells, ac);
	n->size = cells_value(cells + ac, sc);
	n->has_reg = translate(root, n->path, &n->base);
}

/* Depth-first search for the node whose phandle is `ph`. */
static bool find_phandle(const struct sysroot *root, const char *node, uint32_t ph, int depth,
			 char *out, size_t size)
{
	_cleanup_closedir_ DIR *d = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	uint32_t v;

	if ((prop_u32(root, node, "phandle", &v) == 0 ||
	     prop_u32(root, node, "linux,phandle", &v) == 0) &&
	    v == ph) {
		snprintf(out, size, "%s", node);
		return true;
	}
	if (depth >= DT_MAX_DEPTH ||
	    sysroot_path(root, path, sizeof(path), "/proc/device-tree%s", node) < 0)
		return false;
	d = opendir(path);
	while (d && (de = readdir(d))) {
		char child[DT_PATH_MAX];

		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", node, de->d_name) >= (int)sizeof(child))
			continue;
		if (find_phandle(root, child, ph, depth + 1, out, size))
			return true;
	}
	return false;
}

static void resolve(const struct sysroot *root, uint32_t ph, struct dt_ref *ref,
		    const char *value_prop)
{
	ref->present = true;
	if (!find_phandle(root, "", ph, 0, ref->node, sizeof(ref->node)))
		return;
	ref->resolved = true;
	prop_string(root, ref->node, "compatible", ref->compatible, sizeof(ref->compatible));
	/* Only the first compatible: "regulator-fixed", "fixed-clock". */
	ref->compatible[strcspn(ref->compatible, ",")] = '\0';
	prop_u32(root, ref->node, value_prop, &ref->value);
	if (!ref->name[0])
		prop_string(root, ref->node, "regulator-name", ref->name, sizeof(ref->name));
}

static void read_supply(const struct sysroot *root, const struct sdhci_dt_node *n, const char *prop,
			struct dt_ref *ref)
{
	uint32_t ph;

	if (prop_u32(root, n->path, prop, &ph) == 0)
		resolve(root, ph, ref, "regulator-min-microvolt");
	else if (prop_exists(root, n->path, prop))
		ref->present = true;
}

static void read_clocks(const struct sysroot *root, struct sdhci_dt_node *n)
{
	uint32_t cells[DT_MAX_CELLS];
	char names[128];
	int count = prop_cells(root, n->path, "clocks", cells, ARRAY_SIZE(cells));
	int nlen = dt_prop(root, n->path, "clock-names", names, sizeof(names) - 1);
	const char *name = names;

	if (nlen < 0)
		nlen = 0;
	names[nlen] = '\0';
	for (int i = 0; i < count && n->nclocks < DT_MAX_CLOCKS;) {
		struct dt_ref *c = &n->clocks[n->nclocks++];
		uint32_t args = 0;

		if (name < names + nlen) {
			snprintf(c->name, sizeof(c->name), "%s", name);
			name += strlen(name) + 1;
		}
		resolve(root, cells[i], c, "clock-frequency");
		if (c->resolved)
			prop_u32(root, c->node, "#clock-cells", &args);
		/* The guest's number: one past the cells left ends the list (no int overflow). */
		if (args >= (uint32_t)(count - i))
			break;
		i += 1 + args;
	}
}

static void read_irq(const struct sysroot *root, struct sdhci_dt_node *n)
{
	uint32_t cells[4];
	int count = prop_cells(root, n->path, "interrupts", cells, ARRAY_SIZE(cells));

	if (count == 3 && cells[0] < ARRAY_SIZE(gic_types)) {
		const char *trig = gic_triggers[cells[2] & 0xf];

		snprintf(n->irq, sizeof(n->irq), "%s %u %s", gic_types[cells[0]], cells[1],
			 trig ? trig : "trigger?");
		n->irq_ppi = cells[0] == 1;
		n->irq_hw = cells[1] + (cells[0] == 0 ? 32 : 16);
	} else if (count > 0) {
		snprintf(n->irq, sizeof(n->irq), "%d cells, first %u", count, cells[0]);
	} else if (prop_exists(root, n->path, "interrupts-extended")) {
		snprintf(n->irq, sizeof(n->irq), "interrupts-extended");
	}
}

static void read_node(const struct sysroot *root, struct sdhci_dt_node *n)
{
	char status[32];

	prop_string(root, n->path, "status", status, sizeof(status));
	n->okay = !status[0] || !strcmp(status, "okay") || !strcmp(status, "ok");
	read_reg(root, n);
	read_irq(root, n);
	read_clocks(root, n);
	read_supply(root, n, "vmmc-supply", &n->vmmc);
	read_supply(root, n, "vqmmc-supply", &n->vqmmc);
	n->dma_coherent = prop_exists(root, n->path, "dma-coherent");
	n->iommus = prop_exists(root, n->path, "iommus");
}

static bool is_sdhci(const struct sysroot *root, const char *node, char *compat, size_t size)
{
	char raw[256];
	int n = dt_prop(root, node, "compatible", raw, sizeof(raw) - 1);
	bool hit = false;

	if (n <= 0)
		return false;
	raw[n] = '\0';
	for (int i = 0; i < n; i += strlen(raw + i) + 1)
		hit |= dt_sdhci_compatible(raw + i);
	if (hit)
		prop_string(root, node, "compatible", compat, size);
	return hit;
}

static void walk(const struct sysroot *root, const char *node, int depth, struct sdhci_dt_node *out,
		 size_t max, size_t *count)
{
	_cleanup_closedir_ DIR *d = NULL;
	char path[PATH_MAX], compat[128];
	struct dirent *de;

	if (node[0] && is_sdhci(root, node, compat, sizeof(compat))) {
		if (*count < max) {
			struct sdhci_dt_node *n = &out[*count];

			*n = (struct sdhci_dt_node){ 0 };
			snprintf(n->path, sizeof(n->path), "%s", node);
			snprintf(n->compatible, sizeof(n->compatible), "%s", compat);
			read_node(root, n);
		}
		(*count)++;
	}
	if (depth >= DT_MAX_DEPTH ||
	    sysroot_path(root, path, sizeof(path), "/proc/device-tree%s", node) < 0)
		return;
	d = opendir(path);
	while (d && (de = readdir(d))) {
		char child[DT_PATH_MAX];

		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", node, de->d_name) >= (int)sizeof(child))
			continue;
		walk(root, child, depth + 1, out, max, count);
	}
}

size_t dt_find_sdhci(const struct sysroot *root, struct sdhci_dt_node *out, size_t max)
{
	size_t count = 0;

	walk(root, "", 0, out, max, &count);
	return count;
}

void dt_platform_name(const struct sdhci_dt_node *n, char *buf, size_t size)
{
	const char *leaf = strrchr(n->path, '/');
	size_t len;

	leaf = leaf ? leaf + 1 : n->path;
	len = strcspn(leaf, "@");
	snprintf(buf, size, "%llx.%.*s", (unsigned long long)n->base, (int)len, leaf);
}
