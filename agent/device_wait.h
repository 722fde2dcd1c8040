/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Waiting for the scenario's devices, one area at a time. Devices appear
 * asynchronously after their modules load, and not together: under TCG the
 * SD card is there 0.6 s before the usb-net has finished enumerating (Linux
 * 6.1, QEMU 7.2). An area waits only for the kinds of device it reads
 * (registry.def's AREA line), so the card's checks start while the USB bus
 * is still being enumerated; each wait is bounded by the scenario's
 * device_timeout, after which the area runs and its checks say what is
 * missing.
 */
#ifndef GUESTCHECK_AGENT_DEVICE_WAIT_H
#define GUESTCHECK_AGENT_DEVICE_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "checklist.h"

#define DEVICE_WAIT_MAX	    32
#define DEVICE_WAIT_POLL_MS 50

struct device_wait {
	const struct check_env *env;
	uint64_t t0_ns;
	uint64_t timeout_ns;
	struct check_device devs[DEVICE_WAIT_MAX];
	bool present[DEVICE_WAIT_MAX];
	size_t n;
	bool reported; /* the "devices N of M present" line is written */
};

/* Start waiting now, for at most timeout_ms (0: devices that are not there now never come). */
void device_wait_start(struct device_wait *w, const struct check_env *env, unsigned int timeout_ms);

/*
 * Look again for the devices not yet found; once all are there or the time is
 * up, write "devices N of M present after S s" to out, once. Returns whether
 * anything is still awaited.
 */
bool device_wait_poll(struct device_wait *w, int out);

/*
 * Whether an area may start: every device it reads is present, or the time
 * is up (reads what device_wait_poll() found, and the clock).
 */
bool device_wait_ready(const struct device_wait *w, const struct agent_area *area);

#endif
