// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdd: a SATA hard disk on the q35's built-in AHCI controller (ich9-ahci,
 * buses ide.0 to ide.5), which the guest sees as /dev/sdX: the disks a
 * NAS's installer writes to, next to the eMMC it must leave alone.
 */
#include <errno.h>
#include <stdio.h>

#include "errmsg.h"

#include "devices/device_type.h"

/* The ICH9 AHCI controller of q35 has six ports. */
#define HDD_PORTS 6

static const struct key_spec hdd_keys[] = {
	{ "image", KEY_PATH, "the disk's image file (raw)" },
	{ "size", KEY_SIZE, "scratch image size, or the size the guest must see" },
	{ "readonly", KEY_BOOL, "attach the image read-only" },
	{ "image_trusted", KEY_BOOL,
	  "yes: a writable image in a system folder or a block device is meant" },
	{ "node", KEY_STRING, "the guest's block device name (default sda, sdb, ... in order)" },
	{ 0 },
};

static int hdd_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			size_t errsize)
{
	int r = device_resolve_image(dev, s, err, errsize);

	if (r < 0)
		return r;
	if (dev->index >= HDD_PORTS)
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [device %s]: more than %d hdd devices: the q35's AHCI controller "
			"has %d ports",
			s->path, dev->line, dev->name, HDD_PORTS, HDD_PORTS);
	snprintf(dev->guest_node, sizeof(dev->guest_node), "%s", device_key(dev, "node") ?: "");
	if (!dev->guest_node[0])
		snprintf(dev->guest_node, sizeof(dev->guest_node), "sd%c", 'a' + dev->index);
	return 0;
}

static void hdd_qemu_args(const struct scenario_device *dev, const struct scenario *s,
			  const char *image, struct strv *argv)
{
	strv_add(argv, "-drive");
	strv_addf(argv, "if=none,id=%s,file=%s,format=%s%s", dev->name, image,
		  dev->format[0] ? dev->format : "raw", dev->readonly ? ",readonly=on" : "");
	strv_add(argv, "-device");
	strv_addf(argv, "ide-hd,drive=%s,bus=ide.%d,serial=guestcheck-%s", dev->name, dev->index,
		  dev->name);
}

const struct device_type hdd_device = {
	.kind = &hdd_kind,
	.summary = "SATA hard disk on the q35's AHCI controller (/dev/sdX)",
	.keys = hdd_keys,
	.validate = hdd_validate,
	.qemu_args = hdd_qemu_args,
};
