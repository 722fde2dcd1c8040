// SPDX-License-Identifier: GPL-2.0-or-later
#include "nl_route.h"

#include <errno.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "cleanup_libnl.h"

int nl_route_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_BUSY:
		return -EBUSY;
	default:
		return -EIO;
	}
}

int nl_route_link(const char *ifname, struct nl_sock **sk, struct rtnl_link **link)
{
	_cleanup_nl_sock_ struct nl_sock *s = nl_socket_alloc();
	int r;

	*sk = NULL;
	*link = NULL;
	if (!s)
		return -ENOMEM;
	r = nl_route_errno(nl_connect(s, NETLINK_ROUTE));
	if (!r)
		r = nl_route_errno(rtnl_link_get_kernel(s, 0, ifname, link));
	if (r < 0)
		return r;
	*sk = TAKE_PTR(s);
	return 0;
}

int nl_route_link_counters(const char *ifname, struct link_counters *c)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_link_ struct rtnl_link *link = NULL;
	int r = nl_route_link(ifname, &sk, &link);

	if (r < 0)
		return r;
	*c = (struct link_counters){
		.rx_packets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS),
		.tx_packets = rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS),
		.rx_errors = rtnl_link_get_stat(link, RTNL_LINK_RX_ERRORS),
		.tx_errors = rtnl_link_get_stat(link, RTNL_LINK_TX_ERRORS),
		.rx_dropped = rtnl_link_get_stat(link, RTNL_LINK_RX_DROPPED),
		.tx_dropped = rtnl_link_get_stat(link, RTNL_LINK_TX_DROPPED),
		.rx_over_errors = rtnl_link_get_stat(link, RTNL_LINK_RX_OVER_ERR),
		.rx_fifo_errors = rtnl_link_get_stat(link, RTNL_LINK_RX_FIFO_ERR),
		.tx_fifo_errors = rtnl_link_get_stat(link, RTNL_LINK_TX_FIFO_ERR),
	};
	return 0;
}
