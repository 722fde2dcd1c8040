/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loss probe's loop (probe.c): what one run over one interface saw. */
#ifndef GUESTCHECK_USBNET_PROBE_H
#define GUESTCHECK_USBNET_PROBE_H

#include "usbnet.h"

struct probe_result {
	struct probe_slot *slots; /* n entries, malloc'd: the caller frees */
	uint32_t n;		  /* probes planned */
	uint32_t interval_us;
	uint32_t run_id;
	uint64_t t0_ns; /* the first probe's due time, CLOCK_MONOTONIC: slots' sent_us count from it
			 */
	struct probe_counters cnt;
	bool peer_report;	/* the peer said which probes it received, for all */
	uint32_t peer_received; /* the peer's counts in its last echo */
	uint32_t peer_dropped;
	bool answered_any; /* at least one echo came back */
};

/*
 * Probe c->gateway:c->peer_port out of ifname at c->rate for c->duration_ms,
 * writing a "live ..." diagnostic line every second through ctx. 0 or
 * -errno (the socket could not be set up, no memory).
 */
int probe_run(struct check_ctx *ctx, const char *devname, const char *ifname,
	      const struct usbnet_config *c, struct probe_result *res);

#endif
