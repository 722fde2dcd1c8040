// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A probe peer (peer_serve.h): answers one probe run
 * (checks/usbnet/probe_proto.h), injecting the loss it was told to, and
 * records every probe it saw. The session's forked peer, peer_serve(),
 * serves until the runner closes the control socket, then writes its record
 * to the dump file and exits. Every datagram is the guest's, so untrusted:
 * lengths, magic, run and sequence numbers are checked before use.
 */
#include "usbnet/peer_serve.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errmsg.h"

#include "usbnet/peer.h"
#include "usbnet/peer_inject.h"
#include "usbnet/probe_proto.h"
#include "usbnet/tuntap.h"

/* One line to the runner: "ready PORT" or "error WHY", with the tap's descriptors. */
static void tell(int ctl, const char *msg, const int *fds, unsigned int nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * PEER_MAX_QUEUES)] = { 0 };
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = strlen(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds) {
		struct cmsghdr *c;

		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	sendmsg(ctl, &mh, MSG_NOSIGNAL);
}

static void put_hdr(struct probe_hdr *h, uint8_t type, uint32_t run_id, uint32_t seq,
		    uint16_t nitems)
{
	*h = (struct probe_hdr){ .magic = htonl(PROBE_MAGIC),
				 .version = PROBE_VERSION,
				 .type = type,
				 .nitems = htons(nitems),
				 .run_id = htonl(run_id),
				 .seq = htonl(seq) };
}

static void echo(struct peer_server *sv, const struct probe_hdr *in, const struct sockaddr *to,
		 socklen_t tolen)
{
	uint8_t buf[sizeof(struct probe_hdr) + sizeof(struct probe_echo)];
	struct probe_hdr h = *in;
	struct probe_echo e = { .peer_received = htonl(sv->d.received),
				.peer_dropped = htonl(sv->d.dropped_up + sv->d.dropped_down) };

	h.type = PROBE_MSG_ECHO;
	h.nitems = 0;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &e, sizeof(e));
	sendto(sv->udp, buf, sizeof(buf), MSG_DONTWAIT, to, tolen);
}

/* The guest's receipts of earlier echoes: the round trip and its RTT, per probe. */
static void take_acks(struct peer_server *sv, const uint8_t *acks, size_t nacks)
{
	for (size_t i = 0; i < nacks; i++) {
		struct probe_ack a;
		uint32_t s;

		memcpy(&a, acks + i * sizeof(a), sizeof(a));
		s = ntohl(a.seq);
		if (s < sv->d.nprobes && sv->probes[s].flags & PEER_PROBE_ECHOED) {
			sv->probes[s].rtt_us = ntohl(a.rtt_us);
			sv->probes[s].flags |= PEER_PROBE_ACKED;
		}
	}
}

static bool start_run(struct peer_server *sv, const struct probe_hdr *h, const struct probe_body *b)
{
	uint32_t count = ntohl(b->count);

	if (!count || count > PROBE_MAX_PROBES)
		return false;
	sv->probes = calloc(count, sizeof(*sv->probes));
	if (!sv->probes)
		return false;
	sv->have_run = true;
	sv->d.nprobes = count;
	sv->d.run_id = ntohl(h->run_id);
	sv->d.rate = ntohl(b->rate);
	return true;
}

static void on_probe(struct peer_server *sv, const uint8_t *buf, size_t len,
		     const struct probe_hdr *h, const struct sockaddr *from, socklen_t fromlen,
		     uint64_t now)
{
	size_t nacks = ntohs(h->nitems);
	uint32_t seq = ntohl(h->seq);
	struct probe_body b;
	struct peer_probe *p;

	if (len < sizeof(*h) + sizeof(b) || nacks > PROBE_MAX_ACKS ||
	    len < sizeof(*h) + sizeof(b) + nacks * sizeof(struct probe_ack)) {
		sv->d.stray++;
		return;
	}
	memcpy(&b, buf + sizeof(*h), sizeof(b));
	if (!sv->have_run && !start_run(sv, h, &b)) {
		sv->d.stray++;
		return;
	}
	if (ntohl(h->run_id) != sv->d.run_id) {
		sv->d.other_runs++;
		return;
	}
	if (seq >= sv->d.nprobes) {
		sv->d.stray++;
		return;
	}
	take_acks(sv, buf + sizeof(*h) + sizeof(b), nacks);
	p = &sv->probes[seq];
	if (p->flags & PEER_PROBE_RX) {
		/* A copy: answered like the original, so the guest sees the duplicate. */
		sv->d.duplicates++;
		if (p->copies < UINT8_MAX)
			p->copies++;
		if (p->flags & PEER_PROBE_ECHOED)
			echo(sv, h, from, fromlen);
		return;
	}
	p->flags = PEER_PROBE_RX;
	p->copies = 1;
	p->rx_ns = now;
	p->t_send_ns = be64toh(h->t_ns);
	if (!sv->d.first_rx_ns)
		sv->d.first_rx_ns = now;
	if (peer_inject_drop(&sv->inject, now)) {
		if (sv->sp->direction == PEER_INJECT_UP) {
			p->flags |= PEER_PROBE_DROP_UP;
			sv->d.dropped_up++;
			return;
		}
		p->flags |= PEER_PROBE_DROP_DOWN;
		sv->d.dropped_down++;
		sv->d.received++;
		return;
	}
	sv->d.received++;
	p->flags |= PEER_PROBE_ECHOED;
	sv->d.echoed++;
	echo(sv, h, from, fromlen);
}

static void on_query(struct peer_server *sv, const struct probe_hdr *h, const struct sockaddr *from,
		     socklen_t fromlen)
{
	uint8_t buf[sizeof(struct probe_hdr) + PROBE_REPORT_MAX_BITS / 8] = { 0 };
	uint32_t first = ntohl(h->seq), count = ntohs(h->nitems);
	struct probe_hdr r;

	if (!sv->have_run || ntohl(h->run_id) != sv->d.run_id || !count ||
	    count > PROBE_REPORT_MAX_BITS || first >= sv->d.nprobes ||
	    count > sv->d.nprobes - first) {
		sv->d.stray++;
		return;
	}
	sv->d.queries++;
	put_hdr(&r, PROBE_MSG_REPORT, sv->d.run_id, first, count);
	memcpy(buf, &r, sizeof(r));
	for (uint32_t i = 0; i < count; i++) {
		uint8_t f = sv->probes[first + i].flags;

		if ((f & PEER_PROBE_RX) && !(f & PEER_PROBE_DROP_UP))
			buf[sizeof(r) + i / 8] |= 1u << (i % 8);
	}
	sendto(sv->udp, buf, sizeof(r) + (count + 7) / 8, MSG_DONTWAIT, from, fromlen);
}

/* Whether this was the guest's DONE: the probe run is over. */
static bool on_datagram(struct peer_server *sv, const uint8_t *buf, size_t len,
			const struct sockaddr *from, socklen_t fromlen)
{
	struct probe_hdr h;

	if (len < sizeof(h)) {
		sv->d.stray++;
		return false;
	}
	memcpy(&h, buf, sizeof(h));
	if (ntohl(h.magic) != PROBE_MAGIC || h.version != PROBE_VERSION) {
		sv->d.stray++;
		return false;
	}
	switch (h.type) {
	case PROBE_MSG_PROBE:
		on_probe(sv, buf, len, &h, from, fromlen, now_ns());
		break;
	case PROBE_MSG_QUERY:
		on_query(sv, &h, from, fromlen);
		break;
	case PROBE_MSG_DONE:
		if (sv->have_run && ntohl(h.run_id) == sv->d.run_id &&
		    ntohs(h.nitems) <= PROBE_MAX_ACKS &&
		    len >= sizeof(h) + ntohs(h.nitems) * sizeof(struct probe_ack)) {
			sv->d.done = 1;
			sv->d.done_sent = ntohl(h.seq);
			take_acks(sv, buf + sizeof(h), ntohs(h.nitems));
			return true;
		}
		break;
	default:
		sv->d.stray++;
	}
	return false;
}

static int open_udp(const struct peer_spec *sp, uint16_t *port, char *err, size_t errsize)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(sp->port) };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), buf = 4 << 20;
	char addr[INET_ADDRSTRLEN];

	if (fd < 0)
		return errmsg(err, errsize, -errno, "cannot open a UDP socket: %s",
			      strerror(errno));
	/* User networking: the guest's gateway is the host's loopback, unless told otherwise. */
	a.sin_addr.s_addr = sp->netdev == PEER_NETDEV_TAP ? sp->gateway.s_addr
			    : sp->listen_set		  ? sp->listen.s_addr
							  : htonl(INADDR_LOOPBACK);
	inet_ntop(AF_INET, &a.sin_addr, addr, sizeof(addr));
	/*
	 * A peer stalled for a few hundred ms on a busy host must not drop
	 * probes itself: net.core.rmem_max (208 KiB by default, ~270 probes)
	 * caps SO_RCVBUF, so as root the buffer is forced.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		int r = -errno;

		close(fd);
		return errmsg(err, errsize, r, "cannot listen on UDP %s:%u: %s", addr, sp->port,
			      strerror(-r));
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* Namespace, tap, address: the tap's descriptors go to the runner. */
static int setup_tap(const struct peer_spec *sp, struct peer_dump *d, int *fds, char *why,
		     size_t whysize)
{
	int r = netns_enter_private();

	if (r < 0) {
		snprintf(why, whysize, "cannot create a network namespace: %s: run as root",
			 strerror(-r));
		return r;
	}
	snprintf(d->tap_name, sizeof(d->tap_name), "gc-%.12s", sp->name);
	r = tuntap_create(d->tap_name, sp->queues, fds);
	if (r < 0) {
		snprintf(why, whysize, "cannot create tap %s with %u queues: %s", d->tap_name,
			 sp->queues, strerror(-r));
		return r;
	}
	r = netns_addr_up(d->tap_name, sp->gateway, sp->prefix);
	if (r < 0) {
		snprintf(why, whysize, "%s: cannot set the gateway's address and bring it up: %s",
			 d->tap_name, strerror(-r));
		return r;
	}
	d->have_tap = nl_route_link_counters(d->tap_name, &d->tap_before) == 0;
	return 0;
}

/* The tap's neighbour changes from now on; without them the report says why. */
static void watch_neighbours(struct peer_server *sv)
{
	int r;

	sv->tap_ifindex = (int)if_nametoindex(sv->d.tap_name);
	if (!sv->tap_ifindex) {
		snprintf(sv->d.neigh_error, sizeof(sv->d.neigh_error), "%s: no ifindex: %s",
			 sv->d.tap_name, strerror(errno));
		return;
	}
	r = neigh_watch_open();
	if (r < 0) {
		snprintf(sv->d.neigh_error, sizeof(sv->d.neigh_error),
			 "cannot listen to neighbour changes (RTNLGRP_NEIGH): %s", strerror(-r));
		return;
	}
	sv->neigh = r;
	sv->d.have_neigh = 1;
}

static void read_neighbours(struct peer_server *sv)
{
	char buf[65536];
	ssize_t n;

	while ((n = recv(sv->neigh, buf, sizeof(buf), 0)) > 0) {
		struct peer_dump *d = &sv->d;

		d->nneigh +=
			neigh_watch_parse(buf, n, sv->tap_ifindex, now_ns(), d->neigh + d->nneigh,
					  PEER_MAX_NEIGH - d->nneigh, &d->neigh_dropped);
	}
	/* The kernel dropped notifications for us: say so, the record has a hole. */
	if (n < 0 && errno == ENOBUFS)
		sv->d.neigh_dropped++;
}

static void write_dump(const struct peer_server *sv, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t n = sv->have_run ? sv->d.nprobes : 0;
	struct peer_dump d = sv->d;

	if (fd < 0)
		return;
	d.nprobes = n;
	if (write(fd, &d, sizeof(d)) == sizeof(d) && n)
		for (size_t off = 0; off < n * sizeof(*sv->probes);) {
			ssize_t w = write(fd, (const char *)sv->probes + off,
					  n * sizeof(*sv->probes) - off);

			if (w <= 0)
				break;
			off += w;
		}
	close(fd);
}

int peer_server_open(struct peer_server *sv, const struct peer_spec *sp, int *tap_fds, char *err,
		     size_t errsize)
{
	uint64_t seed = sp->seed;
	int r;

	*sv = (struct peer_server){ .sp = sp, .udp = -1, .neigh = -1 };
	sv->d.magic = PEER_DUMP_MAGIC;
	if (!sp->seed_set && getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = now_ns();
	peer_inject_init(&sv->inject, sp->inject_loss_ppm, sp->outage_up_ms, sp->outage_down_ms,
			 seed);
	if (sp->netdev == PEER_NETDEV_TAP &&
	    (r = setup_tap(sp, &sv->d, tap_fds, sv->d.error, sizeof(sv->d.error))) < 0)
		return errmsg(err, errsize, r, "%s", sv->d.error);
	if (sp->netdev == PEER_NETDEV_TAP)
		watch_neighbours(sv);
	sv->udp = open_udp(sp, &sv->d.port, sv->d.error, sizeof(sv->d.error));
	if (sv->udp < 0)
		return errmsg(err, errsize, sv->udp, "%s", sv->d.error);
	return 0;
}

enum peer_server_end peer_server_run(struct peer_server *sv, int stop_fd, bool until_done)
{
	for (;;) {
		struct pollfd pfd[3] = { { .fd = sv->udp, .events = POLLIN },
					 { .fd = stop_fd, .events = POLLIN },
					 { .fd = sv->neigh, .events = POLLIN } };

		if (poll(pfd, 3, -1) < 0 && errno != EINTR)
			return PEER_SERVER_FAILED;
		if (pfd[2].revents)
			read_neighbours(sv);
		if (pfd[1].revents)
			return PEER_SERVER_STOPPED;
		for (int i = 0; i < 256 && (pfd[0].revents & POLLIN); i++) {
			uint8_t buf[PROBE_MAX_DATAGRAM];
			struct sockaddr_in from;
			socklen_t fromlen = sizeof(from);
			ssize_t n = recvfrom(sv->udp, buf, sizeof(buf), 0, (struct sockaddr *)&from,
					     &fromlen);

			if (n < 0)
				break;
			if (on_datagram(sv, buf, n, (struct sockaddr *)&from, fromlen) &&
			    until_done)
				return PEER_SERVER_DONE;
		}
	}
}

void peer_server_close(struct peer_server *sv)
{
	if (sv->d.have_tap && nl_route_link_counters(sv->d.tap_name, &sv->d.tap_after) < 0)
		sv->d.have_tap = 0; /* gone: no numbers rather than zeros */
	if (sv->udp >= 0)
		close(sv->udp);
	sv->udp = -1;
	if (sv->neigh >= 0) {
		read_neighbours(sv);
		close(sv->neigh);
	}
	sv->neigh = -1;
}

void peer_server_free(struct peer_server *sv)
{
	peer_server_close(sv);
	free(sv->probes);
	sv->probes = NULL;
}

void peer_serve(const struct peer_spec *sp, int ctl, const char *dump_path)
{
	struct peer_server sv;
	int fds[PEER_MAX_QUEUES];
	char msg[256], why[200];

	if (peer_server_open(&sv, sp, fds, why, sizeof(why)) < 0) {
		snprintf(msg, sizeof(msg), "error %s", why);
		tell(ctl, msg, NULL, 0);
		_exit(1);
	}
	snprintf(msg, sizeof(msg), "ready %u", sv.d.port);
	tell(ctl, msg, fds, sp->netdev == PEER_NETDEV_TAP ? sp->queues : 0);
	/* QEMU holds the tap now; a queue kept open here would take frames nobody reads. */
	if (sp->netdev == PEER_NETDEV_TAP)
		for (unsigned int q = 0; q < sp->queues; q++)
			close(fds[q]);
	/* The runner closes the control socket (or dies) when the run is over. */
	peer_server_run(&sv, ctl, false);
	peer_server_close(&sv);
	write_dump(&sv, dump_path);
	peer_server_free(&sv);
	_exit(0);
}
