// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every probe on one clock: its round trip judged from the peer's record and
 * the guest's loss windows, the probe's zero on the host's clock, and the
 * windows of consecutive lost or injected probes.
 */
#include <errno.h>
#include <stdlib.h>

#include "usbnet/peer.h"
#include "usbnet/peer_report.h"

static const char *const rt_names[] = { "unsent", "answered", "lost", "unknown" };

const char *peer_rt_name(enum peer_rt rt)
{
	return rt_names[rt];
}

/* Each probe's round trip, from the peer's record and the guest's windows. */
void peer_report_round_trips(struct peer_report *r)
{
	bool guest = r->g.summary && r->g.lost_map;

	for (uint32_t i = 0; i < r->n; i++) {
		const struct peer_probe *p = &r->probes[i];
		bool listed = guest && (r->g.windows_complete || i < r->g.windows_end);

		if (p->flags & PEER_PROBE_ACKED)
			r->rt[i] = RT_ANSWERED;
		else if (listed && r->g.lost_map[i])
			r->rt[i] = RT_LOST;
		else if (!(p->flags & PEER_PROBE_ECHOED) && (p->flags & PEER_PROBE_RX))
			r->rt[i] = RT_LOST; /* dropped on purpose */
		else if (listed && i < r->g.sent)
			r->rt[i] = RT_ANSWERED; /* its ack was lost, the echo was not */
		else if (!(p->flags & PEER_PROBE_RX) && guest && i < r->g.sent)
			r->rt[i] = RT_LOST;
		/*
		 * No KTAP (guestcheck peer, or a guest whose report was lost), but the
		 * guest's DONE said how many it sent: one of those that never arrived
		 * was lost on the way up, and one past them was never sent.
		 */
		else if (!(p->flags & PEER_PROBE_RX) && !guest && r->d.done)
			r->rt[i] = i < r->d.done_sent ? RT_LOST : RT_UNSENT;
		else if (!(p->flags & PEER_PROBE_RX) && !guest)
			r->rt[i] = RT_UNKNOWN;
		else if (guest && i >= r->g.sent)
			r->rt[i] = RT_UNSENT;
		else
			r->rt[i] = RT_UNKNOWN;
	}
}

double peer_report_send_time(const struct peer_report *r, uint32_t i)
{
	const struct peer_probe *p = &r->probes[i];

	return p->flags & PEER_PROBE_RX ? p->t_send_ns / 1e9 : i * r->interval_s;
}

void peer_report_find_anchor(struct peer_report *r)
{
	double best = 0;

	for (uint32_t i = 0; i < r->n; i++) {
		const struct peer_probe *p = &r->probes[i];
		double a = p->rx_ns / 1e9 - p->t_send_ns / 1e9;

		if ((p->flags & PEER_PROBE_RX) && (!best || a < best))
			best = a;
	}
	r->anchor = best ? best : r->p->probe_start;
}

static size_t windows_of(const struct peer_report *r,
			 bool (*in)(const struct peer_report *, uint32_t), struct peer_window *out,
			 size_t max)
{
	size_t k = 0;

	for (uint32_t i = 0; i < r->n;) {
		uint32_t j = i;

		if (!in(r, i)) {
			i++;
			continue;
		}
		while (j < r->n && in(r, j))
			j++;
		if (k < max)
			out[k] = (struct peer_window){
				.first = i,
				.count = j - i,
				.start = peer_report_send_time(r, i),
				.end = j < r->n ? peer_report_send_time(r, j)
						: peer_report_send_time(r, j - 1) + r->interval_s
			};
		k++;
		i = j;
	}
	return k;
}

static bool is_lost(const struct peer_report *r, uint32_t i)
{
	return r->rt[i] == RT_LOST;
}

static bool is_injected(const struct peer_report *r, uint32_t i)
{
	return r->probes[i].flags & (PEER_PROBE_DROP_UP | PEER_PROBE_DROP_DOWN);
}

int peer_report_find_windows(struct peer_report *r)
{
	r->nlost = windows_of(r, is_lost, NULL, 0);
	r->ninjected = windows_of(r, is_injected, NULL, 0);
	r->lost = calloc(r->nlost + 1, sizeof(*r->lost));
	r->injected = calloc(r->ninjected + 1, sizeof(*r->injected));
	if (!r->lost || !r->injected)
		return -ENOMEM;
	windows_of(r, is_lost, r->lost, r->nlost);
	windows_of(r, is_injected, r->injected, r->ninjected);
	return 0;
}
