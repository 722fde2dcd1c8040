// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "locate.h"

/* How each scenario device type appears in a Linux guest. */
struct device_kind {
	const char *type;
	const char *class;          /* "block" or "net" */
	const char *default_node;   /* block: node when the scenario names none */
	const char *default_driver; /* driver bound to the device or an ancestor */
};

static const struct device_kind kinds[] = {
	{ "sd-card", "block", "mmcblk0", "mmcblk" },
	{ "nvme-zns", "block", "nvme0n1", "nvme" },
	{ "usb-net", "net", NULL, "cdc_ether" },
	{ "null-blk", "block", "nullb0", "" }, /* virtual: no device, no driver */
	{ "scsi-debug", "block", "sda", "sd" },
	{ "hdd", "block", "sda", "sd" },
};

const char *device_kind_names(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(kinds) && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "", kinds[i].type);
	return buf;
}

static const struct device_kind *kind_of(const char *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kinds[i].type, type))
			return &kinds[i];
	return NULL;
}

static int locate_block(const struct sysroot *root, const struct device_kind *kind,
			const struct check_device *dev, struct located_device *out)
{
	const char *node = check_device_get(dev, "node") ?: kind->default_node;
	int r;

	snprintf(out->node, sizeof(out->node), "%s", node);
	snprintf(out->class_dev, sizeof(out->class_dev), "class/block/%s", node);
	if (!sysroot_exists(root, "/sys/%s", out->class_dev))
		return -ENOENT;
	r = sysroot_class_driver(root, out->class_dev, out->driver, sizeof(out->driver));
	if (r < 0 && r != -ENOENT)
		return r;
	if (strcmp(out->driver, out->expected_driver)) {
		snprintf(out->problem, sizeof(out->problem), "/dev/%s has driver '%s', not '%s'",
			 node, out->driver[0] ? out->driver : "(none)", out->expected_driver);
		return -ENOENT;
	}
	return 0;
}

static int locate_net(const struct sysroot *root, const struct check_device *dev,
		      struct located_device *out)
{
	const char *want_mac = check_device_get(dev, "mac");
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	int r;

	r = sysroot_path(root, path, sizeof(path), "/sys/class/net");
	if (r < 0)
		return r;
	dir = opendir(path);
	if (!dir)
		return -errno == -ENOENT ? -ENOENT : -errno;
	while ((de = readdir(dir))) {
		char class_dev[96], driver[64] = "", mac[32] = "";

		if (de->d_name[0] == '.')
			continue;
		snprintf(class_dev, sizeof(class_dev), "class/net/%.80s", de->d_name);
		if (sysroot_class_driver(root, class_dev, driver, sizeof(driver)) < 0 ||
		    strcmp(driver, out->expected_driver))
			continue;
		sysroot_read_line(root, mac, sizeof(mac), "/sys/%s/address", class_dev);
		if (want_mac && strcasecmp(mac, want_mac)) {
			snprintf(out->problem, sizeof(out->problem),
				 "%.32s has driver %.32s but MAC %.20s, not %.20s", de->d_name,
				 driver, mac, want_mac);
			continue;
		}
		snprintf(out->class_dev, sizeof(out->class_dev), "%s", class_dev);
		snprintf(out->node, sizeof(out->node), "%.63s", de->d_name);
		snprintf(out->driver, sizeof(out->driver), "%s", driver);
		snprintf(out->mac, sizeof(out->mac), "%s", mac);
		return 0;
	}
	return -ENOENT;
}

int device_locate(const struct sysroot *root, const struct check_device *dev,
		  struct located_device *out)
{
	const struct device_kind *kind = kind_of(dev->type);

	*out = (struct located_device){ 0 };
	if (!kind)
		return -EPROTONOSUPPORT;
	snprintf(out->expected_driver, sizeof(out->expected_driver), "%s",
		 check_device_get(dev, "driver") ?: kind->default_driver);
	if (!strcmp(kind->class, "net"))
		return locate_net(root, dev, out);
	return locate_block(root, kind, dev, out);
}
