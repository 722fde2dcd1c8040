/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal DHCPv4 client (RFC 2131/2132) for usb-net devices the scenario
 * marks `address = dhcp`: DISCOVER, OFFER, REQUEST, ACK on the interface,
 * nothing kept afterwards (no renewal: a check outlives no lease). Packet
 * building and parsing are pure; every reply is untrusted network input.
 */
#ifndef GUESTCHECK_USBNET_DHCP_H
#define GUESTCHECK_USBNET_DHCP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
/* op .. file (236 bytes), then the magic cookie: the least a message has. */
#define DHCP_FIXED_LEN 240
/* What we send and the most we read: the 576 bytes every host must take, and more. */
#define DHCP_MAX_PACKET 1500

enum dhcp_msg_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
};

/* What a server's reply said; the has_* flags say which options were there. */
struct dhcp_reply {
	uint8_t type;		/* enum dhcp_msg_type */
	struct in_addr address; /* yiaddr */
	struct in_addr mask, router, server;
	uint32_t lease_s;
	bool has_mask, has_router, has_server, has_lease;
	char message[64]; /* option 56 (a NAK's reason), printable characters only */
};

/*
 * A client message into buf: DHCP_DISCOVER (requested/server ignored) or
 * DHCP_REQUEST for the offered address from that server. The broadcast flag
 * is set: the interface has no address to take a unicast reply. Returns
 * the length, or -EINVAL (unknown type, buf too small).
 */
int dhcp_build(uint8_t *buf, size_t size, enum dhcp_msg_type type, uint32_t xid,
	       const uint8_t mac[6], struct in_addr requested, struct in_addr server);

/*
 * A server's reply to our transaction xid for mac. 0 with *r filled;
 * -ENOMSG when it is well-formed but not ours (a request, another xid or
 * MAC); -EINVAL when it is malformed (short, bad cookie, an option running
 * past the end, a wrong option length, no message type, an OFFER or ACK
 * without an address, a non-contiguous mask).
 */
int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t mac[6],
	       struct dhcp_reply *r);

/* 255.255.255.0 -> 24; -EINVAL when the mask's ones are not contiguous. */
int dhcp_mask_prefix(struct in_addr mask);

/* How a live exchange went, for the diagnostics. */
struct dhcp_lease {
	struct dhcp_reply ack;
	unsigned int prefix;
	unsigned int discovers; /* DISCOVERs sent before the OFFER */
	unsigned int elapsed_ms;
};

/*
 * DISCOVER/OFFER/REQUEST/ACK on ifname (up, no address needed) within
 * timeout_ms, over a UDP socket bound to the device, broadcasting to
 * 255.255.255.255:67. 0 with *l filled, or -errno with why set:
 * -ETIMEDOUT (no offer, or no answer to the request), -ECONNREFUSED (NAK).
 */
int dhcp_obtain(const char *ifname, unsigned int timeout_ms, struct dhcp_lease *l, char *why,
		size_t whysize);

#endif
