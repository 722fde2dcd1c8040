/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Links of the calling process's network namespace through libnl's
 * NETLINK_ROUTE (RTM_GETLINK), for both sides: the agent's usb-net check
 * reads the guest's interface, the runner's probe peer its tap. They act on
 * the running kernel, never on a sysroot.
 *
 * Users need libnl's headers only to touch the objects themselves.
 */
#ifndef GUESTCHECK_NL_ROUTE_H
#define GUESTCHECK_NL_ROUTE_H

#include <stdint.h>

struct nl_sock;
struct rtnl_link;

/* libnl's error codes are its own: the ones a caller tells apart as -errno, others -EIO. */
int nl_route_errno(int nlerr);

/*
 * A connected NETLINK_ROUTE socket and ifname's link as the kernel has it
 * now, both the caller's to free (_cleanup_nl_sock_, _cleanup_link_ in
 * cleanup_libnl.h). 0, -ENODEV when there is no such link, or -errno;
 * on failure nothing is left to free.
 */
int nl_route_link(const char *ifname, struct nl_sock **sk, struct rtnl_link **link);

/* A link's counters, as the kernel keeps them since the link appeared. */
struct link_counters {
	uint64_t rx_packets, tx_packets, rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t rx_over_errors, rx_fifo_errors, tx_fifo_errors;
};

/* ifname's counters. 0, -ENODEV when there is no such link, or -errno. */
int nl_route_link_counters(const char *ifname, struct link_counters *c);

#endif
