// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DHCP client's packets (checks/usbnet/dhcp.c): what DISCOVER and
 * REQUEST carry, replies as QEMU's slirp sends them, and hostile ones from
 * the network: short, wrong cookie, options running past the end, wrong
 * option lengths, other transactions, and random bytes (no crash, no read
 * outside the buffer: run it under ASan/valgrind to see).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "usbnet/dhcp.h"

#define XID 0x12345678u

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x59 };

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

/* A server reply's fixed part; options follow from byte 240. Returns 240. */
static size_t reply_head(uint8_t *b, uint32_t xid, const char *yiaddr)
{
	struct in_addr y = ip(yiaddr);

	memset(b, 0, 600);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	b[4] = xid >> 24;
	b[5] = xid >> 16;
	b[6] = xid >> 8;
	b[7] = xid;
	memcpy(b + 16, &y, 4);
	memcpy(b + 28, mac, 6);
	b[236] = 99;
	b[237] = 130;
	b[238] = 83;
	b[239] = 99;
	return 240;
}

static size_t opt(uint8_t *b, size_t n, uint8_t code, uint8_t len, const void *v)
{
	b[n] = code;
	b[n + 1] = len;
	memcpy(b + n + 2, v, len);
	return n + 2 + len;
}

static size_t opt_addr(uint8_t *b, size_t n, uint8_t code, const char *a)
{
	struct in_addr x = ip(a);

	return opt(b, n, code, 4, &x);
}

/* slirp's ACK: type, server id, lease, mask, router, DNS, end. */
static size_t slirp_ack(uint8_t *b, uint8_t type)
{
	static const uint8_t lease[4] = { 0, 1, 0x51, 0x80 }; /* 86400 s */
	size_t n = reply_head(b, XID, "10.0.5.15");

	n = opt(b, n, 53, 1, &type);
	n = opt_addr(b, n, 54, "10.0.5.2");
	n = opt(b, n, 51, 4, lease);
	n = opt_addr(b, n, 1, "255.255.255.0");
	n = opt_addr(b, n, 3, "10.0.5.2");
	n = opt_addr(b, n, 6, "10.0.5.3");
	b[n++] = 255;
	return n;
}

/* Find option code in a built message's options; its offset or 0. */
static size_t find_opt(const uint8_t *b, size_t len, uint8_t code)
{
	for (size_t i = 240; i + 1 < len && b[i] != 255; i += b[i] ? 2 + b[i + 1] : 1)
		if (b[i] == code)
			return i;
	return 0;
}

TEST(discover)
{
	uint8_t b[DHCP_MAX_PACKET];
	int n = dhcp_build(b, sizeof(b), DHCP_DISCOVER, XID, mac, ip("1.2.3.4"), ip("5.6.7.8"));
	size_t t;

	ASSERT_GE(n, 300);
	EXPECT_EQ(1, b[0]);
	EXPECT_EQ(1, b[1]);
	EXPECT_EQ(6, b[2]);
	EXPECT_EQ(0x12, b[4]);
	EXPECT_EQ(0x78, b[7]);
	EXPECT_EQ(0x80, b[10]); /* broadcast flag */
	EXPECT_EQ(0, memcmp(b + 28, mac, 6));
	EXPECT_EQ(99, b[236]);
	t = find_opt(b, n, 53);
	ASSERT_NE(0U, t);
	EXPECT_EQ(1, b[t + 1]);
	EXPECT_EQ(DHCP_DISCOVER, b[t + 2]);
	/* A DISCOVER names no address and no server. */
	EXPECT_EQ(0U, find_opt(b, n, 50));
	EXPECT_EQ(0U, find_opt(b, n, 54));
	EXPECT_NE(0U, find_opt(b, n, 55));
}

TEST(request)
{
	uint8_t b[DHCP_MAX_PACKET];
	int n = dhcp_build(b, sizeof(b), DHCP_REQUEST, XID, mac, ip("10.0.5.15"), ip("10.0.5.2"));
	struct in_addr a;
	size_t t;

	ASSERT_GE(n, 300);
	t = find_opt(b, n, 53);
	ASSERT_NE(0U, t);
	EXPECT_EQ(DHCP_REQUEST, b[t + 2]);
	t = find_opt(b, n, 50);
	ASSERT_NE(0U, t);
	memcpy(&a, b + t + 2, 4);
	EXPECT_EQ(ip("10.0.5.15").s_addr, a.s_addr);
	t = find_opt(b, n, 54);
	ASSERT_NE(0U, t);
	memcpy(&a, b + t + 2, 4);
	EXPECT_EQ(ip("10.0.5.2").s_addr, a.s_addr);
}

TEST(build_refuses)
{
	uint8_t b[DHCP_MAX_PACKET];

	EXPECT_EQ(-EINVAL,
		  dhcp_build(b, 100, DHCP_DISCOVER, XID, mac, ip("0.0.0.0"), ip("0.0.0.0")));
	EXPECT_EQ(-EINVAL,
		  dhcp_build(b, sizeof(b), DHCP_ACK, XID, mac, ip("0.0.0.0"), ip("0.0.0.0")));
}

TEST(parses_slirp_ack)
{
	uint8_t b[600];
	size_t n = slirp_ack(b, DHCP_ACK);
	struct dhcp_reply r;

	ASSERT_EQ(0, dhcp_parse(b, n, XID, mac, &r));
	EXPECT_EQ(DHCP_ACK, r.type);
	EXPECT_EQ(ip("10.0.5.15").s_addr, r.address.s_addr);
	EXPECT_TRUE(r.has_mask);
	EXPECT_EQ(24, dhcp_mask_prefix(r.mask));
	EXPECT_TRUE(r.has_router);
	EXPECT_EQ(ip("10.0.5.2").s_addr, r.router.s_addr);
	EXPECT_TRUE(r.has_server);
	EXPECT_EQ(ip("10.0.5.2").s_addr, r.server.s_addr);
	EXPECT_TRUE(r.has_lease);
	EXPECT_EQ(86400U, r.lease_s);
	/* Pads before the end, no end at all (options run to the buffer's end): fine. */
	EXPECT_EQ(0, dhcp_parse(b, n - 1, XID, mac, &r));
}

TEST(routers_and_padding)
{
	uint8_t b[600], t = DHCP_OFFER, routers[8];
	size_t n = reply_head(b, XID, "192.168.7.20");
	struct dhcp_reply r;
	struct in_addr a = ip("192.168.7.1"), c = ip("192.168.7.9");

	memcpy(routers, &a, 4);
	memcpy(routers + 4, &c, 4);
	b[n++] = 0;
	b[n++] = 0;
	n = opt(b, n, 53, 1, &t);
	n = opt(b, n, 3, 8, routers);
	n = opt_addr(b, n, 1, "255.255.252.0");
	n = opt(b, n, 250, 3, "xyz"); /* unknown: skipped */
	b[n++] = 255;
	ASSERT_EQ(0, dhcp_parse(b, n, XID, mac, &r));
	EXPECT_EQ(DHCP_OFFER, r.type);
	EXPECT_EQ(a.s_addr, r.router.s_addr);
	EXPECT_EQ(22, dhcp_mask_prefix(r.mask));
	EXPECT_FALSE(r.has_server);
	EXPECT_FALSE(r.has_lease);
}

TEST(nak_message_sanitised)
{
	uint8_t b[600], t = DHCP_NAK;
	size_t n = reply_head(b, XID, "0.0.0.0");
	struct dhcp_reply r;

	n = opt(b, n, 53, 1, &t);
	n = opt(b, n, 56, 9, "bad\x1b[2Jx");
	b[n++] = 255;
	ASSERT_EQ(0, dhcp_parse(b, n, XID, mac, &r));
	EXPECT_EQ(DHCP_NAK, r.type);
	EXPECT_STREQ("bad?[2Jx?", r.message);
}

TEST(not_ours)
{
	uint8_t b[600];
	size_t n = slirp_ack(b, DHCP_ACK);
	uint8_t other[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x58 };
	struct dhcp_reply r;

	EXPECT_EQ(-ENOMSG, dhcp_parse(b, n, XID + 1, mac, &r));
	EXPECT_EQ(-ENOMSG, dhcp_parse(b, n, XID, other, &r));
	b[0] = 1; /* another client's request, seen on the broadcast */
	EXPECT_EQ(-ENOMSG, dhcp_parse(b, n, XID, mac, &r));
	/* A DISCOVER-typed reply is no answer for us. */
	n = slirp_ack(b, DHCP_DISCOVER);
	EXPECT_EQ(-ENOMSG, dhcp_parse(b, n, XID, mac, &r));
}

TEST(malformed)
{
	uint8_t b[600], t = DHCP_ACK;
	size_t n = slirp_ack(b, DHCP_ACK);
	struct dhcp_reply r;

	EXPECT_EQ(-EINVAL, dhcp_parse(NULL, 0, XID, mac, &r));
	EXPECT_EQ(-EINVAL, dhcp_parse(b, 0, XID, mac, &r));
	EXPECT_EQ(-EINVAL, dhcp_parse(b, 239, XID, mac, &r));
	/* Cut inside an option: its length runs past the end. */
	EXPECT_EQ(-EINVAL, dhcp_parse(b, 240 + 3 + 4, XID, mac, &r));
	/* Cut between a code and its length. */
	EXPECT_EQ(-EINVAL, dhcp_parse(b, 240 + 3 + 1, XID, mac, &r));
	/* Only the fixed part: no message type. */
	EXPECT_EQ(-EINVAL, dhcp_parse(b, 240, XID, mac, &r));
	b[238] = 0; /* cookie */
	EXPECT_EQ(-EINVAL, dhcp_parse(b, n, XID, mac, &r));

	/* A mask of 3 bytes, a non-contiguous mask, a server id of 2, a type of 2. */
	n = reply_head(b, XID, "10.0.5.15");
	n = opt(b, n, 53, 1, &t);
	n = opt(b, n, 1, 3, "\xff\xff\xff");
	EXPECT_EQ(-EINVAL, dhcp_parse(b, n, XID, mac, &r));
	n = reply_head(b, XID, "10.0.5.15");
	n = opt(b, n, 53, 1, &t);
	n = opt_addr(b, n, 1, "255.0.255.0");
	EXPECT_EQ(-EINVAL, dhcp_parse(b, n, XID, mac, &r));
	n = reply_head(b, XID, "10.0.5.15");
	n = opt(b, n, 53, 1, &t);
	n = opt(b, n, 54, 2, "ab");
	EXPECT_EQ(-EINVAL, dhcp_parse(b, n, XID, mac, &r));
	n = reply_head(b, XID, "10.0.5.15");
	n = opt(b, n, 53, 2, "\x05\x05");
	EXPECT_EQ(-EINVAL, dhcp_parse(b, n, XID, mac, &r));
	/* An ACK without an address, and one of 255.255.255.255. */
	n = reply_head(b, XID, "0.0.0.0");
	n = opt(b, n, 53, 1, &t);
	EXPECT_EQ(-EINVAL, dhcp_parse(b, n, XID, mac, &r));
	n = reply_head(b, XID, "255.255.255.255");
	n = opt(b, n, 53, 1, &t);
	EXPECT_EQ(-EINVAL, dhcp_parse(b, n, XID, mac, &r));
}

TEST(mask_prefix)
{
	EXPECT_EQ(0, dhcp_mask_prefix(ip("0.0.0.0")));
	EXPECT_EQ(8, dhcp_mask_prefix(ip("255.0.0.0")));
	EXPECT_EQ(30, dhcp_mask_prefix(ip("255.255.255.252")));
	EXPECT_EQ(32, dhcp_mask_prefix(ip("255.255.255.255")));
	EXPECT_EQ(-EINVAL, dhcp_mask_prefix(ip("0.255.255.255")));
	EXPECT_EQ(-EINVAL, dhcp_mask_prefix(ip("255.255.255.1")));
}

/*
 * Random options after a valid head, every length from 0 to the whole
 * buffer, each copied into an exact-size heap buffer so a read past its end
 * is a read past an allocation. The parser must only ever answer.
 */
TEST(hostile_random)
{
	uint8_t base[600];
	unsigned int seed = 20261121, ok = 0;

	for (int round = 0; round < 2000; round++) {
		size_t len = reply_head(base, XID, "10.0.5.15") + rand_r(&seed) % 361;
		uint8_t *copy;
		struct dhcp_reply r;
		int ret;

		for (size_t i = 240; i < len; i++)
			base[i] = rand_r(&seed) % 4 ? rand_r(&seed) % 64 : rand_r(&seed);
		if (round % 3 == 0 && len > 243) {
			base[240] = 53;
			base[241] = 1;
			base[242] = DHCP_ACK;
		}
		for (size_t cut = 0; cut <= len; cut += 1 + cut / 4) {
			copy = malloc(cut ? cut : 1);
			ASSERT_NE(NULL, copy);
			memcpy(copy, base, cut);
			ret = dhcp_parse(copy, cut, XID, mac, &r);
			free(copy);
			ASSERT_TRUE(ret == 0 || ret == -EINVAL || ret == -ENOMSG);
			if (ret == 0) {
				ok++;
				EXPECT_TRUE(r.type == DHCP_OFFER || r.type == DHCP_ACK ||
					    r.type == DHCP_NAK);
				EXPECT_LT(strlen(r.message), sizeof(r.message));
			}
		}
	}
	/* The seeded type makes some of them valid: the happy path is exercised too. */
	EXPECT_GT(ok, 0U);
}

TEST_HARNESS_MAIN
