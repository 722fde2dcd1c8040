// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * null-blk: a null_blk device the agent creates inside the guest through
 * configfs (agent/device_setup.c), zoned by default: host-managed, with
 * conventional zones, zone capacity and open/active limits as asked. Nothing
 * is attached to QEMU: the device exists only in the guest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "units.h"

#include "devices/device_type.h"
#include "zoned/guest_devices.h"

static const struct key_spec null_blk_keys[] = {
	{ "size", KEY_SIZE, "the device size, whole MiB (null_blk's unit), e.g. 64M" },
	{ "zoned", KEY_BOOL, "host-managed zoned (default yes); no makes a regular disk" },
	{ "zone_size", KEY_SIZE, "zone size, a power of 2 in whole MiB (default 4M)" },
	{ "zone_capacity", KEY_SIZE, "writable part of each zone, whole MiB (default zone_size)" },
	{ "conv_zones", KEY_UINT, "conventional zones at the start of the device (default 0)" },
	{ "max_open", KEY_UINT, "open zone limit (0 = none, the default)" },
	{ "max_active", KEY_UINT, "active zone limit (0 = none, the default)" },
	{ "block_size", KEY_SIZE, "logical block size: 512, 1024, 2048 or 4096 (default 512)" },
	{ "no_sched", KEY_BOOL, "yes: no I/O scheduler (the device gets 'none')" },
	{ "node", KEY_STRING, "the guest's block device name (default nullbN)" },
	ZONED_EXPECT_KEY_SPECS,
	{ 0 },
};

static int check_zoned_keys(struct scenario_device *dev, const struct scenario *s, char *err,
			    size_t errsize)
{
	uint64_t zone = device_key_number(dev, "zone_size", true, GUEST_ZONED_ZONE_SIZE);
	uint64_t cap = device_key_number(dev, "zone_capacity", true, zone);
	uint64_t conv = device_key_number(dev, "conv_zones", false, 0);
	uint64_t open = device_key_number(dev, "max_open", false, 0);
	uint64_t active = device_key_number(dev, "max_active", false, 0);
	uint64_t zones, seq;

	if (!zone || zone % GUEST_ZONED_SIZE_UNIT || zone & (zone - 1))
		return device_key_error(
			err, errsize, s, dev, "zone_size",
			"zone_size must be a power of 2 in whole MiB (null_blk counts MiB): "
			"use e.g. 4M");
	if (!cap || cap % GUEST_ZONED_SIZE_UNIT || cap > zone)
		return device_key_error(
			err, errsize, s, dev, "zone_capacity",
			"zone_capacity must be whole MiB and at most zone_size: use e.g. 3M "
			"with zone_size = 4M");
	zones = (dev->size + zone - 1) / zone;
	if (conv >= zones)
		return device_key_error(
			err, errsize, s, dev, "conv_zones",
			"conv_zones leaves no sequential zone: use fewer than size / zone_size");
	seq = zones - conv;
	/* null_blk silently drops limits that are not below the sequential zone count. */
	if (active >= seq || open >= seq)
		return device_key_error(
			err, errsize, s, dev, active >= seq ? "max_active" : "max_open",
			"an open or active zone limit must be below the number of sequential "
			"zones (null_blk would drop it): lower it or enlarge the device");
	if (active && open > active)
		return device_key_error(
			err, errsize, s, dev, "max_open",
			"max_open is above max_active (null_blk would lower it): make it at most "
			"max_active");
	return 0;
}

static int null_blk_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			     size_t errsize)
{
	static const char *const zone_keys[] = { "zone_size", "zone_capacity", "conv_zones",
						 "max_open", "max_active" };
	uint64_t bs = device_key_number(dev, "block_size", true, GUEST_ZONED_BLOCK_SIZE);
	int zoned = 1;

	dev->size = device_key_number(dev, "size", true, 0);
	if (!dev->size || dev->size % GUEST_ZONED_SIZE_UNIT)
		return device_key_error(
			err, errsize, s, dev, "size",
			"null-blk needs 'size = ' in whole MiB (null_blk counts MiB): add e.g. "
			"size = 64M");
	if (bs != 512 && bs != 1024 && bs != 2048 && bs != 4096)
		return device_key_error(err, errsize, s, dev, "block_size",
					"block_size must be 512, 1024, 2048 or 4096");
	if (device_key(dev, "zoned"))
		parse_bool(device_key(dev, "zoned"), &zoned);
	for (size_t i = 0; !zoned && i < ARRAY_SIZE(zone_keys); i++)
		if (device_key(dev, zone_keys[i]))
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [device %s]: %s means nothing with zoned = no: remove it",
				s->path, device_key_line(dev, zone_keys[i]), dev->name,
				zone_keys[i]);
	if (zoned) {
		int r = check_zoned_keys(dev, s, err, errsize);

		if (r < 0)
			return r;
	}
	snprintf(dev->guest_node, sizeof(dev->guest_node), "%s", device_key(dev, "node") ?: "");
	if (!dev->guest_node[0])
		snprintf(dev->guest_node, sizeof(dev->guest_node), "nullb%d", dev->index);
	/* The node names the configfs directory, and so the disk: two cannot share it. */
	for (size_t i = 0; i < s->ndevices; i++)
		if (s->devices[i].type == dev->type &&
		    !strcmp(s->devices[i].guest_node, dev->guest_node))
			return device_key_error(
				err, errsize, s, dev, "node",
				"two null-blk devices named the same node: give each its own "
				"node =");
	return 0;
}

/* Made in the guest: nothing for QEMU. */
static void null_blk_qemu_args(const struct scenario_device *dev, const struct scenario *s,
			       const char *image, struct strv *argv)
{
}

const struct device_type null_blk_device = {
	.kind = &null_blk_kind,
	.summary = "null_blk device made in the guest through configfs (/dev/nullbN), zoned",
	.keys = null_blk_keys,
	.validate = null_blk_validate,
	.qemu_args = null_blk_qemu_args,
};
