/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One device's share of the host's neighbour record (neigh_watch.h): its finding and JSON. */
#ifndef GUESTCHECK_PEER_REPORT_NEIGH_H
#define GUESTCHECK_PEER_REPORT_NEIGH_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "usbnet/neigh_watch.h"
#include "usbnet/peer_report.h"

/* A span in which the host could not resolve an address (CLOCK_MONOTONIC s). */
struct neigh_window {
	double start, end;
};

/*
 * The spans in which addr's entry was INCOMPLETE, FAILED or deleted, cut to
 * [t0, t1) (seconds); one still open at the end runs to t1. Pure: unit-tested.
 */
size_t neigh_unresolved_windows(const struct neigh_change *c, size_t n, uint32_t addr, double t0,
				double t1, struct neigh_window *out, size_t max);

/* The same windows for the guest's address, in seconds on the probe's clock (the plot's band). */
struct plot_span;
size_t peer_report_neigh_spans(const struct peer_report *r, struct plot_span *out, size_t max);

/* The finding: the windows, and the echoes lost downstream inside them. */
void peer_report_neigh_findings(struct peer_report *r);

/* Every recorded change on the probe's clock (owned by the caller). */
json_object *peer_report_neigh_json(const struct peer_report *r);

#endif
