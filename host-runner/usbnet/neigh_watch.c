// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/neigh_watch.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int neigh_watch_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_NEIGH };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	int size = 1 << 20;

	if (fd < 0)
		return -errno;
	/* Bursts of changes (a flood of ARP) must not overrun it: a lost change is lost evidence.
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* One RTM_NEWNEIGH or RTM_DELNEIGH: 1 stored in *c, 0 not ours, -1 malformed. */
static int parse_one(const struct nlmsghdr *h, int ifindex, struct neigh_change *c)
{
	const struct ndmsg *nd = NLMSG_DATA(h);
	size_t len;
	int have_dst = 0;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)))
		return -1;
	if (nd->ndm_family != AF_INET || nd->ndm_ifindex != ifindex)
		return 0;
	*c = (struct neigh_change){ .state = nd->ndm_state,
				    .deleted = h->nlmsg_type == RTM_DELNEIGH };
	len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*nd));
	for (const struct rtattr *a = (const void *)((const char *)nd + NLMSG_ALIGN(sizeof(*nd)));
	     RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 4) {
			memcpy(&c->addr, RTA_DATA(a), 4);
			have_dst = 1;
		} else if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
			memcpy(c->lladdr, RTA_DATA(a), 6);
			c->has_lladdr = 1;
		}
	}
	return have_dst;
}

size_t neigh_watch_parse(const void *buf, size_t len, int ifindex, uint64_t t_ns,
			 struct neigh_change *out, size_t max, uint32_t *dropped)
{
	size_t n = 0;

	for (const struct nlmsghdr *h = buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		struct neigh_change c;
		int r;

		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
			break;
		if (h->nlmsg_type != RTM_NEWNEIGH && h->nlmsg_type != RTM_DELNEIGH)
			continue;
		r = parse_one(h, ifindex, &c);
		if (r < 0)
			break;
		if (!r)
			continue;
		c.t_ns = t_ns;
		if (n < max)
			out[n++] = c;
		else if (dropped)
			(*dropped)++;
	}
	return n;
}

const char *neigh_state_name(uint16_t state, int deleted, char *buf, size_t size)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = { { NUD_INCOMPLETE, "INCOMPLETE" }, { NUD_REACHABLE, "REACHABLE" },
		      { NUD_STALE, "STALE" },		{ NUD_DELAY, "DELAY" },
		      { NUD_PROBE, "PROBE" },		{ NUD_FAILED, "FAILED" },
		      { NUD_NOARP, "NOARP" },		{ NUD_PERMANENT, "PERMANENT" } };
	size_t off = 0;

	if (deleted) {
		snprintf(buf, size, "deleted");
		return buf;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((state & names[i].bit) && off < size)
			off += snprintf(buf + off, size - off, "%s%s", off ? "|" : "",
					names[i].name);
	if (!buf[0])
		snprintf(buf, size, "NONE");
	return buf;
}
