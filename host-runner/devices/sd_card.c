// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sd-card: an SD card on its own sdhci-pci controller, which the guest sees
 * as /dev/mmcblkN. Each card gets a controller and an explicit bus=, since
 * cards without one all land on the first controller and only one is used.
 * Each controller sits at a PCI slot of its own (addr=): mmc host numbers
 * follow probe order, which is async on newer kernels (Linux 6.12 under
 * QEMU 10.0.2 made the second controller mmc0), so the agent finds a card by
 * its controller's address, never by mmcblkN.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "errmsg.h"

#include "devices/device_type.h"

/*
 * The root-bus slot of card N: 0x10-0x1e, then 0x0f for a scenario's 16th
 * (SCENARIO_MAX_DEVICES). QEMU hands out free slots from 1 up to the
 * devices without addr= (virtio-serial, NVMe, xHCI, root ports), which do
 * not reach 0x0f within a scenario's devices; 0x1f is the q35's ICH9.
 */
static int sd_pci_slot(int index)
{
	return index < 15 ? 0x10 + index : 0x1e - index;
}

static const struct key_spec sd_card_keys[] = {
	{ "image", KEY_PATH, "the card's image file (raw); never written by guestcheck" },
	{ "size", KEY_SIZE, "scratch image size, or the size the guest must see (a power of 2)" },
	{ "readonly", KEY_BOOL, "attach the image read-only (QEMU 7.2 refuses it for SD cards)" },
	{ "image_trusted", KEY_BOOL,
	  "yes: a writable image in a system folder or a block device is meant" },
	{ "node", KEY_STRING, "the guest's block device name (default mmcblkN)" },
	/* Expectations, checked in the guest by the mmc.* checks. */
	{ "expect_type", KEY_STRING, "the card type the guest must see: SD, MMC, SDIO" },
	{ "expect_name", KEY_STRING, "the product name from the card's CID, e.g. QEMU!" },
	{ "expect_manfid", KEY_STRING, "the manufacturer ID from the CID, e.g. 0xaa" },
	{ "expect_oemid", KEY_STRING, "the OEM ID from the CID, e.g. 0x5859" },
	{ "expect_serial", KEY_STRING, "the serial number from the CID, e.g. 0xdeadbeef" },
	{ "expect_date", KEY_STRING, "the manufacturing date from the CID, MM/YYYY" },
	{ "expect_readonly", KEY_BOOL, "whether the guest must see the card read-only" },
	{ "expect_logical_block_size", KEY_SIZE, "the logical block size, e.g. 512" },
	{ "expect_physical_block_size", KEY_SIZE, "the physical block size, e.g. 512" },
	{ "expect_pttype", KEY_STRING, "the partition table: gpt, dos or none" },
	{ "expect_partitions", KEY_UINT, "how many partitions the table holds" },
	{ "expect_digest", KEY_STRING, "XXH3-128 of the card's bytes (xxhsum -H2 IMAGE)" },
	/* The controller, checked in the guest by the sdhci.* checks. */
	{ "capareg", KEY_STRING, "QEMU's capabilities for the card's sdhci-pci, e.g. 0x057834b4" },
	{ "sdhci_base", KEY_STRING, "the controller's physical address, e.g. 0xff170000" },
	{ "sdhci_version", KEY_STRING, "the version register the guest must read, e.g. 0x2401" },
	{ "sdhci_caps", KEY_STRING, "the capabilities the guest must read, e.g. 0x057834b4" },
	{ "sdhci_caps1", KEY_STRING, "the second capabilities register, e.g. 0x0" },
	{ "sdhci_max_current", KEY_STRING, "the maximum current register, e.g. 0x0" },
	{ "sdhci_clock_test", KEY_BOOL, "allow the active clock test (it writes the controller)" },
	{ "sdhci_dma_coherent", KEY_BOOL, "whether the controller's DT node says dma-coherent" },
	{ 0 },
};

/* Register values and addresses: hex or decimal, no sign, within `bits`. */
static int sdhci_keys_validate(const struct scenario_device *dev, const struct scenario *s,
			       char *err, size_t errsize)
{
	static const struct {
		const char *key;
		unsigned int bits;
	} hex_keys[] = {
		{ "capareg", 64 },    { "sdhci_base", 64 },  { "sdhci_version", 16 },
		{ "sdhci_caps", 32 }, { "sdhci_caps1", 32 }, { "sdhci_max_current", 32 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(hex_keys); i++) {
		const char *v = device_key(dev, hex_keys[i].key);
		unsigned long long u;
		char *end;

		if (!v)
			continue;
		errno = 0;
		u = strtoull(v, &end, 0);
		if (v[0] == '-' || v[0] == '+' || v[0] == ' ' || errno || *end ||
		    (hex_keys[i].bits < 64 && u >> hex_keys[i].bits))
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [device %s] %s = '%s': write a %u-bit number, e.g. 0x%s",
				s->path, device_key_line(dev, hex_keys[i].key), dev->name,
				hex_keys[i].key, v, hex_keys[i].bits,
				hex_keys[i].bits == 16 ? "2401" : "057834b4");
	}
	if (!s->pci_root && device_key(dev, "capareg"))
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [device %s] capareg: the card sits in %s's own SD controller, "
			"which takes no capareg: remove it",
			s->path, device_key_line(dev, "capareg"), dev->name, s->machine);
	return 0;
}

static int sd_card_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			    size_t errsize)
{
	int r = device_resolve_image(dev, s, err, errsize);

	if (r < 0)
		return r;
	/* QEMU refuses such a card ("SD card size has to be a power of 2"). */
	if (dev->size & (dev->size - 1))
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [device %s]: an SD card of %llu bytes: QEMU only takes power-of-2 "
			"sizes: resize the image (qemu-img resize) or set size to e.g. 64M",
			s->path, device_key_line(dev, device_key(dev, "size") ? "size" : "image"),
			dev->name, (unsigned long long)dev->size);
	if (dev->readonly)
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [device %s]: readonly = yes: QEMU refuses read-only drives for SD "
			"cards (\"Cannot use read-only drive as SD card\"): remove it; the mmc "
			"checks never write (they set the card read-only in the guest) and "
			"non-interference runs attach the image through an overlay",
			s->path, device_key_line(dev, "readonly"), dev->name);
	if (s->pci_root && sd_pci_slot(dev->index) < 0x0f)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [device %s]: sd-card number %d: the runner places at most 16 "
			      "sdhci-pci controllers (PCI slots 0x0f-0x1e): remove some cards",
			      s->path, dev->line, dev->name, dev->index + 1);
	if (s->pci_root)
		snprintf(dev->guest_pci, sizeof(dev->guest_pci), "0000:00:%02x.0",
			 sd_pci_slot(dev->index));
	snprintf(dev->guest_node, sizeof(dev->guest_node), "%s", device_key(dev, "node") ?: "");
	if (!dev->guest_node[0])
		snprintf(dev->guest_node, sizeof(dev->guest_node), "mmcblk%d", dev->index);
	return sdhci_keys_validate(dev, s, err, errsize);
}

static void sd_card_qemu_args(const struct scenario_device *dev, const struct scenario *s,
			      const char *image, struct strv *argv)
{
	if (!s->pci_root) {
		/* No PCI (xlnx-zcu102): the board's own SD controllers take the cards, in order. */
		strv_add(argv, "-drive");
		strv_addf(argv, "if=sd,index=%d,file=%s,format=%s", dev->index, image,
			  dev->format[0] ? dev->format : "raw");
		return;
	}
	strv_add(argv, "-drive");
	strv_addf(argv, "if=none,id=%s,file=%s,format=%s%s", dev->name, image,
		  dev->format[0] ? dev->format : "raw", dev->readonly ? ",readonly=on" : "");
	strv_add(argv, "-device");
	strv_addf(argv, "sdhci-pci,id=sdhci-%s,addr=0x%x%s%s", dev->name, sd_pci_slot(dev->index),
		  device_key(dev, "capareg") ? ",capareg=" : "", device_key(dev, "capareg") ?: "");
	strv_add(argv, "-device");
	/* The sd-bus of every controller is named "sd-bus": address it by path. */
	strv_addf(argv, "sd-card,drive=%s,bus=%s/sdhci-%s/sd-bus", dev->name, s->pci_root,
		  dev->name);
}

const struct device_type sd_card_device = {
	.kind = &sd_card_kind,
	.summary = "SD card on an sdhci-pci controller (/dev/mmcblkN)",
	.keys = sd_card_keys,
	.validate = sd_card_validate,
	.qemu_args = sd_card_qemu_args,
};
