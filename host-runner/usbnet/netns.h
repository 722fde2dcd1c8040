/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The peer's private network namespace (root only): the tap the guest's
 * usb-net sits on lives there with the peer's address, so the probe's
 * traffic never touches the host's own network. Acts on the calling
 * process; links, addresses and counters through libnl.
 */
#ifndef GUESTCHECK_NETNS_H
#define GUESTCHECK_NETNS_H

#include <netinet/in.h>
#include <stdint.h>

/* unshare(CLONE_NEWNET) and bring lo up. 0 or -errno (-EPERM without CAP_SYS_ADMIN). */
int netns_enter_private(void);

/* Add addr/prefix to ifname and set it up. 0 or -errno. */
int netns_addr_up(const char *ifname, struct in_addr addr, unsigned int prefix);

struct netns_counters {
	uint64_t rx_packets, tx_packets, rx_dropped, tx_dropped, rx_errors, tx_errors;
};

/* The link's statistics (rtnl_link_get_stat). 0 or -errno. */
int netns_link_counters(const char *ifname, struct netns_counters *c);

#endif
