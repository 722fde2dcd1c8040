// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sd-card: an SD card on its own sdhci-pci controller, which the guest sees
 * as /dev/mmcblkN. Each card gets a controller and an explicit bus=, since
 * cards without one all land on the first controller and only one is used.
 */
#include <errno.h>
#include <stdio.h>
#include "device_type.h"

static const struct key_spec sd_card_keys[] = {
	{ "image", KEY_PATH, "the card's image file (raw); never written by guestcheck" },
	{ "size", KEY_SIZE, "scratch image size, or the size the guest must see (a power of 2)" },
	{ "readonly", KEY_BOOL, "attach the image read-only" },
	{ "node", KEY_STRING, "the guest's block device name (default mmcblkN)" },
	{ 0 },
};

static int sd_card_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			    size_t errsize)
{
	int r = device_resolve_image(dev, s, err, errsize);

	if (r < 0)
		return r;
	/* QEMU refuses such a card ("SD card size has to be a power of 2"). */
	if (dev->size & (dev->size - 1)) {
		snprintf(err, errsize,
			 "%s:%d: [device %s]: an SD card of %llu bytes: QEMU only takes power-of-2 "
			 "sizes: resize the image (qemu-img resize) or set size to e.g. 64M",
			 s->path, device_key_line(dev, device_key(dev, "size") ? "size" : "image"),
			 dev->name, (unsigned long long)dev->size);
		return -EINVAL;
	}
	snprintf(dev->guest_node, sizeof(dev->guest_node), "%s",
		 device_key(dev, "node") ?: "");
	if (!dev->guest_node[0])
		snprintf(dev->guest_node, sizeof(dev->guest_node), "mmcblk%d", dev->index);
	return 0;
}

static void sd_card_qemu_args(const struct scenario_device *dev, const struct scenario *s,
			      const char *image, struct strv *argv)
{
	strv_add(argv, "-drive");
	strv_addf(argv, "if=none,id=%s,file=%s,format=raw%s", dev->name, image,
		  dev->readonly ? ",readonly=on" : "");
	strv_add(argv, "-device");
	strv_addf(argv, "sdhci-pci,id=sdhci-%s", dev->name);
	strv_add(argv, "-device");
	/* The sd-bus of every controller is named "sd-bus": address it by path. */
	strv_addf(argv, "sd-card,drive=%s,bus=%s/sdhci-%s/sd-bus", dev->name, s->pci_root,
		  dev->name);
}

const struct device_type sd_card_device = {
	.name = "sd-card",
	.summary = "SD card on an sdhci-pci controller (/dev/mmcblkN)",
	.guest_modules = "sdhci_pci mmc_block",
	.keys = sd_card_keys,
	.validate = sd_card_validate,
	.qemu_args = sd_card_qemu_args,
};
