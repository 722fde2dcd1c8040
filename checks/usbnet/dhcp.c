// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DHCP client of dhcp.h. The exchange runs over a UDP socket bound to
 * the device (SO_BINDTODEVICE) on port 68: Linux sends to 255.255.255.255
 * out of an interface without an address, and with the broadcast flag set
 * the server broadcasts its replies, which the socket receives before the
 * interface has an address. Replies of other transactions are skipped.
 */
#include "dhcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"

#define BOOTREQUEST    1
#define BOOTREPLY      2
#define HTYPE_ETHER    1
#define FLAG_BROADCAST 0x8000

/* Offsets into the fixed part (RFC 2131 section 2). */
#define OFF_OP	   0
#define OFF_HTYPE  1
#define OFF_HLEN   2
#define OFF_XID	   4
#define OFF_FLAGS  10
#define OFF_YIADDR 16
#define OFF_CHADDR 28
#define OFF_COOKIE 236

#define OPT_PAD	      0
#define OPT_MASK      1
#define OPT_ROUTER    3
#define OPT_REQ_ADDR  50
#define OPT_LEASE     51
#define OPT_MSG_TYPE  53
#define OPT_SERVER_ID 54
#define OPT_PARAMS    55
#define OPT_MESSAGE   56
#define OPT_END	      255

/* Per-attempt wait: TCG guests and a busy host answer slowly. */
#define RETRY_MS 2000

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int dhcp_build(uint8_t *buf, size_t size, enum dhcp_msg_type type, uint32_t xid,
	       const uint8_t mac[6], struct in_addr requested, struct in_addr server)
{
	static const uint8_t params[] = { OPT_MASK, OPT_ROUTER, OPT_LEASE, OPT_SERVER_ID };
	size_t n = DHCP_FIXED_LEN;

	if ((type != DHCP_DISCOVER && type != DHCP_REQUEST) || size < DHCP_FIXED_LEN + 32)
		return -EINVAL;
	memset(buf, 0, DHCP_FIXED_LEN);
	buf[OFF_OP] = BOOTREQUEST;
	buf[OFF_HTYPE] = HTYPE_ETHER;
	buf[OFF_HLEN] = 6;
	put32(buf + OFF_XID, xid);
	buf[OFF_FLAGS] = FLAG_BROADCAST >> 8;
	memcpy(buf + OFF_CHADDR, mac, 6);
	memcpy(buf + OFF_COOKIE, cookie, sizeof(cookie));
	buf[n++] = OPT_MSG_TYPE;
	buf[n++] = 1;
	buf[n++] = type;
	if (type == DHCP_REQUEST) {
		buf[n++] = OPT_REQ_ADDR;
		buf[n++] = 4;
		memcpy(buf + n, &requested, 4);
		n += 4;
		buf[n++] = OPT_SERVER_ID;
		buf[n++] = 4;
		memcpy(buf + n, &server, 4);
		n += 4;
	}
	buf[n++] = OPT_PARAMS;
	buf[n++] = sizeof(params);
	memcpy(buf + n, params, sizeof(params));
	n += sizeof(params);
	buf[n++] = OPT_END;
	/* Some servers ignore BOOTP messages shorter than BOOTP's 300 bytes. */
	if (n < 300 && size >= 300) {
		memset(buf + n, 0, 300 - n);
		n = 300;
	}
	return n;
}

int dhcp_mask_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int prefix = __builtin_popcount(m);

	/* Contiguous: the ones, shifted up to the top, are the mask. */
	if (m != (prefix ? ~0u << (32 - prefix) : 0))
		return -EINVAL;
	return prefix;
}

/* One option's value: its length must be as the option wants. */
static int take_option(struct dhcp_reply *r, uint8_t code, const uint8_t *v, uint8_t len)
{
	switch (code) {
	case OPT_MSG_TYPE:
		if (len != 1)
			return -EINVAL;
		r->type = v[0];
		return 0;
	case OPT_MASK:
		if (len != 4)
			return -EINVAL;
		memcpy(&r->mask, v, 4);
		r->has_mask = true;
		return 0;
	case OPT_ROUTER:
		/* A list of routers: the first is the one to use. */
		if (len < 4 || len % 4)
			return -EINVAL;
		memcpy(&r->router, v, 4);
		r->has_router = true;
		return 0;
	case OPT_SERVER_ID:
		if (len != 4)
			return -EINVAL;
		memcpy(&r->server, v, 4);
		r->has_server = true;
		return 0;
	case OPT_LEASE:
		if (len != 4)
			return -EINVAL;
		r->lease_s = get32(v);
		r->has_lease = true;
		return 0;
	case OPT_MESSAGE: {
		size_t n = len < sizeof(r->message) ? len : sizeof(r->message) - 1;

		/* It ends up in a report: printable ASCII only. */
		for (size_t i = 0; i < n; i++)
			r->message[i] = v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '?';
		r->message[n] = '\0';
		return 0;
	}
	default:
		return 0; /* not ours to use */
	}
}

int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t mac[6],
	       struct dhcp_reply *r)
{
	size_t i = DHCP_FIXED_LEN;

	*r = (struct dhcp_reply){ 0 };
	if (!buf || len < DHCP_FIXED_LEN || memcmp(buf + OFF_COOKIE, cookie, sizeof(cookie)))
		return -EINVAL;
	if (buf[OFF_OP] != BOOTREPLY || buf[OFF_HTYPE] != HTYPE_ETHER || buf[OFF_HLEN] != 6 ||
	    get32(buf + OFF_XID) != xid || memcmp(buf + OFF_CHADDR, mac, 6))
		return -ENOMSG;
	memcpy(&r->address, buf + OFF_YIADDR, 4);
	/* Every step checks the bytes it reads are inside len. */
	while (i < len) {
		uint8_t code = buf[i], olen;

		if (code == OPT_END)
			break;
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		olen = buf[i + 1];
		if (olen > len - i - 2)
			return -EINVAL;
		if (take_option(r, code, buf + i + 2, olen) < 0)
			return -EINVAL;
		i += 2 + (size_t)olen;
	}
	switch (r->type) {
	case DHCP_OFFER:
	case DHCP_ACK:
		if (!r->address.s_addr || r->address.s_addr == INADDR_BROADCAST)
			return -EINVAL;
		if (r->has_mask && dhcp_mask_prefix(r->mask) < 1)
			return -EINVAL;
		return 0;
	case DHCP_NAK:
		return 0;
	default:
		return r->type ? -ENOMSG : -EINVAL;
	}
}

static int open_socket(const char *ifname, uint8_t mac[6])
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(DHCP_CLIENT_PORT) };
	struct ifreq ifr = { 0 };
	int one = 1;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname)) < 0 ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		return -errno;
	return TAKE_FD(fd);
}

/*
 * Send msg (again every RETRY_MS) until a reply of one of the wanted types
 * arrives or the deadline passes. 0, -ETIMEDOUT or -errno; *sent counts.
 */
static int exchange(int fd, const uint8_t *msg, size_t len, uint32_t xid, const uint8_t mac[6],
		    uint8_t want, uint64_t deadline, struct dhcp_reply *r, unsigned int *sent)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(DHCP_SERVER_PORT),
				  .sin_addr.s_addr = htonl(INADDR_BROADCAST) };
	uint64_t next = 0;

	for (;;) {
		uint64_t now = now_ms();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint8_t buf[DHCP_MAX_PACKET];
		ssize_t n;

		if (now >= deadline)
			return -ETIMEDOUT;
		if (now >= next) {
			if (sendto(fd, msg, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
			    errno != ENOBUFS && errno != EAGAIN)
				return -errno;
			(*sent)++;
			next = now + RETRY_MS;
		}
		if (poll(&pfd, 1, (int)((next < deadline ? next : deadline) - now)) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		if (dhcp_parse(buf, n, xid, mac, r) == 0 &&
		    (r->type == want || r->type == DHCP_NAK))
			return 0;
	}
}

static void addr_str(struct in_addr a, char *buf, size_t size)
{
	inet_ntop(AF_INET, &a, buf, size);
}

int dhcp_obtain(const char *ifname, unsigned int timeout_ms, struct dhcp_lease *l, char *why,
		size_t whysize)
{
	uint64_t start = now_ms(), deadline = start + timeout_ms;
	struct dhcp_reply offer;
	uint8_t mac[6], msg[DHCP_MAX_PACKET];
	unsigned int requests = 0;
	char a[INET_ADDRSTRLEN];
	uint32_t xid;
	int fd, n, r;

	*l = (struct dhcp_lease){ 0 };
	if (getrandom(&xid, sizeof(xid), GRND_NONBLOCK) != sizeof(xid))
		xid = (uint32_t)start ^ (uint32_t)getpid() << 16;
	fd = open_socket(ifname, mac);
	if (fd < 0) {
		snprintf(why, whysize, "the DHCP socket (UDP port %d on the device) failed: %s",
			 DHCP_CLIENT_PORT, strerror(-fd));
		return fd;
	}
	n = dhcp_build(msg, sizeof(msg), DHCP_DISCOVER, xid, mac, (struct in_addr){ 0 },
		       (struct in_addr){ 0 });
	r = exchange(fd, msg, n, xid, mac, DHCP_OFFER, deadline, &offer, &l->discovers);
	if (r == 0 && offer.type == DHCP_NAK)
		r = -ECONNREFUSED;
	if (r < 0) {
		bool plain = r == -ETIMEDOUT || r == -ECONNREFUSED;

		snprintf(why, whysize,
			 "%s within %u s (%u DISCOVERs broadcast to 255.255.255.255:%d)%s%s",
			 r == -ECONNREFUSED ? "a NAK instead of an offer" : "no DHCP offer",
			 timeout_ms / 1000, l->discovers, DHCP_SERVER_PORT, plain ? "" : ": ",
			 plain ? "" : strerror(-r));
		close(fd);
		return r;
	}
	if (!offer.has_server) {
		/* RFC 2131 requires the server identifier; a REQUEST cannot name the server. */
		addr_str(offer.address, a, sizeof(a));
		snprintf(why, whysize, "the offer of %s carries no server identifier (option 54)",
			 a);
		close(fd);
		return -EPROTO;
	}
	n = dhcp_build(msg, sizeof(msg), DHCP_REQUEST, xid, mac, offer.address, offer.server);
	r = exchange(fd, msg, n, xid, mac, DHCP_ACK, deadline, &l->ack, &requests);
	close(fd);
	addr_str(offer.address, a, sizeof(a));
	if (r == 0 && l->ack.type == DHCP_NAK) {
		snprintf(why, whysize, "the server NAKed the REQUEST for the offered %s%s%s%s", a,
			 l->ack.message[0] ? " (\"" : "", l->ack.message,
			 l->ack.message[0] ? "\")" : "");
		return -ECONNREFUSED;
	}
	if (r < 0) {
		snprintf(why, whysize, "offered %s, but no ACK to %u REQUESTs within %u s%s%s", a,
			 requests, timeout_ms / 1000, r == -ETIMEDOUT ? "" : ": ",
			 r == -ETIMEDOUT ? "" : strerror(-r));
		return r;
	}
	if (!l->ack.has_mask) {
		snprintf(why, whysize, "the ACK for %s carries no subnet mask (option 1)", a);
		return -EPROTO;
	}
	l->prefix = dhcp_mask_prefix(l->ack.mask);
	l->elapsed_ms = now_ms() - start;
	return 0;
}
