/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The peer's private network namespace (root only): the tap the guest's
 * usb-net sits on lives there with the peer's address, so the probe's
 * traffic never touches the host's own network. Acts on the calling
 * process; links and addresses through libnl (counters: nl_route.h).
 */
#ifndef GUESTCHECK_NETNS_H
#define GUESTCHECK_NETNS_H

#include <netinet/in.h>

#include "nl_route.h"

/* unshare(CLONE_NEWNET) and bring lo up. 0 or -errno (-EPERM without CAP_SYS_ADMIN). */
int netns_enter_private(void);

/* Add addr/prefix to ifname and set it up. 0 or -errno. */
int netns_addr_up(const char *ifname, struct in_addr addr, unsigned int prefix);

#endif
