// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One usb-net device's JSON summary (results/usbnet-NAME.json): the peer's
 * counts, the injected loss, the guest's view, the round trips, the outages,
 * the tap's counters, the QMP timeline, `info network`, the findings and the
 * names of the timeline and plot files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "errmsg.h"
#include "macro.h"
#include "write_file.h"

#include "usbnet/counters_json.h"
#include "usbnet/hotplug.h"
#include "usbnet/peer.h"
#include "usbnet/peer_report.h"
#include "usbnet/peer_report_neigh.h"
#include "usbnet/peer_report_readers.h"
#include "usbnet/plot.h"

/* Windows kept in the file; outages_total counts them all. */
#define JSON_OUTAGES 2000

#define JADD(o, k, v) json_object_object_add(o, k, v)

static json_object *jspan(uint32_t first, uint32_t count, double start, double end)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "first", json_object_new_int64(first));
	json_object_object_add(o, "count", json_object_new_int64(count));
	json_object_object_add(o, "start_s", json_object_new_double(start));
	json_object_object_add(o, "end_s", json_object_new_double(end));
	return o;
}

static json_object *jwindows(const struct peer_window *w, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n && i < JSON_OUTAGES; i++)
		json_object_array_add(a, jspan(w[i].first, w[i].count, w[i].start, w[i].end));
	return a;
}

static json_object *jpeer(const struct peer_report *r)
{
	json_object *o = json_object_new_object();

	JADD(o, "port", json_object_new_int(r->p->port));
	JADD(o, "received", json_object_new_int64(r->d.received));
	JADD(o, "dropped_up", json_object_new_int64(r->d.dropped_up));
	JADD(o, "dropped_down", json_object_new_int64(r->d.dropped_down));
	JADD(o, "echoed", json_object_new_int64(r->d.echoed));
	JADD(o, "duplicates", json_object_new_int64(r->d.duplicates));
	JADD(o, "stray", json_object_new_int64(r->d.stray));
	JADD(o, "guest_done", json_object_new_boolean(r->d.done));
	JADD(o, "guest_sent", json_object_new_int64(r->d.done_sent));
	return o;
}

/* The peer's schedule as it ran, on the probe's clock. */
static size_t schedule_spans(const struct peer_report *r, struct plot_span *out, size_t max)
{
	const struct peer_spec *sp = &r->p->spec;
	double origin, period = (sp->outage_up_ms + sp->outage_down_ms) / 1e3;
	double end = r->n * r->interval_s;
	size_t k = 0;

	if (!sp->outage_up_ms || !r->d.first_rx_ns || !r->anchor)
		return 0;
	origin = r->d.first_rx_ns / 1e9 - r->anchor;
	for (double t = origin + sp->outage_up_ms / 1e3; t < end && k < max; t += period)
		out[k++] = (struct plot_span){ t, t + sp->outage_down_ms / 1e3 };
	return k;
}

static json_object *jinjection(const struct peer_report *r)
{
	const struct peer_spec *sp = &r->p->spec;
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	struct plot_span sched[256];
	size_t nsched = schedule_spans(r, sched, ARRAY_SIZE(sched));

	JADD(o, "loss", json_object_new_double(sp->inject_loss_ppm / 1e6));
	JADD(o, "direction",
	     json_object_new_string(sp->direction == PEER_INJECT_UP ? "up" : "down"));
	JADD(o, "outage_up_s", json_object_new_double(sp->outage_up_ms / 1e3));
	JADD(o, "outage_down_s", json_object_new_double(sp->outage_down_ms / 1e3));
	JADD(o, "dropped", json_object_new_int64(r->d.dropped_up + r->d.dropped_down));
	JADD(o, "windows", jwindows(r->injected, r->ninjected));
	for (size_t i = 0; i < nsched; i++)
		json_object_array_add(a, jspan(0, 0, sched[i].start, sched[i].end));
	JADD(o, "schedule", a);
	return o;
}

static json_object *jguest(const struct guest_view *g)
{
	json_object *o = json_object_new_object();

	JADD(o, "reported", json_object_new_boolean(g->summary));
	JADD(o, "sent", json_object_new_int64(g->sent));
	JADD(o, "answered", json_object_new_int64(g->answered));
	JADD(o, "lost", json_object_new_int64(g->lost));
	JADD(o, "windows_complete", json_object_new_boolean(g->windows_complete));
	JADD(o, "mac_seen", json_object_new_string(g->mac_seen));
	return o;
}

static json_object *jround_trips(const struct peer_report *r)
{
	json_object *o = json_object_new_object();
	uint32_t counts[4] = { 0 };

	for (uint32_t i = 0; i < r->n; i++)
		counts[r->rt[i]]++;
	for (int i = RT_ANSWERED; i <= RT_UNKNOWN; i++)
		JADD(o, peer_rt_name(i), json_object_new_int64(counts[i]));
	return o;
}

static json_object *jtap(const struct peer_dump *d)
{
	json_object *o = json_object_new_object();

	JADD(o, "name", json_object_new_string(d->tap_name));
	JADD(o, "before", link_counters_json(&d->tap_before));
	JADD(o, "after", link_counters_json(&d->tap_after));
	return o;
}

/* The QMP timeline's marks about this device (or all devices), on the probe's clock. */
static json_object *jqmp(const struct peer_report *r)
{
	json_object *a = json_object_new_array();
	const struct hotplug_mark *m;
	size_t nm = hotplug_marks(r->ps->hp, &m);

	for (size_t i = 0; i < nm; i++) {
		json_object *o;

		if (m[i].device[0] && strcmp(m[i].device, r->p->spec.name))
			continue;
		o = json_object_new_object();
		JADD(o, "t_s", r->anchor ? json_object_new_double(m[i].t - r->anchor) : NULL);
		JADD(o, "what", json_object_new_string(m[i].what));
		JADD(o, "event", json_object_new_boolean(m[i].event));
		JADD(o, "failed", json_object_new_boolean(m[i].failed));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *jinfo_network(const struct hotplug *hp)
{
	static const char *const stages[] = { "start", "after-plug", "end" };
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < ARRAY_SIZE(stages); i++)
		if (hotplug_info_network(hp, stages[i]))
			JADD(o, stages[i],
			     json_object_new_string(hotplug_info_network(hp, stages[i])));
	return o;
}

static json_object *jfindings(const struct peer_report *r)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < r->nfindings; i++)
		json_object_array_add(a, json_object_new_string(r->findings[i]));
	return a;
}

static json_object *jfiles(const char *timeline, const char *plot)
{
	json_object *o = json_object_new_object();

	JADD(o, "timeline", json_object_new_string(timeline));
	JADD(o, "plot", json_object_new_string(plot));
	return o;
}

static const char *plug_name(enum peer_plug plug)
{
	return plug == PEER_PLUG_HOT ? "hot" : plug == PEER_PLUG_REMAP ? "remap" : "cold";
}

int peer_report_write_json(const struct peer_report *r, const char *path, const char *timeline,
			   const char *plot, char *err, size_t errsize)
{
	const struct peer_spec *sp = &r->p->spec;
	json_object *root = json_object_new_object();
	const char *text;
	int rc;

	JADD(root, "device", json_object_new_string(sp->name));
	JADD(root, "netdev",
	     json_object_new_string(sp->netdev == PEER_NETDEV_TAP ? "tap" : "user"));
	JADD(root, "plug", json_object_new_string(plug_name(sp->plug)));
	JADD(root, "queues", json_object_new_int(sp->queues));
	JADD(root, "rate", json_object_new_int64(r->d.rate ? r->d.rate : sp->rate));
	JADD(root, "planned", json_object_new_int64(r->n));
	JADD(root, "peer", jpeer(r));
	JADD(root, "injection", jinjection(r));
	JADD(root, "guest", jguest(&r->g));
	JADD(root, "round_trip", jround_trips(r));
	JADD(root, "outages", jwindows(r->lost, r->nlost));
	JADD(root, "outages_total", json_object_new_int64(r->nlost));
	if (r->d.have_tap) {
		JADD(root, "tap", jtap(&r->d));
		JADD(root, "neighbours", peer_report_neigh_json(r));
	}
	JADD(root, "qmp", jqmp(r));
	JADD(root, "info_network", jinfo_network(r->ps->hp));
	JADD(root, "findings", jfindings(r));
	JADD(root, "readers", peer_report_readers_json(r));
	JADD(root, "files", jfiles(timeline, plot));
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = text ? write_file(path, text, strlen(text)) : -ENOMEM;
	json_object_put(root);
	if (rc < 0)
		return errmsg(err, errsize, rc, "%s: cannot write the usb-net report: %s", path,
			      strerror(-rc));
	return 0;
}
