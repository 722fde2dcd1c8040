// SPDX-License-Identifier: GPL-2.0-or-later
/* Where the guest's SD host controllers are, and which scenario device each one serves. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdhci.h"

#define PCI_CLASS_SD_HOST 0x0805 /* base class 0x08 (system peripheral), subclass 0x05 */

/* Scenario keys that pin a register to an exact value. */
static const struct {
	const char *key;
	enum sdhci_reg reg;
} pin_keys[] = {
	{ "sdhci_version", SDHCI_VERSION },
	{ "sdhci_caps", SDHCI_CAPS0 },
	{ "sdhci_caps1", SDHCI_CAPS1 },
	{ "sdhci_max_current", SDHCI_MAX_CURRENT },
};

static int parse_hex(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	if (!s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return -EINVAL;
	*out = strtoull(s, &end, 0);
	return errno || *end || *out > max ? -EINVAL : 0;
}

static int parse_tristate(const char *s, int *out)
{
	if (!s) {
		*out = -1;
		return 0;
	}
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "1"))
		*out = 1;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "off") || !strcmp(s, "0"))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static int bad(struct sdhci_expect *e, const char *key, const char *value, const char *want)
{
	snprintf(e->bad_key, sizeof(e->bad_key), "%s = '%s': %s", key, value, want);
	return -EINVAL;
}

int sdhci_expect_parse(const struct check_device *dev, struct sdhci_expect *e)
{
	const char *v;
	uint64_t u;
	int t;

	*e = (struct sdhci_expect){ .readonly = -1, .dma_coherent = -1, .card = true };
	snprintf(e->device, sizeof(e->device), "%s", dev->name);
	snprintf(e->node, sizeof(e->node), "%s", check_device_get(dev, "node") ?: "");
	snprintf(e->pci, sizeof(e->pci), "%.15s", check_device_get(dev, "pci_address") ?: "");
	for (size_t i = 0; i < ARRAY_SIZE(pin_keys); i++) {
		v = check_device_get(dev, pin_keys[i].key);
		if (!v)
			continue;
		if (parse_hex(v, UINT32_MAX, &u) < 0)
			return bad(e, pin_keys[i].key, v, "write a 32-bit value, e.g. 0x057834b4");
		e->pinned[pin_keys[i].reg] = true;
		e->value[pin_keys[i].reg] = u;
		e->pin_key[pin_keys[i].reg] = pin_keys[i].key;
	}
	/* QEMU's capareg is what the guest must see in Caps and Caps_1, unless pinned apart. */
	if ((v = check_device_get(dev, "capareg"))) {
		if (parse_hex(v, UINT64_MAX, &u) < 0)
			return bad(e, "capareg", v, "write a 64-bit value, e.g. 0x057834b4");
		if (!e->pinned[SDHCI_CAPS0])
			e->pinned[SDHCI_CAPS0] = true, e->value[SDHCI_CAPS0] = (uint32_t)u,
			e->pin_key[SDHCI_CAPS0] = "capareg";
		if (!e->pinned[SDHCI_CAPS1])
			e->pinned[SDHCI_CAPS1] = true, e->value[SDHCI_CAPS1] = u >> 32,
			e->pin_key[SDHCI_CAPS1] = "capareg";
	}
	if ((v = check_device_get(dev, "sdhci_base"))) {
		if (parse_hex(v, UINT64_MAX, &u) < 0 || (u & 0xff))
			return bad(e, "sdhci_base", v,
				   "write the physical address, e.g. 0xff170000");
		e->has_base = true;
		e->base = u;
	}
	if (parse_tristate(check_device_get(dev, "readonly"), &e->readonly) < 0)
		return bad(e, "readonly", check_device_get(dev, "readonly"), "write yes or no");
	v = check_device_get(dev, "sdhci_clock_test");
	if (parse_tristate(v, &t) < 0)
		return bad(e, "sdhci_clock_test", v, "write yes or no");
	e->clock_test = t == 1;
	v = check_device_get(dev, "sdhci_dma_coherent");
	if (parse_tristate(v, &e->dma_coherent) < 0)
		return bad(e, "sdhci_dma_coherent", v, "write yes or no");
	return 0;
}

static void probe_sysfs(const struct sysroot *root, struct sdhci_controller *c)
{
	char path[PATH_MAX];
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	uint64_t irq;

	c->driver[0] = c->host[0] = '\0';
	c->irq = -1;
	if (!c->sysfs[0])
		return;
	sysroot_link_name(root, c->driver, sizeof(c->driver), "%s/driver", c->sysfs);
	if (c->kind == SDHCI_KIND_PCI && sysroot_read_u64(root, &irq, "%s/irq", c->sysfs) == 0 &&
	    irq)
		c->irq = (int)irq;
	if (sysroot_path(root, path, sizeof(path), "%s/mmc_host", c->sysfs) < 0)
		return;
	d = opendir(path);
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "mmc", 3))
			snprintf(c->host, sizeof(c->host), "%.15s", de->d_name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct sdhci_controller *)a)->name,
		      ((const struct sdhci_controller *)b)->name);
}

static int by_base(const void *a, const void *b)
{
	uint64_t x = ((const struct sdhci_controller *)a)->base;
	uint64_t y = ((const struct sdhci_controller *)b)->base;

	return x < y ? -1 : x > y;
}

static size_t find_pci(const struct sysroot *root, struct sdhci_controller *out, size_t max)
{
	_cleanup_closedir_ DIR *d = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	size_t n = 0;

	if (sysroot_path(root, path, sizeof(path), "/sys/bus/pci/devices") < 0)
		return 0;
	d = opendir(path);
	while (d && (de = readdir(d)) && n < max) {
		struct sdhci_controller *c = &out[n];
		char line[128];
		uint64_t cls;
		unsigned long long start;

		if (de->d_name[0] == '.' ||
		    sysroot_read_line(root, line, sizeof(line), "/sys/bus/pci/devices/%s/class",
				      de->d_name) < 0)
			continue;
		cls = strtoull(line, NULL, 16);
		if ((cls >> 8) != PCI_CLASS_SD_HOST)
			continue;
		*c = (struct sdhci_controller){ .kind = SDHCI_KIND_PCI, .pci_class = cls };
		snprintf(c->name, sizeof(c->name), "%.63s", de->d_name);
		snprintf(c->sysfs, sizeof(c->sysfs), "/sys/bus/pci/devices/%.63s", de->d_name);
		if (sysroot_read_line(root, line, sizeof(line), "%s/resource", c->sysfs) == 0 &&
		    sscanf(line, "%llx", &start) == 1)
			c->base = start;
		sysroot_path(root, c->window.path, sizeof(c->window.path), "%s/resource0",
			     c->sysfs);
		c->window.offset = 0;
		probe_sysfs(root, c);
		n++;
	}
	qsort(out, n, sizeof(*out), by_name);
	return n;
}

static size_t find_dt(const struct sysroot *root, struct sdhci_controller *out, size_t max)
{
	struct sdhci_dt_node nodes[SDHCI_MAX_CONTROLLERS];
	size_t count = dt_find_sdhci(root, nodes, ARRAY_SIZE(nodes)), n = 0;

	if (count > ARRAY_SIZE(nodes))
		count = ARRAY_SIZE(nodes);
	for (size_t i = 0; i < count && n < max; i++) {
		struct sdhci_controller *c = &out[n++];
		char name[64];

		*c = (struct sdhci_controller){
			.kind = SDHCI_KIND_DT, .has_dt = true, .dt = nodes[i], .base = nodes[i].base
		};
		dt_platform_name(&nodes[i], name, sizeof(name));
		snprintf(c->name, sizeof(c->name), "%s", name);
		if (sysroot_exists(root, "/sys/bus/platform/devices/%s", name))
			snprintf(c->sysfs, sizeof(c->sysfs), "/sys/bus/platform/devices/%s", name);
		sysroot_path(root, c->window.path, sizeof(c->window.path), "/dev/mem");
		c->window.offset = c->base;
		probe_sysfs(root, c);
	}
	/* Address order: the order QEMU fills the slots of a machine's own controllers. */
	qsort(out, n, sizeof(*out), by_base);
	return n;
}

/* The controller whose mmc host holds /dev/NODE: "/<name>/mmc_host/" in its sysfs path. */
static struct sdhci_controller *holder_of(const struct sysroot *root, const char *node,
					  struct sdhci_controller *c, size_t n)
{
	char link[PATH_MAX], real[PATH_MAX];

	if (!node[0] || sysroot_path(root, link, sizeof(link), "/sys/class/block/%s", node) < 0 ||
	    !realpath(link, real))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char needle[96];

		snprintf(needle, sizeof(needle), "/%s/mmc_host/", c[i].name);
		if (strstr(real, needle))
			return &c[i];
	}
	return NULL;
}

/* The PCI function the runner pinned the card's controller to. */
static struct sdhci_controller *at_pci(const char *addr, struct sdhci_controller *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].kind == SDHCI_KIND_PCI && !strcmp(c[i].name, addr))
			return &c[i];
	return NULL;
}

/* The controller at `base`, or a bare one made for it (no node, no PCI function: /dev/mem). */
static struct sdhci_controller *at_base(const struct sysroot *root, uint64_t base,
					struct sdhci_controller *out, size_t *n, size_t max)
{
	struct sdhci_controller *c;

	for (size_t j = 0; j < *n; j++)
		if (out[j].base == base)
			return &out[j];
	if (*n == max)
		return NULL;
	c = &out[(*n)++];
	*c = (struct sdhci_controller){ .kind = SDHCI_KIND_ADDRESS, .base = base, .irq = -1 };
	snprintf(c->name, sizeof(c->name), "0x%llx", (unsigned long long)base);
	sysroot_path(root, c->window.path, sizeof(c->window.path), "/dev/mem");
	c->window.offset = base;
	return c;
}

static void name_unmatched(char *names, size_t size, size_t *len, const char *name)
{
	int w;

	if (*len >= size)
		return;
	w = snprintf(names + *len, size - *len, "%s%s", *len ? ", " : "", name);
	if (w > 0)
		*len += w;
}

size_t sdhci_find(const struct check_env *env, struct sdhci_controller *out, size_t max,
		  size_t *unmatched, char *unmatched_names, size_t names_size)
{
	struct check_device devs[16];
	size_t ndev = check_devices(env, &sd_card_kind, devs, ARRAY_SIZE(devs));
	struct sdhci_expect pend[16];
	bool pending[16] = { false };
	size_t n = find_pci(env->root, out, max), names_len = 0;

	n += find_dt(env->root, out + n, max - n);
	*unmatched = 0;
	if (names_size)
		unmatched_names[0] = '\0';
	if (ndev > ARRAY_SIZE(devs))
		ndev = ARRAY_SIZE(devs);
	/*
	 * First the cards that say where they are: by address, by the PCI function
	 * the runner pinned (mmc host numbers follow probe order, so a card's node
	 * says nothing about its controller then), or by the host holding them.
	 */
	for (size_t i = 0; i < ndev; i++) {
		struct sdhci_expect e;
		struct sdhci_controller *c;

		sdhci_expect_parse(&devs[i], &e);
		c = e.has_base ? at_base(env->root, e.base, out, &n, max)
		    : e.pci[0] ? at_pci(e.pci, out, n)
			       : holder_of(env->root, e.node, out, n);
		if (c && !c->expect.device[0]) {
			c->expect = e;
			continue;
		}
		pending[i] = true;
		pend[i] = e;
	}
	/* Then the rest in order, as the runner attached them; a named address never moves. */
	for (size_t i = 0; i < ndev; i++) {
		size_t j = 0;

		if (!pending[i])
			continue;
		while (j < n && out[j].expect.device[0])
			j++;
		if (j < n && !pend[i].has_base && !pend[i].pci[0]) {
			out[j].expect = pend[i];
			continue;
		}
		(*unmatched)++;
		name_unmatched(unmatched_names, names_size, &names_len, devs[i].name);
	}
	return n;
}

const char *sdhci_describe(const struct sdhci_controller *c, char *buf, size_t size)
{
	char what[64];

	switch (c->kind) {
	case SDHCI_KIND_PCI:
		snprintf(what, sizeof(what), "PCI class 0x%06x", c->pci_class);
		break;
	case SDHCI_KIND_DT:
		snprintf(what, sizeof(what), "DT %.40s", c->dt.compatible);
		break;
	case SDHCI_KIND_ADDRESS:
		snprintf(what, sizeof(what), "address from the scenario");
		break;
	}
	snprintf(buf, size, "%s (%s at 0x%llx, driver %s%s%s%s%s)", c->name, what,
		 (unsigned long long)c->base, c->driver[0] ? c->driver : "none",
		 c->host[0] ? ", " : "", c->host, c->expect.device[0] ? ", device " : "",
		 c->expect.device);
	return buf;
}
