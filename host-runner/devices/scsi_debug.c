// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scsi-debug: a scsi_debug disk the agent creates inside the guest by loading
 * the module with its zoned parameters (agent/device_setup.c): host-managed
 * or host-aware ZBC, with conventional zones. The module's parameters hold
 * for all its disks, so a scenario has at most one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "units.h"

#include "devices/device_type.h"
#include "zoned/guest_devices.h"

static const struct key_spec scsi_debug_keys[] = {
	{ "size", KEY_SIZE, "the disk size, whole MiB (scsi_debug's dev_size_mb), e.g. 64M" },
	{ "model", KEY_STRING, "host-managed (default), host-aware or none (scsi_debug's zbc)" },
	{ "zone_size", KEY_SIZE, "zone size, a power of 2 in whole MiB (default 4M)" },
	{ "conv_zones", KEY_UINT, "conventional zones at the start of the disk (default 0)" },
	{ "max_open", KEY_UINT, "host-managed only: open zone limit (0 = none, the default)" },
	{ "block_size", KEY_SIZE, "logical block size: 512, 1024, 2048 or 4096 (default 512)" },
	{ "submit_queues", KEY_UINT,
	  "hardware queues, 1 to 8 (scsi_debug's submit_queues, default 1): above 1 the disk is "
	  "multi-queue, as NVMe drives and modern HBAs are" },
	{ "node", KEY_STRING, "the guest's block device name (default sda)" },
	ZONED_EXPECT_KEY_SPECS,
	{ 0 },
};

static int check_zones(struct scenario_device *dev, const struct scenario *s, bool managed,
		       char *err, size_t errsize)
{
	uint64_t zone = device_key_number(dev, "zone_size", true, GUEST_ZONED_ZONE_SIZE);
	uint64_t conv = device_key_number(dev, "conv_zones", false, 0);
	uint64_t open = device_key_number(dev, "max_open", false, 0), zones;

	if (!zone || zone % GUEST_ZONED_SIZE_UNIT || zone & (zone - 1) || zone >= dev->size)
		return device_key_error(
			err, errsize, s, dev, "zone_size",
			"zone_size must be a power of 2 in whole MiB and below size "
			"(scsi_debug's zone_size_mb): use e.g. 4M");
	zones = (dev->size + zone - 1) / zone;
	if (conv * zone >= dev->size)
		return device_key_error(
			err, errsize, s, dev, "conv_zones",
			"conv_zones leaves no sequential zone: use fewer than size / zone_size");
	if (open && !managed)
		return device_key_error(err, errsize, s, dev, "max_open",
					"max_open applies to host-managed disks only: remove it");
	/* scsi_debug replaces a limit of zones - 1 or more with half the zones. */
	if (open && open >= zones - 1)
		return device_key_error(
			err, errsize, s, dev, "max_open",
			"max_open must be below the number of zones minus 1 (scsi_debug would "
			"halve it): lower it or enlarge the disk");
	return 0;
}

static int scsi_debug_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			       size_t errsize)
{
	static const char *const zone_keys[] = { "zone_size", "conv_zones", "max_open" };
	const char *model = device_key(dev, "model") ?: "host-managed";
	uint64_t bs = device_key_number(dev, "block_size", true, GUEST_ZONED_BLOCK_SIZE);
	uint64_t queues = device_key_number(dev, "submit_queues", false, 1);

	if (dev->index > 0)
		return device_key_error(
			err, errsize, s, dev, "type",
			"a second scsi-debug disk: scsi_debug's parameters hold for all its "
			"disks, so one scenario takes one; split the scenario");
	if (queues < 1 || queues > 8)
		return device_key_error(err, errsize, s, dev, "submit_queues",
					"submit_queues takes 1 to 8 hardware queues: use e.g. 2");
	dev->size = device_key_number(dev, "size", true, 0);
	if (!dev->size || dev->size % GUEST_ZONED_SIZE_UNIT)
		return device_key_error(
			err, errsize, s, dev, "size",
			"scsi-debug needs 'size = ' in whole MiB (scsi_debug's dev_size_mb): "
			"add e.g. size = 64M");
	if (strcmp(model, "host-managed") && strcmp(model, "host-aware") && strcmp(model, "none"))
		return device_key_error(err, errsize, s, dev, "model",
					"model must be host-managed, host-aware or none");
	if (bs != 512 && bs != 1024 && bs != 2048 && bs != 4096)
		return device_key_error(err, errsize, s, dev, "block_size",
					"block_size must be 512, 1024, 2048 or 4096");
	if (!strcmp(model, "none")) {
		for (size_t i = 0; i < ARRAY_SIZE(zone_keys); i++)
			if (device_key(dev, zone_keys[i]))
				return errmsg(
					err, errsize, -EINVAL,
					"%s:%d: [device %s]: %s means nothing with model = none: "
					"remove it",
					s->path, device_key_line(dev, zone_keys[i]), dev->name,
					zone_keys[i]);
	} else {
		int r = check_zones(dev, s, !strcmp(model, "host-managed"), err, errsize);

		if (r < 0)
			return r;
	}
	snprintf(dev->guest_node, sizeof(dev->guest_node), "%s", device_key(dev, "node") ?: "sda");
	return 0;
}

/* Made in the guest: nothing for QEMU. */
static void scsi_debug_qemu_args(const struct scenario_device *dev, const struct scenario *s,
				 const char *image, struct strv *argv)
{
}

const struct device_type scsi_debug_device = {
	.kind = &scsi_debug_kind,
	.summary = "scsi_debug ZBC disk made in the guest (/dev/sdX), host-managed or host-aware",
	.keys = scsi_debug_keys,
	.validate = scsi_debug_validate,
	.qemu_args = scsi_debug_qemu_args,
};
