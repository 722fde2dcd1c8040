// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live network stack, through libnl (links, addresses, neighbours; a
 * link's counters are lib/nl_route.c's, shared with the runner's peer) and
 * one raw ICMP socket (the gateway's echo). These act on the running kernel,
 * not on a sysroot: they run in the guest only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>

#include "cleanup_libnl.h"
#include "clock.h"
#include "dhcp.h"
#include "nl_route.h"
#include "usbnet.h"

/* slirp answers at once; a lost broadcast costs a 2 s retry (dhcp.c). */
#define DHCP_TIMEOUT_MS 10000

int usbnet_link_get(const char *ifname, struct usbnet_link_state *st)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_link_ struct rtnl_link *link = NULL;
	int r;

	if ((r = nl_route_link(ifname, &sk, &link)) < 0)
		return r;
	st->flags = rtnl_link_get_flags(link);
	st->mtu = rtnl_link_get_mtu(link);
	st->carrier = rtnl_link_get_carrier(link);
	st->ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_operstate2str(rtnl_link_get_operstate(link), st->operstate,
				sizeof(st->operstate));
	return 0;
}

int usbnet_link_up(const char *ifname)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_link_ struct rtnl_link *link = NULL, *change = NULL;
	int r;

	if ((r = nl_route_link(ifname, &sk, &link)) < 0)
		return r;
	if (rtnl_link_get_flags(link) & IFF_UP)
		return 0;
	change = rtnl_link_alloc();
	if (!change)
		return -ENOMEM;
	rtnl_link_set_flags(change, IFF_UP);
	return nl_route_errno(rtnl_link_change(sk, link, change, 0));
}

int usbnet_addr_add(const char *ifname, struct in_addr local, unsigned int prefix)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_link_ struct rtnl_link *link = NULL;
	_cleanup_rtaddr_ struct rtnl_addr *addr = NULL;
	_cleanup_nl_addr_ struct nl_addr *a = NULL;
	int r;

	if ((r = nl_route_link(ifname, &sk, &link)) < 0)
		return r;
	addr = rtnl_addr_alloc();
	a = nl_addr_build(AF_INET, &local, sizeof(local));
	if (!addr || !a)
		return -ENOMEM;
	nl_addr_set_prefixlen(a, prefix);
	rtnl_addr_set_ifindex(addr, rtnl_link_get_ifindex(link));
	r = rtnl_addr_set_local(addr, a);
	if (r < 0)
		return nl_route_errno(r);
	r = nl_route_errno(rtnl_addr_add(sk, addr, 0));
	return r == -EEXIST ? 0 : r;
}

int usbnet_neigh_get(const char *ifname, struct in_addr addr, char *mac, size_t macsize,
		     char *state, size_t statesize)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_link_ struct rtnl_link *link = NULL;
	_cleanup_nl_cache_ struct nl_cache *cache = NULL;
	_cleanup_nl_addr_ struct nl_addr *a = NULL;
	struct rtnl_neigh *n;
	struct nl_addr *ll;
	int r;

	if ((r = nl_route_link(ifname, &sk, &link)) < 0)
		return r;
	r = rtnl_neigh_alloc_cache(sk, &cache);
	if (r < 0)
		return nl_route_errno(r);
	a = nl_addr_build(AF_INET, &addr, sizeof(addr));
	if (!a)
		return -ENOMEM;
	n = rtnl_neigh_get(cache, rtnl_link_get_ifindex(link), a);
	if (!n)
		return -ENOENT;
	ll = rtnl_neigh_get_lladdr(n);
	if (ll)
		nl_addr2str(ll, mac, macsize);
	else
		snprintf(mac, macsize, "(none)");
	rtnl_neigh_state2str(rtnl_neigh_get_state(n), state, statesize);
	rtnl_neigh_put(n);
	return 0;
}

int usbnet_wait_carrier(const char *ifname, unsigned int timeout_ms)
{
	struct usbnet_link_state st;

	for (unsigned int waited = 0;; waited += 50) {
		int r = usbnet_link_get(ifname, &st);

		if (r < 0)
			return r;
		if (st.carrier || waited >= timeout_ms)
			return st.carrier;
		usleep(50 * 1000);
	}
}

static uint16_t inet_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

int usbnet_ping(const char *ifname, struct in_addr addr, unsigned int count,
		unsigned int timeout_ms, unsigned int *replies, unsigned int *rtt_us)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = addr };
	uint16_t id = (uint16_t)getpid();
	uint64_t sent_at[16] = { 0 }, start = now_us(), next = start;
	unsigned int sent = 0;

	*replies = 0;
	*rtt_us = 0;
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname)) < 0)
		return -errno;
	if (count > ARRAY_SIZE(sent_at))
		count = ARRAY_SIZE(sent_at);
	for (;;) {
		uint64_t now = now_us();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint8_t buf[512];
		ssize_t n;
		int wait;

		if (now - start >= timeout_ms * 1000ull || *replies == count)
			break;
		if (sent < count && now >= next) {
			struct icmphdr h = { .type = ICMP_ECHO,
					     .un.echo.id = htons(id),
					     .un.echo.sequence = htons(sent) };

			h.checksum = inet_csum(&h, sizeof(h));
			sent_at[sent] = now;
			if (sendto(fd, &h, sizeof(h), 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
			    errno != ENOBUFS && errno != EAGAIN)
				return -errno;
			sent++;
			next = now + 100 * 1000;
		}
		wait = sent < count ? (int)((next - now) / 1000) + 1 : 20;
		if (poll(&pfd, 1, wait) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n >= (ssize_t)sizeof(struct iphdr)) {
			const struct iphdr *ip = (const void *)buf;
			size_t hl = ip->ihl * 4u;
			const struct icmphdr *h = (const void *)(buf + hl);
			unsigned int seq;

			if ((size_t)n < hl + sizeof(*h) || ip->saddr != addr.s_addr ||
			    h->type != ICMP_ECHOREPLY || ntohs(h->un.echo.id) != id)
				continue;
			seq = ntohs(h->un.echo.sequence);
			if (seq < sent && sent_at[seq]) {
				unsigned int rtt = now_us() - sent_at[seq];

				if (!*replies || rtt < *rtt_us)
					*rtt_us = rtt;
				sent_at[seq] = 0; /* a duplicate is not a second reply */
				(*replies)++;
				/* The latest answered: the next need not wait out its 100 ms. */
				if (seq + 1 == sent)
					next = now_us();
			}
		}
	}
	return 0;
}

int usbnet_addr_present(const char *ifname, struct in_addr local)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_link_ struct rtnl_link *link = NULL;
	_cleanup_nl_cache_ struct nl_cache *cache = NULL;
	int r, ifindex, found = 0;

	if ((r = nl_route_link(ifname, &sk, &link)) < 0)
		return r;
	r = rtnl_addr_alloc_cache(sk, &cache);
	if (r < 0)
		return nl_route_errno(r);
	ifindex = rtnl_link_get_ifindex(link);
	for (struct nl_object *o = nl_cache_get_first(cache); o && !found;
	     o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *l = rtnl_addr_get_local(a);

		found = rtnl_addr_get_ifindex(a) == ifindex && rtnl_addr_get_family(a) == AF_INET &&
			l && nl_addr_get_len(l) == sizeof(local) &&
			!memcmp(nl_addr_get_binary_addr(l), &local, sizeof(local));
	}
	return found;
}

/*
 * Outside PID 1 the agent runs in someone's guest: it looks, it does not
 * reconfigure the network. The interface must already be up with the address.
 */
/*
 * Who configures ifname in a distribution guest, from the files each keeps
 * under /run: named in a skip so nobody thinks the agent fought it.
 */
static const char *network_owner(const struct check_env *env, const char *ifname)
{
	uint64_t ifindex;

	if (sysroot_read_u64(env->root, &ifindex, "/sys/class/net/%s/ifindex", ifname) == 0 &&
	    sysroot_exists(env->root, "/run/systemd/netif/links/%llu", (unsigned long long)ifindex))
		return "systemd-networkd";
	if (sysroot_exists(env->root, "/run/NetworkManager"))
		return "NetworkManager";
	if (sysroot_exists(env->root, "/run/network/ifstate.%s", ifname))
		return "ifupdown";
	return NULL;
}

/*
 * Not the guest's init: the guest's network is its own (udev named the
 * interface, a network manager may own it). The agent changes nothing;
 * what is not configured as the scenario says is a skip that names it.
 */
static int check_configured(struct check_ctx *ctx, const char *devname, const char *ifname,
			    const struct usbnet_config *c)
{
	const char *owner = network_owner(ctx->env, ifname);
	struct usbnet_link_state st;
	int r;

	if (c->dhcp) {
		check_skip(ctx,
			   "%s: %s: address = dhcp, but the agent is not the guest's init: it "
			   "takes no lease on the guest's network%s%s: give the device the "
			   "address = it has",
			   devname, ifname, owner ? ", which " : "", owner ? owner : "");
		return -EPERM;
	}
	r = usbnet_link_get(ifname, &st);
	if (r < 0) {
		check_fail(ctx, "%s: %s: reading the link (libnl) failed: %s", devname, ifname,
			   strerror(-r));
		return r;
	}
	r = usbnet_addr_present(ifname, c->local);
	if (!(st.flags & IFF_UP) || r <= 0) {
		check_skip(ctx,
			   "%s: %s: %s%s%s: not the guest's init, the agent leaves the "
			   "network to %s: configure it so, or set address =",
			   devname, ifname, st.flags & IFF_UP ? "up" : "down",
			   r <= 0 ? ", without " : "", r <= 0 ? c->address : "",
			   owner ? owner : "the guest (no network manager seen)");
		return -ENETDOWN;
	}
	check_note(ctx, "%s: %s: up with %s, as %s configured it (the agent changed nothing)",
		   devname, ifname, c->address, owner ? owner : "the guest");
	return 0;
}

/* address = dhcp: lease the address, prefix and gateway into c, and say what was leased. */
static int lease(struct check_ctx *ctx, const char *devname, const char *ifname,
		 struct usbnet_config *c)
{
	char why[192], addr[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], srv[INET_ADDRSTRLEN];
	struct dhcp_lease l;
	int r = dhcp_obtain(ifname, DHCP_TIMEOUT_MS, &l, why, sizeof(why));

	if (r < 0) {
		check_fail(ctx,
			   "%s: %s: expected a DHCP lease (address = dhcp), saw %s: no DHCP "
			   "server answers on this link: use netdev = user (QEMU's user "
			   "networking serves DHCP) or a static address = IPv4/prefix",
			   devname, ifname, why);
		return r;
	}
	c->local = l.ack.address;
	c->prefix = l.prefix;
	inet_ntop(AF_INET, &c->local, addr, sizeof(addr));
	snprintf(c->address, sizeof(c->address), "%s/%u", addr, c->prefix);
	inet_ntop(AF_INET, &l.ack.server, srv, sizeof(srv));
	if (l.ack.has_router)
		c->gateway = l.ack.router;
	inet_ntop(AF_INET, &c->gateway, gw, sizeof(gw));
	check_note(ctx,
		   "%s: %s: DHCP leased %s, gateway %s%s, server %s, lease %s%u s (%u "
		   "DISCOVER%s, %.2f s)",
		   devname, ifname, c->address, gw,
		   l.ack.has_router ? "" : " (the scenario's: the lease names no router)",
		   l.ack.has_server ? srv : "(unnamed)", l.ack.has_lease ? "" : "unstated, ",
		   l.ack.has_lease ? l.ack.lease_s : 0, l.discovers, l.discovers == 1 ? "" : "s",
		   l.elapsed_ms / 1000.0);
	if ((ntohl(c->gateway.s_addr) ^ ntohl(c->local.s_addr)) >> (32 - c->prefix)) {
		check_fail(ctx,
			   "%s: %s: the leased gateway %s is outside the leased %s: the probe "
			   "needs it on-link: check the DHCP server's router option",
			   devname, ifname, gw, c->address);
		return -EPROTO;
	}
	return 0;
}

int usbnet_bring_up(struct check_ctx *ctx, const char *devname, const char *ifname,
		    struct usbnet_config *c)
{
	int r;

	if (!ctx->env->pid1)
		return check_configured(ctx, devname, ifname, c);
	r = usbnet_link_up(ifname);

	if (r < 0) {
		check_fail(ctx, "%s: %s: setting the link up (libnl rtnl_link_change) failed: %s",
			   devname, ifname, strerror(-r));
		return r;
	}
	r = usbnet_wait_carrier(ifname, 5000);
	if (r == 0)
		check_fail(ctx,
			   "%s: %s: up, but no carrier after 5 s: the adapter reports the "
			   "link down: check the netdev (set_link?) and the QEMU log",
			   devname, ifname);
	if (c->dhcp && (r = lease(ctx, devname, ifname, c)) < 0)
		return r;
	r = usbnet_addr_add(ifname, c->local, c->prefix);
	if (r < 0) {
		check_fail(ctx, "%s: %s: adding address %s (libnl rtnl_addr_add) failed: %s",
			   devname, ifname, c->address, strerror(-r));
		return r;
	}
	return 0;
}
