/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loss probe's UDP protocol between the guest (checks/usbnet/probe.c)
 * and the runner's peer (host-runner/usbnet/peer*.c). Shared by both sides, so it
 * holds only the wire format and pure helpers; both sides treat every
 * datagram from the other as untrusted and check its length and magic.
 *
 * All fields are big-endian. Every message starts with struct probe_hdr:
 *
 *   PROBE  guest -> peer  seq = probe number, t_ns = guest send time since
 *                         the probe started; followed by struct probe_body
 *                         and `nitems` struct probe_ack (the guest's most
 *                         recent echo receipts, repeated in several probes so
 *                         a lost probe loses none of them: the runner's
 *                         per-probe timeline gets every round trip's RTT)
 *   ECHO   peer -> guest  the probe's header with type ECHO, followed by
 *                         struct probe_echo; not sent when the peer injects
 *                         a downstream loss for that probe
 *   QUERY  guest -> peer  seq = first probe, nitems = how many (at most
 *                         PROBE_REPORT_MAX_BITS): which did you receive?
 *   REPORT peer -> guest  seq, nitems as asked, then (nitems + 7) / 8 bytes,
 *                         bit (seq - first) % 8 of byte (seq - first) / 8 set
 *                         when the peer received that probe (a probe the peer
 *                         dropped on purpose, as upstream loss, reads as not
 *                         received)
 *   DONE   guest -> peer  seq = probes sent: the probe is over; followed by
 *                         `nitems` struct probe_ack, the last echoes' receipts
 *
 * run_id is random per probe run: the peer serves one run at a time and
 * ignores datagrams of another, and the guest ignores stale echoes.
 */
#ifndef GUESTCHECK_USBNET_PROBE_PROTO_H
#define GUESTCHECK_USBNET_PROBE_PROTO_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_MAGIC   0x47435042u /* "GCPB" */
#define PROBE_VERSION 1

enum probe_msg {
	PROBE_MSG_PROBE = 1,
	PROBE_MSG_ECHO = 2,
	PROBE_MSG_QUERY = 3,
	PROBE_MSG_REPORT = 4,
	PROBE_MSG_DONE = 5,
};

struct probe_hdr {
	uint32_t magic;
	uint8_t version;
	uint8_t type;
	uint16_t nitems;
	uint32_t run_id;
	uint32_t seq;
	uint64_t t_ns;
} __attribute__((packed));

struct probe_body {
	uint32_t rate;	/* probes per second */
	uint32_t count; /* probes the guest plans to send */
} __attribute__((packed));

struct probe_ack {
	uint32_t seq;
	uint32_t rtt_us;
} __attribute__((packed));

struct probe_echo {
	uint32_t peer_received; /* distinct probes the peer received so far */
	uint32_t peer_dropped;	/* of which it dropped on purpose (injected loss) */
} __attribute__((packed));

/* Acks a probe carries: the last 8 receipts, so 8 lost probes in a row lose none. */
#define PROBE_MAX_ACKS	      8
#define PROBE_REPORT_MAX_BITS 8192
/* Largest datagram either side sends or accepts. */
#define PROBE_MAX_DATAGRAM 1400

/* Limits both sides enforce: 1000/s for 10 minutes. */
#define PROBE_MAX_RATE		  10000
#define PROBE_MAX_PROBES	  1000000u
#define PROBE_DEFAULT_RATE	  100
#define PROBE_DEFAULT_DURATION_MS 3000
#define PROBE_DEFAULT_PORT	  47000 /* in the tap's private namespace; user mode picks one */

/*
 * "12.5%", "12.5", "0.5%" -> parts per million of 100 %. Strict: one
 * optional '%', nothing else after the number, 0..100. 0 or -EINVAL.
 */
static inline int probe_parse_percent(const char *s, uint32_t *ppm)
{
	char *end;
	double v;

	/* Digits and one '.' only: strtod() would take "1e1", "0x10", "inf". */
	if (!s || !*s || strspn(s, "0123456789.") != strcspn(s, "%") ||
	    strchr(s, '.') != strrchr(s, '.'))
		return -EINVAL;
	v = strtod(s, &end);
	if (*end == '%')
		end++;
	if (*end || v < 0 || v > 100)
		return -EINVAL;
	*ppm = (uint32_t)(v * 10000 + 0.5);
	return 0;
}

#endif
