// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's neighbour record (usbnet/neigh_watch.h) from crafted netlink
 * messages, and the windows in which the guest's MAC was unresolved
 * (usbnet/peer_report_neigh.h).
 */
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "kselftest_harness.h"

#include "usbnet/neigh_watch.h"
#include "usbnet/peer_report_neigh.h"

/* Append one neighbour message to buf at *off. */
static void put_neigh(char *buf, size_t *off, uint16_t type, int family, int ifindex,
		      uint16_t state, const char *ip, const uint8_t *mac)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(buf + *off);
	struct ndmsg *nd = NLMSG_DATA(h);
	struct rtattr *a;

	memset(h, 0, NLMSG_SPACE(sizeof(*nd)) + 32);
	h->nlmsg_type = type;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*nd));
	nd->ndm_family = family;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = state;
	if (ip) {
		a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
		a->rta_type = NDA_DST;
		a->rta_len = RTA_LENGTH(4);
		inet_pton(AF_INET, ip, RTA_DATA(a));
		h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	}
	if (mac) {
		a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
		a->rta_type = NDA_LLADDR;
		a->rta_len = RTA_LENGTH(6);
		memcpy(RTA_DATA(a), mac, 6);
		h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	}
	*off += NLMSG_ALIGN(h->nlmsg_len);
}

TEST(parse_keeps_the_taps_ipv4_entries)
{
	static const uint8_t mac[6] = { 0x40, 0x54, 0, 0x12, 0x34, 0x71 };
	char buf[1024] __attribute__((aligned(4)));
	struct neigh_change c[4];
	uint32_t dropped = 0;
	size_t off = 0, n;
	char state[64];

	put_neigh(buf, &off, RTM_NEWNEIGH, AF_INET, 7, NUD_STALE, "10.0.5.15", mac);
	put_neigh(buf, &off, RTM_NEWNEIGH, AF_INET, 8, NUD_REACHABLE, "10.0.9.15", mac);
	put_neigh(buf, &off, RTM_NEWNEIGH, AF_INET6, 7, NUD_REACHABLE, NULL, mac);
	put_neigh(buf, &off, RTM_NEWNEIGH, AF_INET, 7, NUD_FAILED, "10.0.5.15", NULL);
	put_neigh(buf, &off, RTM_DELNEIGH, AF_INET, 7, 0, "10.0.5.15", NULL);
	n = neigh_watch_parse(buf, off, 7, 42, c, 4, &dropped);
	ASSERT_EQ(3U, n);
	EXPECT_EQ(0U, dropped);
	EXPECT_EQ(NUD_STALE, c[0].state);
	EXPECT_EQ(1, c[0].has_lladdr);
	EXPECT_EQ(0x71, c[0].lladdr[5]);
	EXPECT_EQ(htonl(0x0a00050f), c[0].addr);
	EXPECT_EQ(42U, c[0].t_ns);
	EXPECT_EQ(NUD_FAILED, c[1].state);
	EXPECT_EQ(0, c[1].has_lladdr);
	EXPECT_EQ(1, c[2].deleted);
	EXPECT_STREQ("FAILED", neigh_state_name(c[1].state, 0, state, sizeof(state)));
	EXPECT_STREQ("deleted", neigh_state_name(0, 1, state, sizeof(state)));
	EXPECT_STREQ("STALE|DELAY",
		     neigh_state_name(NUD_STALE | NUD_DELAY, 0, state, sizeof(state)));
	/* Beyond max: counted, not stored. */
	n = neigh_watch_parse(buf, off, 7, 42, c, 1, &dropped);
	EXPECT_EQ(1U, n);
	EXPECT_EQ(2U, dropped);
}

TEST(parse_stops_at_a_lying_length)
{
	char buf[256] __attribute__((aligned(4)));
	struct neigh_change c[4];
	size_t off = 0;

	put_neigh(buf, &off, RTM_NEWNEIGH, AF_INET, 7, NUD_STALE, "10.0.5.15", NULL);
	((struct nlmsghdr *)buf)->nlmsg_len = 4000; /* past the buffer */
	EXPECT_EQ(0U, neigh_watch_parse(buf, off, 7, 1, c, 4, NULL));
	/* Shorter than its ndmsg. */
	((struct nlmsghdr *)buf)->nlmsg_len = NLMSG_LENGTH(2);
	EXPECT_EQ(0U, neigh_watch_parse(buf, off, 7, 1, c, 4, NULL));
}

static struct neigh_change at(double t, uint32_t addr, uint16_t state)
{
	return (struct neigh_change){ .t_ns = (uint64_t)(t * 1e9), .addr = addr, .state = state };
}

TEST(unresolved_windows_on_the_probes_clock)
{
	uint32_t g = htonl(0x0a00050f), other = htonl(0x0a000510);
	struct neigh_change c[] = {
		at(100, g, NUD_STALE),	    at(110, g, NUD_DELAY),     at(115, g, NUD_PROBE),
		at(118, g, NUD_FAILED),	    at(119, other, NUD_STALE), at(130, g, NUD_STALE),
		at(135, g, NUD_INCOMPLETE), at(136, g, NUD_FAILED),    at(150, g, NUD_REACHABLE),
		at(170, g, NUD_FAILED),
	};
	struct neigh_window w[4];
	size_t n = neigh_unresolved_windows(c, ARRAY_SIZE(c), g, 105, 180, w, 4);

	ASSERT_EQ(3U, n);
	EXPECT_EQ(118, w[0].start);
	EXPECT_EQ(130, w[0].end);
	/* INCOMPLETE then FAILED is one window. */
	EXPECT_EQ(135, w[1].start);
	EXPECT_EQ(150, w[1].end);
	/* Still open when the probe ended: cut there. */
	EXPECT_EQ(170, w[2].start);
	EXPECT_EQ(180, w[2].end);
	/* A window before the probe is left out; one across its start is cut. */
	n = neigh_unresolved_windows(c, ARRAY_SIZE(c), g, 125, 140, w, 4);
	ASSERT_EQ(2U, n);
	EXPECT_EQ(125, w[0].start);
	EXPECT_EQ(135, w[1].start);
	EXPECT_EQ(140, w[1].end);
	EXPECT_EQ(0U, neigh_unresolved_windows(c, ARRAY_SIZE(c), other, 0, 200, w, 4));
}

TEST_HARNESS_MAIN
