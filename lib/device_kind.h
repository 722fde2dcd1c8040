/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the runner and the agent both know of a device type, from
 * lib/device_types.def: one const struct per type, ID_kind. A type is
 * compared by pointer, never by name: the name is read once, where a
 * scenario or agent.ini says `type =` (device_kind_find()). In the guest a
 * check_device carries its kind (dev->kind == &usb_net_kind); the runner's
 * own struct device_type (host-runner/devices/) points at it.
 */
#ifndef GUESTCHECK_DEVICE_KIND_H
#define GUESTCHECK_DEVICE_KIND_H

#include <stdbool.h>
#include <stddef.h>

/* How the guest finds a device (checks/devices/locate.c). */
enum device_find {
	DEVICE_FIND_BLOCK, /* /sys/class/block/NODE: the configured node, else default_node */
	DEVICE_FIND_MMC,   /* the card below its controller's pci_address, else as BLOCK */
	DEVICE_FIND_NET,   /* the USB network interface with its MAC and driver */
};

struct device_kind {
	const char *name; /* "sd-card": the scenario's `type =` */
	enum device_find find;
	const char *default_node; /* "mmcblk0"; NULL for a network interface */
	const char *driver;	  /* bound in the guest, "" for none */
	const char *modules;	  /* "sdhci_pci mmc_block": the agent loads them */
	bool made_in_guest;	  /* the agent makes it: no image, nothing for QEMU */
};

#define DEVICE_TYPE(id, name, find, node, driver, modules, made)                                   \
	extern const struct device_kind id##_kind;
#include "device_types.def"
#undef DEVICE_TYPE

/* Every kind, in the .def's order. */
extern const struct device_kind *const device_kinds[];
extern const size_t device_kinds_count;

/* The kind named `name` ("sd-card"), or NULL for a type this build does not know. */
const struct device_kind *device_kind_find(const char *name);

/* "sd-card, nvme-zns, ...": every kind's name into buf, for messages. Returns buf. */
const char *device_kind_names(char *buf, size_t size);

#endif
