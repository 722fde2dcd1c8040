/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One usb-net device's report after the run (peers_report() in peer.h), shared
 * by the files that make it:
 *
 *   peer_report.c           reads the peer's record and runs the steps below
 *   peer_report_guest.c     what the guest said in its KTAP diagnostics
 *   peer_report_timeline.c  every probe's round trip on one clock, its windows
 *   peer_report_findings.c  the host's findings: the peer, the tap, QEMU's view
 *   peer_report_neigh.c     the host's neighbour entry for the guest over the probe
 *   peer_report_csv.c       the per-probe timeline as CSV
 *   peer_report_json.c      the JSON summary
 *   peer_report_plot.c      the SVG plot (drawn by plot.c)
 */
#ifndef GUESTCHECK_PEER_REPORT_H
#define GUESTCHECK_PEER_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

#include "session/ktap_parse.h"
#include "usbnet/netinfo.h"
#include "usbnet/peer.h"

#define PEER_MAX_FINDINGS 24
#define PEER_FINDING_LEN  NETINFO_FINDING_LEN

/* A probe's round trip, as the report judges it. */
enum peer_rt { RT_UNSENT, RT_ANSWERED, RT_LOST, RT_UNKNOWN };

/* What the guest said about one device in its KTAP diagnostics. */
struct guest_view {
	bool summary; /* the "N sent, M answered, L lost" line was there */
	uint32_t sent, answered, lost;
	bool windows_complete;
	uint8_t *lost_map; /* per probe: inside a loss window the guest listed */
	uint32_t windows_end;
	char mac_seen[18], mac_conf[32];
	bool counters; /* the interface's counters over the probe */
	unsigned long long rx, tx;
	uint32_t send_errors; /* probes send() never took (the "sending:" line) */
	char send_error[64];  /* the first one's error, as the guest named it, or "" */
};

/* Consecutive probes in one state: windows of [first, first + count). */
struct peer_window {
	uint32_t first, count;
	double start, end;
};

struct peer_report {
	struct peers *ps;
	struct peer *p;
	struct peer_dump d;
	struct peer_probe *probes;
	uint32_t n;
	double interval_s;
	double anchor; /* CLOCK_MONOTONIC seconds of the probe's zero; 0 unknown */
	struct guest_view g;
	uint8_t *rt; /* enum peer_rt per probe */
	struct peer_window *lost, *injected;
	size_t nlost, ninjected;
	char findings[PEER_MAX_FINDINGS][PEER_FINDING_LEN];
	size_t nfindings;
};

/* peer_report_guest.c: fill r->g; r->g.lost_map stays NULL when out of memory. */
void peer_report_read_guest(struct peer_report *r, const struct ktap_run *run);

/* peer_report_timeline.c */
const char *peer_rt_name(enum peer_rt rt);
void peer_report_round_trips(struct peer_report *r);
void peer_report_find_anchor(struct peer_report *r);
/* The loss and injection windows: 0 or -ENOMEM. */
int peer_report_find_windows(struct peer_report *r);
/* Seconds since the probe's zero: as the guest sent it, or as planned. */
double peer_report_send_time(const struct peer_report *r, uint32_t i);

/* peer_report_findings.c: one line each, the first PEER_MAX_FINDINGS kept. */
void peer_finding(struct peer_report *r, const char *fmt, ...) __printf(2, 3);
void peer_report_host_findings(struct peer_report *r);
/* peer_report_hops.c: on which hop probes and echoes died, from the counters on each side. */
void peer_report_hop_findings(struct peer_report *r, uint32_t sent);

/* The writers, one file each: 0, or -errno with err naming the file. */
int peer_report_write_csv(const struct peer_report *r, const char *path, char *err, size_t errsize);
int peer_report_write_json(const struct peer_report *r, const char *path, const char *timeline,
			   const char *plot, char *err, size_t errsize);
int peer_report_write_plot(const struct peer_report *r, const char *path, char *err,
			   size_t errsize);

#endif
