// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/netns.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "cleanup.h"
#include "cleanup_libnl.h"
#include "nl_route.h"

static int link_up(struct nl_sock *sk, struct rtnl_link *link)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *change = rtnl_link_alloc();

	if (!change)
		return -ENOMEM;
	rtnl_link_set_flags(change, IFF_UP);
	return nl_route_errno(rtnl_link_change(sk, link, change, 0));
}

int netns_enter_private(void)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
	_cleanup_(rtnl_link_putp) struct rtnl_link *lo = NULL;
	int r;

	if (unshare(CLONE_NEWNET) < 0)
		return -errno;
	r = nl_route_link("lo", &sk, &lo);
	return r < 0 ? r : link_up(sk, lo);
}

int netns_addr_up(const char *ifname, struct in_addr addr, unsigned int prefix)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;
	_cleanup_(rtnl_addr_putp) struct rtnl_addr *a = rtnl_addr_alloc();
	_cleanup_(nl_addr_putp) struct nl_addr *local = nl_addr_build(AF_INET, &addr, 4);
	int r = nl_route_link(ifname, &sk, &link);

	if (r < 0)
		return r;
	if (!a || !local)
		return -ENOMEM;
	nl_addr_set_prefixlen(local, prefix);
	rtnl_addr_set_ifindex(a, rtnl_link_get_ifindex(link));
	r = nl_route_errno(rtnl_addr_set_local(a, local));
	if (r < 0)
		return r;
	r = nl_route_errno(rtnl_addr_add(sk, a, 0));
	if (r < 0 && r != -EEXIST)
		return r;
	return link_up(sk, link);
}
