/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a scenario device shows up in a guest. Shared by devices.present and
 * by the agent, which waits (bounded) for every device before the checks.
 */
#ifndef GUESTCHECK_DEVICES_LOCATE_H
#define GUESTCHECK_DEVICES_LOCATE_H

#include "check.h"

struct located_device {
	char class_dev[96];   /* "class/block/mmcblk0", "class/net/usb0" */
	char node[64];	      /* "mmcblk0", "usb0" */
	char driver[64];      /* bound driver, "" if none */
	char mac[32];	      /* net devices */
	bool placeholder_mac; /* the MAC is the configured one but for QEMU's 0x40 first byte */
	char path[64];	      /* an NVMe multipath head's first path ("nvme0c0n1"), "" otherwise */
	char subsys[32];      /* a multipath head's NVMe subsystem ("nvme-subsys0") */
	char expected_driver[64];
	char problem[512]; /* why the closest candidate was refused, "" otherwise */
	char fix[256];	   /* what to do about it, "" for the kind's usual advice */
};

/*
 * Where dev is, the way its kind's `find` (lib/device_types.def) says; a
 * usb-net device gets the interface usbnet.* gives it (net_match_devices()
 * over env's devices). 0 when the device is present with the expected
 * driver; -ENOENT when it is absent (out->problem may describe a near
 * match); -EPROTONOSUPPORT for a type this agent does not know (dev->kind
 * NULL).
 */
int device_locate(const struct check_env *env, const struct check_device *dev,
		  struct located_device *out);

/*
 * The block device of a scenario sd-card, into node: its `node` when the
 * agent's config names one (the scenario's own; on machines without PCI the
 * runner's mmcblkN, which the device tree's mmcN aliases pin); else the card
 * on the mmc host of its controller `pci_address`, as
 * /sys/class/block/mmcblkK -> .../ADDR/mmc_host/mmcN/mmcN:RCA/block/mmcblkK,
 * whatever host number probe order gave; else `fallback`. 0, or -ENOENT
 * when that controller holds no card: node is then "mmcblk? on ADDR", for
 * messages, and names no sysfs entry.
 */
int sd_card_node(const struct sysroot *root, const struct check_device *dev, const char *fallback,
		 char *node, size_t size);

#define BLOCK_MPATH_MAX 8

/*
 * An NVMe multipath head ("nvme0n1") is a disk of the NVMe subsystem
 * (its `device` is nvme-subsys0): no driver, a bio-based queue (no I/O
 * scheduler; on 6.1 a queue/scheduler of "none", from 6.x none at all) whose
 * limits need not be the controller's. Linux makes one when the controller
 * says it may share the subsystem with others (CMIC; QEMU 10 sets it, as
 * multipath-capable hardware does). Its I/O goes down its paths, one hidden
 * disk per controller ("nvme0c0n1", nvme<subsys>c<ctrl>n<head>, below the
 * controller): they have the driver, the controller's limits and the
 * scheduler. Fills paths (name order) and subsys; returns how many paths,
 * 0 when node is not a multipath head, or -errno.
 */
int block_mpath_paths(const struct sysroot *root, const char *node, char (*paths)[32], size_t max,
		      char *subsys, size_t subsys_size);

#endif
