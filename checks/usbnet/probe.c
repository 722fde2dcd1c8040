// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loss probe: numbered, timestamped UDP probes at a set rate to the
 * runner's peer, which echoes them (probe_proto.h). One poll loop sends on
 * schedule and takes the echoes; after a grace period it asks the peer which
 * probes it received, so each loss is placed upstream or downstream.
 */
#include "probe.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "probe_proto.h"

#define GRACE_MS                                                                                   \
	1000 /* an echo later than this after the last probe is lost; cut short once all are       \
		answered */
#define QUERY_WAIT_MS 300
#define QUERY_TRIES   4
#define MAX_BURST     16 /* sends per loop turn, so echoes are still read */
/*
 * A guest that fell behind (its host starved it) catches up at most at this
 * many times the rate, not in one burst: a second's stall at 1000 probes/s
 * sent 1000 probes back to back, and the burst itself lost echoes at the
 * host's tap (0.6-5.5% on a clean path, 1 Dec): a load no scenario offered.
 */
#define CATCH_UP_SPEED 2
/*
 * A probe the socket refuses (its send buffer full: the interface takes
 * frames slower than they come) waits for room this long, then counts as
 * not sent (lost). Counting each refused probe lost at once (before 1 Dec:
 * 517 of 10000 in 7 ms after a catch-up burst, a 5% loss no network caused)
 * blamed the path for the guest's own queue.
 */
#define SEND_WAIT_MAX_MS 1000
#define SEND_RETRY_MS	 2 /* between tries while refused, unless the socket says it has room */
#define LIVE_EVERY_S	 1
#define LIVE_SLOW_AFTER	 120 /* then one live line every 10 s: the diagnostics are capped */

struct probe_loop {
	struct check_ctx *ctx;
	const char *devname;
	int fd;
	uint32_t run_id, n, interval_ns, rate;
	uint64_t t0;
	struct probe_result *res;
	struct probe_ack acks[PROBE_MAX_ACKS]; /* ring of the latest receipts */
	uint32_t nacks, ack_pos;
	int64_t highest; /* highest probe answered so far, -1 before any */
	/* for the live line */
	uint32_t sec_sent, sec_answered, sent, answered;
	uint64_t sec_rtt_sum;
	uint32_t next_live_s;
	unsigned int share;	/* devices sharing the diagnostics budget */
	uint64_t refused_since; /* the next probe's first refusal (EAGAIN), or 0 */
	uint64_t catch_up_at;	/* the earliest a late probe may go */
};

static void put_hdr(struct probe_hdr *h, uint8_t type, uint32_t run_id, uint32_t seq, uint64_t t_ns,
		    uint16_t nitems)
{
	*h = (struct probe_hdr){ .magic = htonl(PROBE_MAGIC),
				 .version = PROBE_VERSION,
				 .type = type,
				 .nitems = htons(nitems),
				 .run_id = htonl(run_id),
				 .seq = htonl(seq),
				 .t_ns = htobe64(t_ns) };
}

/* Probe seq's datagram: 0 or -errno. Nothing is counted here (probe_done()). */
static int send_probe(struct probe_loop *l, uint32_t seq, uint64_t now)
{
	uint8_t buf[sizeof(struct probe_hdr) + sizeof(struct probe_body) +
		    PROBE_MAX_ACKS * sizeof(struct probe_ack)];
	struct probe_body body = { .rate = htonl(l->rate), .count = htonl(l->n) };
	uint64_t t = now - l->t0;
	size_t len = sizeof(struct probe_hdr);

	put_hdr((struct probe_hdr *)buf, PROBE_MSG_PROBE, l->run_id, seq, t, l->nacks);
	memcpy(buf + len, &body, sizeof(body));
	len += sizeof(body);
	for (uint32_t i = 0; i < l->nacks; i++) {
		struct probe_ack a = { .seq = htonl(l->acks[i].seq),
				       .rtt_us = htonl(l->acks[i].rtt_us) };

		memcpy(buf + len, &a, sizeof(a));
		len += sizeof(a);
	}
	return send(l->fd, buf, len, MSG_DONTWAIT) < 0 ? -errno : 0;
}

/* Probe seq leaves the schedule at now: sent, or (err) never taken and lost. */
static void probe_done(struct probe_loop *l, uint32_t seq, uint64_t due, uint64_t now, int err)
{
	struct probe_counters *cnt = &l->res->cnt;
	struct probe_slot *s = &l->res->slots[seq];

	s->sent_us = (now - l->t0) / 1000;
	s->state = PROBE_SENT;
	l->sec_sent++;
	l->sent++;
	if (now - due > l->interval_ns) {
		cnt->late++;
		if ((now - due) / 1000 > cnt->max_late_us)
			cnt->max_late_us = (now - due) / 1000;
	}
	if (l->refused_since) {
		cnt->send_waits++;
		if ((now - l->refused_since) / 1000 > cnt->max_send_wait_us)
			cnt->max_send_wait_us = (now - l->refused_since) / 1000;
		l->refused_since = 0;
	}
	if (err) {
		cnt->send_errors++;
		if (!cnt->send_errno)
			cnt->send_errno = -err;
	}
}

/*
 * When probe seq may go: at its slot; once a whole interval late, also no
 * sooner than catch_up_at, which each late probe moves on by an interval
 * over CATCH_UP_SPEED. A loop slower than that pace keeps credit for one
 * burst (MAX_BURST probes), so a slow guest still catches up at that speed.
 */
static uint64_t send_time(const struct probe_loop *l, uint32_t seq, uint64_t now)
{
	uint64_t due = l->t0 + (uint64_t)seq * l->interval_ns;

	if (now > due + l->interval_ns && l->catch_up_at > due)
		return l->catch_up_at;
	return due;
}

static void caught_up_one(struct probe_loop *l, uint64_t due, uint64_t now)
{
	uint64_t from = now - (uint64_t)MAX_BURST * l->interval_ns / CATCH_UP_SPEED;

	if (now <= due + l->interval_ns)
		return; /* on time */
	if (l->catch_up_at > from)
		from = l->catch_up_at;
	l->catch_up_at = from + l->interval_ns / CATCH_UP_SPEED;
}

/*
 * Send probe seq, due at due: true when it left the schedule (sent, or
 * given up), false while the socket has no room and it may wait more.
 */
static bool send_or_wait(struct probe_loop *l, uint32_t seq, uint64_t due, uint64_t now)
{
	int r = send_probe(l, seq, now);

	if (r == -EAGAIN || r == -ENOBUFS) {
		if (!l->refused_since)
			l->refused_since = now;
		if (now - l->refused_since < SEND_WAIT_MAX_MS * 1000000ull)
			return false;
	}
	probe_done(l, seq, due, now, r);
	caught_up_one(l, due, now);
	return true;
}

static bool valid_hdr(const struct probe_loop *l, const uint8_t *buf, ssize_t len, uint8_t type,
		      struct probe_hdr *h)
{
	if (len < (ssize_t)sizeof(*h))
		return false;
	memcpy(h, buf, sizeof(*h));
	return ntohl(h->magic) == PROBE_MAGIC && h->version == PROBE_VERSION && h->type == type &&
	       ntohl(h->run_id) == l->run_id;
}

static void on_echo(struct probe_loop *l, const uint8_t *buf, ssize_t len, uint64_t now)
{
	struct probe_hdr h;
	struct probe_echo e;
	struct probe_slot *s;
	uint32_t seq;

	if (!valid_hdr(l, buf, len, PROBE_MSG_ECHO, &h) || len < (ssize_t)(sizeof(h) + sizeof(e)) ||
	    (seq = ntohl(h.seq)) >= l->n || l->res->slots[seq].state == PROBE_UNSENT) {
		l->res->cnt.stray++;
		return;
	}
	memcpy(&e, buf + sizeof(h), sizeof(e));
	l->res->peer_received = ntohl(e.peer_received);
	l->res->peer_dropped = ntohl(e.peer_dropped);
	s = &l->res->slots[seq];
	if (s->state == PROBE_ECHOED) {
		l->res->cnt.duplicates++;
		if (s->dups < UINT8_MAX)
			s->dups++;
		return;
	}
	s->state = PROBE_ECHOED;
	l->res->answered_any = true;
	/* The send time is ours, not the datagram's: the echo cannot lie about it. */
	s->rtt_us = (now - l->t0) / 1000 - s->sent_us;
	if ((int64_t)seq < l->highest)
		l->res->cnt.reordered++;
	else
		l->highest = seq;
	l->acks[l->ack_pos] = (struct probe_ack){ .seq = seq, .rtt_us = s->rtt_us };
	l->ack_pos = (l->ack_pos + 1) % PROBE_MAX_ACKS;
	if (l->nacks < PROBE_MAX_ACKS)
		l->nacks++;
	l->sec_answered++;
	l->answered++;
	l->sec_rtt_sum += s->rtt_us;
}

static void drain(struct probe_loop *l)
{
	uint8_t buf[PROBE_MAX_DATAGRAM];
	ssize_t len;

	while ((len = recv(l->fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0)
		on_echo(l, buf, len, now_ns());
}

static void live_line(struct probe_loop *l, uint32_t sec)
{
	/* The grace period after the last probe has nothing to say. */
	if (l->sent == l->n && !l->sec_sent)
		return;
	if (sec <= LIVE_SLOW_AFTER / l->share || sec % 10 == 0)
		check_note(l->ctx,
			   "live %s %us: %u sent, %u answered in the last second, rtt %.2f ms; %u "
			   "of %u answered in all; peer got %u",
			   l->devname, sec, l->sec_sent, l->sec_answered,
			   l->sec_answered ? l->sec_rtt_sum / 1000.0 / l->sec_answered : 0.0,
			   l->answered, l->sent, l->res->peer_received);
	l->sec_sent = l->sec_answered = 0;
	l->sec_rtt_sum = 0;
}

static void wait_until(struct probe_loop *l, uint64_t deadline)
{
	uint64_t now = now_ns();
	/* Refused: also woken by room in the socket, and no later than the next try. */
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN | (l->refused_since ? POLLOUT : 0) };
	struct timespec ts;

	if (l->refused_since)
		deadline = now + SEND_RETRY_MS * 1000000ull;
	if (deadline > now) {
		ts.tv_sec = (deadline - now) / 1000000000ull;
		ts.tv_nsec = (deadline - now) % 1000000000ull;
		if (ppoll(&pfd, 1, &ts, NULL) <= 0)
			return;
	}
	drain(l);
}

/* Ask the peer which of [first, first + count) it received. */
static bool query_range(struct probe_loop *l, uint32_t first, uint32_t count)
{
	for (int attempt = 0; attempt < QUERY_TRIES; attempt++) {
		struct probe_hdr q;
		uint64_t deadline = now_ns() + QUERY_WAIT_MS * 1000000ull;

		put_hdr(&q, PROBE_MSG_QUERY, l->run_id, first, 0, count);
		send(l->fd, &q, sizeof(q), MSG_DONTWAIT);
		for (;;) {
			uint8_t buf[PROBE_MAX_DATAGRAM];
			struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
			uint64_t now = now_ns();
			struct probe_hdr h;
			ssize_t len;

			if (now >= deadline)
				break;
			if (poll(&pfd, 1, (deadline - now) / 1000000 + 1) <= 0)
				continue;
			len = recv(l->fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (len < 0)
				continue;
			if (!valid_hdr(l, buf, len, PROBE_MSG_REPORT, &h)) {
				on_echo(l, buf, len, now_ns()); /* a straggler or a stray */
				continue;
			}
			if (ntohl(h.seq) != first || ntohs(h.nitems) != count ||
			    len < (ssize_t)(sizeof(h) + (count + 7) / 8))
				continue;
			for (uint32_t i = 0; i < count; i++) {
				bool got = buf[sizeof(h) + i / 8] & (1u << (i % 8));

				l->res->slots[first + i].peer = got ? PEER_RECEIVED : PEER_MISSED;
			}
			return true;
		}
	}
	return false;
}

static int open_socket(const char *ifname, const struct usbnet_config *c)
{
	struct sockaddr_in peer = { .sin_family = AF_INET,
				    .sin_addr = usbnet_peer_addr(c),
				    .sin_port = htons(c->peer_port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rcvbuf = 1 << 20;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname)) < 0 ||
	    connect(fd, (struct sockaddr *)&peer, sizeof(peer)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

int probe_run(struct check_ctx *ctx, const char *devname, const char *ifname,
	      const struct usbnet_config *c, struct probe_result *res)
{
	struct probe_loop l = { .ctx = ctx,
				.devname = devname,
				.res = res,
				.highest = -1,
				.rate = c->rate,
				.share = c->share ? c->share : 1 };
	uint64_t grace_end = 0;
	uint32_t next = 0;

	*res = (struct probe_result){ 0 };
	l.n = (uint64_t)c->rate * c->duration_ms / 1000;
	if (!l.n)
		l.n = 1;
	l.interval_ns = 1000000000u / c->rate;
	res->n = l.n;
	res->interval_us = l.interval_ns / 1000;
	res->slots = calloc(l.n, sizeof(*res->slots));
	if (!res->slots)
		return -ENOMEM;
	if (getrandom(&l.run_id, sizeof(l.run_id), GRND_NONBLOCK) != sizeof(l.run_id))
		l.run_id = (uint32_t)now_ns() ^ (uint32_t)getpid();
	res->run_id = l.run_id;
	l.fd = open_socket(ifname, c);
	if (l.fd < 0)
		return l.fd;
	l.t0 = res->t0_ns = c->t0_ns ? c->t0_ns : now_ns();
	l.next_live_s = LIVE_EVERY_S;
	for (;;) {
		uint64_t now = now_ns(), due;
		int burst = 0;

		while (next < l.n && now >= send_time(&l, next, now) && burst++ < MAX_BURST &&
		       send_or_wait(&l, next, l.t0 + (uint64_t)next * l.interval_ns, now))
			next++;
		if (next == l.n && !grace_end)
			grace_end = now + GRACE_MS * 1000000ull;
		if ((now - l.t0) / 1000000000ull >= l.next_live_s) {
			live_line(&l, l.next_live_s);
			l.next_live_s += LIVE_EVERY_S;
		}
		/* Every probe answered: nothing is left for the grace to wait for
		 * (a duplicate arriving in it goes uncounted). */
		if (grace_end && (now >= grace_end || l.answered == l.n))
			break;
		due = next < l.n ? send_time(&l, next, now) : grace_end;
		if (due > l.t0 + (uint64_t)l.next_live_s * 1000000000ull)
			due = l.t0 + (uint64_t)l.next_live_s * 1000000000ull;
		wait_until(&l, due);
	}
	res->peer_report = true;
	for (uint32_t first = 0; first < l.n; first += PROBE_REPORT_MAX_BITS) {
		uint32_t count =
			l.n - first < PROBE_REPORT_MAX_BITS ? l.n - first : PROBE_REPORT_MAX_BITS;

		if (!query_range(&l, first, count)) {
			res->peer_report = false;
			break; /* one failed: the path is down, the rest would fail too */
		}
	}
	/* The last echoes' acks ride on DONE: no probe follows them. */
	for (int i = 0; i < 3; i++) {
		uint8_t buf[sizeof(struct probe_hdr) + PROBE_MAX_ACKS * sizeof(struct probe_ack)];
		size_t len = sizeof(struct probe_hdr);

		put_hdr((struct probe_hdr *)buf, PROBE_MSG_DONE, l.run_id, next, now_ns() - l.t0,
			l.nacks);
		for (uint32_t k = 0; k < l.nacks; k++) {
			struct probe_ack a = { .seq = htonl(l.acks[k].seq),
					       .rtt_us = htonl(l.acks[k].rtt_us) };

			memcpy(buf + len, &a, sizeof(a));
			len += sizeof(a);
		}
		send(l.fd, buf, len, MSG_DONTWAIT);
	}
	close(l.fd);
	return 0;
}
