// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's neighbour entry for the guest (neigh_watch.h) laid over the
 * probe: the windows in which the peer's kernel could not resolve the
 * guest's MAC (INCOMPLETE or FAILED: every echo is dropped in the host's
 * stack, before the tap), and how many of the echoes lost downstream fell
 * in them. Times are on the probe's clock (peer_report.c's anchor).
 */
#include "usbnet/peer_report_neigh.h"

#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <string.h>

#define JADD(o, k, v) json_object_object_add(o, k, v)

#include "usbnet/peer_report.h"
#include "usbnet/plot.h"

static bool unresolved(const struct neigh_change *c)
{
	return c->deleted || (c->state & (NUD_INCOMPLETE | NUD_FAILED));
}

size_t neigh_unresolved_windows(const struct neigh_change *c, size_t n, uint32_t addr, double t0,
				double t1, struct neigh_window *out, size_t max)
{
	size_t nw = 0;
	bool open = false;
	double start = 0;

	for (size_t i = 0; i < n; i++) {
		double t = c[i].t_ns / 1e9;

		if (c[i].addr != addr)
			continue;
		if (unresolved(&c[i]) && !open) {
			open = true;
			start = t;
		} else if (!unresolved(&c[i]) && open) {
			open = false;
			if (t > t0 && start < t1 && nw < max)
				out[nw++] = (struct neigh_window){ start < t0 ? t0 : start,
								   t > t1 ? t1 : t };
		}
	}
	if (open && start < t1 && nw < max)
		out[nw++] = (struct neigh_window){ start < t0 ? t0 : start, t1 };
	return nw;
}

/* The address with the most changes: on a tap, the guest (or whoever claims to be it). */
static uint32_t busiest(const struct neigh_change *c, size_t n, size_t *count)
{
	uint32_t best = 0;
	size_t most = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		for (size_t j = 0; j < n; j++)
			k += c[j].addr == c[i].addr;
		if (k > most) {
			most = k;
			best = c[i].addr;
		}
	}
	*count = most;
	return best;
}

size_t peer_report_neigh_spans(const struct peer_report *r, struct plot_span *out, size_t max)
{
	const struct peer_dump *d = &r->d;
	struct neigh_window w[64];
	size_t changes, nw;
	uint32_t addr;

	if (!d->have_tap || !d->have_neigh || !d->nneigh || !r->anchor)
		return 0;
	addr = busiest(d->neigh, d->nneigh, &changes);
	nw = neigh_unresolved_windows(d->neigh, d->nneigh, addr, r->anchor,
				      r->anchor + r->n * r->interval_s, w, max < 64 ? max : 64);
	for (size_t i = 0; i < nw; i++)
		out[i] = (struct plot_span){ w[i].start - r->anchor, w[i].end - r->anchor };
	return nw;
}

void peer_report_neigh_findings(struct peer_report *r)
{
	const struct peer_dump *d = &r->d;
	struct neigh_window w[64];
	char ip[INET_ADDRSTRLEN], first[160] = "";
	double t0, t1, total = 0;
	uint32_t addr, in = 0, down = 0;
	size_t changes, nw;

	if (!d->have_tap)
		return;
	if (!d->have_neigh) {
		peer_finding(r, "note: no record of the host's neighbour entries: %s",
			     d->neigh_error[0] ? d->neigh_error : "the peer kept none");
		return;
	}
	if (!d->nneigh || !r->anchor)
		return;
	addr = busiest(d->neigh, d->nneigh, &changes);
	inet_ntop(AF_INET, &addr, ip, sizeof(ip));
	t0 = r->anchor;
	t1 = r->anchor + r->n * r->interval_s;
	nw = neigh_unresolved_windows(d->neigh, d->nneigh, addr, t0, t1, w, 64);
	for (size_t i = 0; i < nw; i++)
		total += w[i].end - w[i].start;
	/* Echoes lost downstream: the probe reached the peer, no answer reached the guest. */
	for (uint32_t i = 0; i < r->n; i++) {
		double rx;

		if (!(r->probes[i].flags & PEER_PROBE_RX) || r->rt[i] == RT_ANSWERED ||
		    (r->probes[i].flags & PEER_PROBE_DROP_DOWN))
			continue;
		down++;
		rx = r->probes[i].rx_ns / 1e9;
		for (size_t k = 0; k < nw; k++)
			if (rx >= w[k].start && rx < w[k].end) {
				in++;
				break;
			}
	}
	if (!nw) {
		peer_finding(r,
			     "note: the host resolved the guest's MAC throughout the probe (its "
			     "neighbour entry for %s on tap %s: %zu changes, never INCOMPLETE or "
			     "FAILED)%s",
			     ip, d->tap_name, changes,
			     d->neigh_dropped ? "; some changes were not recorded" : "");
		return;
	}
	snprintf(first, sizeof(first), "first at %.1f s for %.1f s", w[0].start - r->anchor,
		 w[0].end - w[0].start);
	peer_finding(
		r,
		"loss: the host could not resolve the guest's MAC: its neighbour entry for %s on "
		"tap %s was INCOMPLETE or FAILED in %zu window%s, %.1f s of the probe's %.1f s "
		"(%s); "
		"%u of the %u echoes lost downstream fell in them, dropped by the host's stack "
		"before the tap: its ARP requests went unanswered (they never reached the guest, "
		"or its answers never came back), and each window ended when the guest's own "
		"ARP traffic reached the host (neighbour changes in the JSON's neighbours)%s",
		ip, d->tap_name, nw, nw == 1 ? "" : "s", total, t1 - t0, first, in, down,
		d->neigh_dropped ? "; some changes were not recorded" : "");
}

json_object *peer_report_neigh_json(const struct peer_report *r)
{
	const struct peer_dump *d = &r->d;
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	JADD(o, "recorded", json_object_new_boolean(d->have_neigh));
	if (d->neigh_error[0])
		JADD(o, "why_not", json_object_new_string(d->neigh_error));
	JADD(o, "not_recorded", json_object_new_int64(d->neigh_dropped));
	for (uint32_t i = 0; i < d->nneigh && i < PEER_MAX_NEIGH; i++) {
		const struct neigh_change *c = &d->neigh[i];
		json_object *e = json_object_new_object();
		char ip[INET_ADDRSTRLEN], state[64], mac[18];

		inet_ntop(AF_INET, &c->addr, ip, sizeof(ip));
		JADD(e, "t_s",
		     r->anchor ? json_object_new_double(c->t_ns / 1e9 - r->anchor) : NULL);
		JADD(e, "address", json_object_new_string(ip));
		JADD(e, "state",
		     json_object_new_string(
			     neigh_state_name(c->state, c->deleted, state, sizeof(state))));
		if (c->has_lladdr) {
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", c->lladdr[0],
				 c->lladdr[1], c->lladdr[2], c->lladdr[3], c->lladdr[4],
				 c->lladdr[5]);
			JADD(e, "lladdr", json_object_new_string(mac));
		}
		json_object_array_add(a, e);
	}
	JADD(o, "changes", a);
	return o;
}
