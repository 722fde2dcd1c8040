/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a scenario device shows up in a guest. Shared by devices.present and
 * by the agent, which waits (bounded) for every device before the checks.
 */
#ifndef GUESTCHECK_DEVICES_LOCATE_H
#define GUESTCHECK_DEVICES_LOCATE_H

#include "check.h"

struct located_device {
	char class_dev[96]; /* "class/block/mmcblk0", "class/net/usb0" */
	char node[64];      /* "mmcblk0", "usb0" */
	char driver[64];    /* bound driver, "" if none */
	char mac[32];       /* net devices */
	char expected_driver[64];
	char problem[256]; /* why a near match was refused, "" otherwise */
};

/*
 * 0 when the device is present with the expected driver; -ENOENT when it is
 * absent (out->problem may describe a near match); -EPROTONOSUPPORT for a
 * type this agent does not know.
 */
/* "sd-card, nvme-zns, ...": the types this agent can find, for messages. */
const char *device_kind_names(char *buf, size_t size);

int device_locate(const struct sysroot *root, const struct check_device *dev,
		  struct located_device *out);

#endif
