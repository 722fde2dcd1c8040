/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Devices the agent makes inside the guest before it waits for the
 * scenario's devices: null-blk through null_blk's configfs, scsi-debug by
 * loading scsi_debug with its zoned parameters. Only as PID 1: in someone
 * else's guest the agent creates nothing.
 */
#ifndef GUESTCHECK_AGENT_DEVICE_SETUP_H
#define GUESTCHECK_AGENT_DEVICE_SETUP_H

#include <stddef.h>

#include "check.h"

#define NULLB_CONFIGFS "/sys/kernel/config/nullb"

/* One configfs attribute of a null_blk device, written in order; "power" comes last. */
struct nullb_attr {
	char name[24];
	char value[24];
};

/*
 * The configfs attributes for a [device] section of type null-blk, with the
 * defaults of checks/zoned/guest_devices.h: count, or -EINVAL with a message
 * in err (a value the runner would have refused).
 */
int null_blk_attrs(const struct config_section *sec, struct nullb_attr *out, size_t max, char *err,
		   size_t errsize);

/* The scsi_debug module parameters for a [device] section of type scsi-debug. 0 or -EINVAL. */
int scsi_debug_params(const struct config_section *sec, char *buf, size_t size, char *err,
		      size_t errsize);

/*
 * Make every null-blk and scsi-debug device of the configuration. Each module
 * load and each device that could not be made is one entry in out[] (as
 * modules_load() writes them, so agent.modules reports them); returns how
 * many entries were written.
 */
size_t device_setup(const struct config *cfg, const char *release, struct module_load *out,
		    size_t max);

#endif
