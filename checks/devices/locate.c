// SPDX-License-Identifier: GPL-2.0-or-later
#include "locate.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_adapter.h"

static int cmp_path(const void *a, const void *b)
{
	return strcmp(a, b);
}

int block_mpath_paths(const struct sysroot *root, const char *node, char (*paths)[32], size_t max,
		      char *subsys, size_t subsys_size)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char link[PATH_MAX], dev[PATH_MAX], *base;
	unsigned int s, h, c;
	struct dirent *de;
	size_t n = 0;
	int end = 0;

	if (sysroot_path(root, link, sizeof(link), "/sys/class/block/%s/device", node) < 0 ||
	    !realpath(link, dev))
		return 0;
	base = strrchr(dev, '/');
	if (!base || base - dev < 15 || strncmp(base - 15, "/nvme-subsystem", 15))
		return 0;
	snprintf(subsys, subsys_size, "%s", base + 1);
	if (sscanf(node, "nvme%un%u%n", &s, &h, &end) != 2 || node[end])
		return 0;
	/* The subsystem's controllers are links "nvmeC"; each has its path nvmeScCnH. */
	dir = opendir(dev);
	if (!dir)
		return -errno;
	while ((de = readdir(dir)) && n < max) {
		end = 0;
		if (sscanf(de->d_name, "nvme%u%n", &c, &end) != 1 || de->d_name[end])
			continue;
		snprintf(paths[n], sizeof(paths[n]), "nvme%uc%un%u", s, c, h);
		if (sysroot_exists(root, "/sys/class/block/%s", paths[n]))
			n++;
	}
	qsort(paths, n, sizeof(paths[0]), cmp_path);
	return n;
}

/* "mmcblk0" but not "mmcblk0p1", "mmcblk0boot0" or "mmcblk0rpmb": a card's own disk. */
static bool mmc_disk_name(const char *name)
{
	unsigned int k;
	int end = 0;

	return sscanf(name, "mmcblk%u%n", &k, &end) == 1 && !name[end];
}

int sd_card_node(const struct sysroot *root, const struct check_device *dev, const char *fallback,
		 char *node, size_t size)
{
	const char *pci = check_device_get(dev, "pci_address");
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX], needle[48];
	struct dirent *de;

	if (check_device_get(dev, "node") || !pci) {
		snprintf(node, size, "%s", check_device_get(dev, "node") ?: fallback);
		return 0;
	}
	/* Not "/sys/bus/pci/devices/ADDR/...": captured trees keep the class links only. */
	snprintf(needle, sizeof(needle), "/%.16s/mmc_host/mmc", pci);
	if (sysroot_path(root, path, sizeof(path), "/sys/class/block") == 0)
		dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		char link[PATH_MAX], real[PATH_MAX];

		if (!mmc_disk_name(de->d_name) ||
		    sysroot_path(root, link, sizeof(link), "/sys/class/block/%s", de->d_name) < 0 ||
		    !realpath(link, real) || !strstr(real, needle))
			continue;
		snprintf(node, size, "%s", de->d_name);
		return 0;
	}
	/* Named so that messages say where the card was looked for; no such sysfs entry. */
	snprintf(node, size, "mmcblk? on %.16s", pci);
	return -ENOENT;
}

static int locate_block(const struct sysroot *root, const struct check_device *dev,
			struct located_device *out)
{
	const char *node = check_device_get(dev, "node") ?: dev->kind->default_node;
	char sd_node[64];
	char paths[BLOCK_MPATH_MAX][32], class_path[96];
	int r, n;

	if (dev->kind->find == DEVICE_FIND_MMC) {
		sd_card_node(root, dev, dev->kind->default_node, sd_node, sizeof(sd_node));
		node = sd_node;
	}
	snprintf(out->node, sizeof(out->node), "%s", node);
	snprintf(out->class_dev, sizeof(out->class_dev), "class/block/%s", node);
	if (!sysroot_exists(root, "/sys/%s", out->class_dev))
		return -ENOENT;
	/* A multipath head has no driver of its own: its path has. */
	n = block_mpath_paths(root, node, paths, BLOCK_MPATH_MAX, out->subsys, sizeof(out->subsys));
	if (n > 0) {
		snprintf(out->path, sizeof(out->path), "%s", paths[0]);
		snprintf(class_path, sizeof(class_path), "class/block/%s", out->path);
	}
	r = sysroot_class_driver(root, n > 0 ? class_path : out->class_dev, out->driver,
				 sizeof(out->driver));
	if (r < 0 && r != -ENOENT)
		return r;
	if (strcmp(out->driver, out->expected_driver)) {
		if (n > 0)
			snprintf(out->problem, sizeof(out->problem),
				 "/dev/%s, a multipath head of %s, whose path %s has driver '%s', "
				 "not '%s'",
				 node, out->subsys, out->path,
				 out->driver[0] ? out->driver : "(none)", out->expected_driver);
		else
			snprintf(out->problem, sizeof(out->problem),
				 "/dev/%s has driver '%s', not '%s'", node,
				 out->driver[0] ? out->driver : "(none)", out->expected_driver);
		return -ENOENT;
	}
	return 0;
}

static int locate_net(const struct check_env *env, const struct check_device *dev,
		      struct located_device *out)
{
	const char *want_mac = check_device_get(dev, "mac");
	struct net_match m;
	struct net_pick alone;
	const struct net_pick *pick;
	int r = net_match_devices(env, &m);

	if (r < 0)
		return r;
	/* A device not of env's configuration (or past the most) is matched on its own. */
	pick = net_match_of(&m, dev);
	if (!pick) {
		net_adapter_pick(m.a, m.na, NULL, want_mac, out->expected_driver, &alone);
		pick = &alone;
	}
	if (pick->index < 0) {
		if (pick->closest >= 0) {
			net_adapter_miss(&m.a[pick->closest], want_mac, out->expected_driver,
					 out->problem, sizeof(out->problem));
			net_adapter_fix(&m.a[pick->closest], want_mac, out->expected_driver,
					out->fix, sizeof(out->fix));
		}
		return -ENOENT;
	}
	snprintf(out->class_dev, sizeof(out->class_dev), "class/net/%s", m.a[pick->index].name);
	snprintf(out->node, sizeof(out->node), "%s", m.a[pick->index].name);
	snprintf(out->driver, sizeof(out->driver), "%s", m.a[pick->index].driver);
	snprintf(out->mac, sizeof(out->mac), "%s", m.a[pick->index].mac);
	out->placeholder_mac = pick->fit == NET_MAC_PLACEHOLDER;
	return 0;
}

int device_locate(const struct check_env *env, const struct check_device *dev,
		  struct located_device *out)
{
	*out = (struct located_device){ 0 };
	if (!dev->kind)
		return -EPROTONOSUPPORT;
	snprintf(out->expected_driver, sizeof(out->expected_driver), "%s",
		 check_device_get(dev, "driver") ?: dev->kind->driver);
	if (dev->kind->find == DEVICE_FIND_NET)
		return locate_net(env, dev, out);
	return locate_block(env->root, dev, out);
}
