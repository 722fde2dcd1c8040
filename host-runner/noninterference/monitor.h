/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest side of the installer phase: the write monitor's console lines
 * (phase_wrap.h), picked out of the installer's console however they are
 * chunked or interleaved. The console is the installer's text, so it is
 * untrusted: lines are bounded, fields checked, counters kept at their
 * highest value.
 *
 *   guestcheck-monitor: 12.34 mmcblk0 F1 ... F17;mmcblk1 ...;
 *   guestcheck-monitor: 12.34 none
 *   guestcheck-monitor: error TEXT
 */
#ifndef GUESTCHECK_MONITOR_H
#define GUESTCHECK_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MONITOR_MAX_NODES 8
#define MONITOR_MAX_LINE  2048

struct monitor_node {
	char node[32]; /* "mmcblk0" */
	uint64_t wr_ios, wr_sectors, discard_ios, discard_sectors;
	double first_uptime, last_uptime; /* guest seconds of its first and last sample */
};

struct monitor_state {
	size_t lines;	/* sample lines read */
	size_t garbage; /* monitor lines that did not parse */
	double last_uptime;
	struct monitor_node nodes[MONITOR_MAX_NODES];
	size_t nnodes;
	char error[256]; /* what the wrapper reported, "" if nothing */
	/* line assembly */
	char line[MONITOR_MAX_LINE];
	size_t len;
	bool overlong;
};

void monitor_init(struct monitor_state *st);
/* Console bytes, any chunking. */
void monitor_feed(struct monitor_state *st, const char *buf, size_t len);
/* The end of the console: a last partial line counts. */
void monitor_finish(struct monitor_state *st);
/* The node's counters, or NULL if the monitor never saw it. */
const struct monitor_node *monitor_find(const struct monitor_state *st, const char *node);

#endif
