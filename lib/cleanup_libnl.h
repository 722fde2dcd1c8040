/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scope-bound cleanup for libnl objects (see cleanup.h), shared by the
 * agent's usb-net check and the runner's network namespace code. Apart from
 * cleanup.h because only libnl users may include libnl's headers.
 */
#ifndef GUESTCHECK_CLEANUP_LIBNL_H
#define GUESTCHECK_CLEANUP_LIBNL_H

#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "cleanup.h"

static inline void nl_socket_freep(struct nl_sock **s)
{
	if (*s)
		nl_socket_free(*s);
}

static inline void rtnl_link_putp(struct rtnl_link **l)
{
	if (*l)
		rtnl_link_put(*l);
}

static inline void rtnl_addr_putp(struct rtnl_addr **a)
{
	if (*a)
		rtnl_addr_put(*a);
}

static inline void nl_addr_putp(struct nl_addr **a)
{
	if (*a)
		nl_addr_put(*a);
}

static inline void nl_cache_freep(struct nl_cache **c)
{
	if (*c)
		nl_cache_free(*c);
}

#define _cleanup_nl_sock_  _cleanup_(nl_socket_freep)
#define _cleanup_link_	   _cleanup_(rtnl_link_putp)
#define _cleanup_rtaddr_   _cleanup_(rtnl_addr_putp)
#define _cleanup_nl_addr_  _cleanup_(nl_addr_putp)
#define _cleanup_nl_cache_ _cleanup_(nl_cache_freep)

#endif
