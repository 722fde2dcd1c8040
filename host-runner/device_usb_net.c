// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usb-net: QEMU's USB network adapter (CDC Ethernet, the guest's cdc_ether)
 * on a qemu-xhci controller, backed by a netdev.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "device_type.h"

static const struct key_spec usb_net_keys[] = {
	{ "netdev", KEY_STRING, "the backend: 'user' (QEMU user networking)" },
	{ "mac", KEY_MAC, "the MAC the guest must see, e.g. 52:54:00:12:34:56" },
	{ 0 },
};

static int usb_net_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			    size_t errsize)
{
	const char *netdev = device_key(dev, "netdev") ?: "user";

	if (strcmp(netdev, "user")) {
		snprintf(err, errsize,
			 "%s:%d: [device %s]: netdev '%s' is not supported yet: use 'user'", s->path,
			 device_key_line(dev, "netdev"), dev->name, netdev);
		return -EINVAL;
	}
	return 0;
}

static void usb_net_qemu_args(const struct scenario_device *dev, const struct scenario *s,
			      const char *image, struct strv *argv)
{
	const char *mac = device_key(dev, "mac");

	strv_add(argv, "-netdev");
	strv_addf(argv, "user,id=%s", dev->name);
	strv_add(argv, "-device");
	strv_addf(argv, "usb-net,bus=xhci.0,netdev=%s%s%s", dev->name, mac ? ",mac=" : "",
		  mac ? mac : "");
}

const struct device_type usb_net_device = {
	.name = "usb-net",
	.summary = "USB network adapter (cdc_ether) on qemu-xhci",
	.guest_modules = "xhci_pci cdc_ether",
	.keys = usb_net_keys,
	.needs_xhci = true,
	.validate = usb_net_validate,
	.qemu_args = usb_net_qemu_args,
};
