/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's neighbour (ARP) entries on the tap, as the kernel changes them.
 *
 * An echo toward the guest needs the guest's MAC: the peer's kernel keeps it
 * in a neighbour entry that goes stale after a reachable time (15 to 45 s)
 * and is then confirmed by ARP requests of its own (unicast, then broadcast).
 * When those requests never reach the guest, the entry fails and every echo
 * is dropped in the host's stack until the guest speaks ARP again: loss that
 * the tap's counters never see as frames toward the guest. The peer process
 * (in its namespace, beside the tap) listens to RTNLGRP_NEIGH and records
 * each change of the tap's IPv4 entries on the probe's clock, so the report
 * can lay them over the loss windows.
 */
#ifndef GUESTCHECK_NEIGH_WATCH_H
#define GUESTCHECK_NEIGH_WATCH_H

#include <stddef.h>
#include <stdint.h>

/* One change of an entry. The layout is part of the peer's record (peer.h). */
struct neigh_change {
	uint64_t t_ns;	 /* CLOCK_MONOTONIC when the peer read it */
	uint32_t addr;	 /* IPv4, network order */
	uint16_t state;	 /* NUD_* (linux/neighbour.h); 0 when deleted */
	uint8_t deleted; /* RTM_DELNEIGH */
	uint8_t has_lladdr;
	uint8_t lladdr[6];
	uint8_t pad[2];
};

/*
 * A NETLINK_ROUTE socket of the calling process's namespace, subscribed to
 * neighbour changes (non-blocking, close-on-exec): the descriptor, or -errno.
 */
int neigh_watch_open(void);

/*
 * The changes in one buffer read from that socket: those of ifindex's IPv4
 * entries go to out (at most max; the rest are counted in *dropped).
 * Returns how many were stored. Malformed messages end the parse.
 */
size_t neigh_watch_parse(const void *buf, size_t len, int ifindex, uint64_t t_ns,
			 struct neigh_change *out, size_t max, uint32_t *dropped);

/* "FAILED", "REACHABLE", "STALE|PROBE"...: the NUD_* bits of state, or "deleted". */
const char *neigh_state_name(uint16_t state, int deleted, char *buf, size_t size);

#endif
