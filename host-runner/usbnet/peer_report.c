// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * After the run: each usb-net device's per-probe timeline, its plot and the
 * host's findings, from three sources on one clock: the peer's record of
 * every probe (peer-NAME.bin: what arrived, what it dropped on purpose,
 * what it echoed, and the RTT the guest acked), the guest's own report in
 * usbnet.probe's diagnostics (its loss windows, so a probe whose ack never
 * came is still placed), and the QMP timeline (hotplug.c). The probe's
 * zero on the host's clock is the earliest arrival minus its send time;
 * with nothing arriving, the moment the guest said it started probing.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "errmsg.h"
#include "write_file.h"
#include "usbnet/hotplug.h"
#include "usbnet/netinfo.h"
#include "usbnet/peer.h"
#include "usbnet/plot.h"
#include "usbnet/probe_proto.h"

#define MAX_FINDINGS 24
#define FINDING_LEN  NETINFO_FINDING_LEN
#define JSON_OUTAGES 2000

enum rt { RT_UNSENT, RT_ANSWERED, RT_LOST, RT_UNKNOWN };
static const char *const rt_names[] = { "unsent", "answered", "lost", "unknown" };

/* What the guest said about one device in its KTAP diagnostics. */
struct guest_view {
	bool summary; /* the "N sent, M answered, L lost" line was there */
	uint32_t sent, answered, lost;
	bool windows_complete;
	uint8_t *lost_map; /* per probe: inside a loss window the guest listed */
	uint32_t windows_end;
	char mac_seen[18], mac_conf[32];
	bool counters; /* the interface's counters over the probe */
	unsigned long long rx, tx;
};

struct report {
	struct peers *ps;
	struct peer *p;
	struct peer_dump d;
	struct peer_probe *probes;
	uint32_t n;
	double interval_s;
	double anchor; /* CLOCK_MONOTONIC seconds of the probe's zero; 0 unknown */
	struct guest_view g;
	uint8_t *rt; /* enum rt per probe */
	char findings[MAX_FINDINGS][FINDING_LEN];
	size_t nfindings;
};

static void finding(struct report *r, const char *fmt, ...) __printf(2, 3);
static void finding(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nfindings == MAX_FINDINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->findings[r->nfindings++], FINDING_LEN, fmt, ap);
	va_end(ap);
}

static int read_dump(struct report *r)
{
	_cleanup_close_ int fd = open(r->p->dump_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t need;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if ((size_t)st.st_size < sizeof(r->d) ||
	    read(fd, &r->d, sizeof(r->d)) != (ssize_t)sizeof(r->d) || r->d.magic != PEER_DUMP_MAGIC)
		return -EPROTO;
	if (r->d.nprobes > PROBE_MAX_PROBES)
		return -EPROTO;
	need = (size_t)r->d.nprobes * sizeof(*r->probes);
	if ((size_t)st.st_size < sizeof(r->d) + need)
		return -EPROTO;
	r->probes = calloc(r->d.nprobes + 1, sizeof(*r->probes));
	if (!r->probes)
		return -ENOMEM;
	for (size_t off = 0; off < need;) {
		ssize_t n = read(fd, (char *)r->probes + off, need - off);

		if (n <= 0)
			return -EIO;
		off += n;
	}
	return 0;
}

static const struct ktap_test *find_test(const struct ktap_run *run, const char *name)
{
	for (size_t i = 0; run && i < run->ntests; i++)
		if (!strcmp(run->tests[i].name, name))
			return &run->tests[i];
	return NULL;
}

/* "A+B C+D ...": windows as distances from the previous window's end. */
static void parse_windows(struct guest_view *g, const char *s, uint32_t n)
{
	uint32_t end = 0;

	for (;;) {
		unsigned int gap, count;
		int used;

		while (*s == ' ')
			s++;
		if (sscanf(s, "%u+%u%n", &gap, &count, &used) != 2)
			return;
		s += used;
		if (gap > n || count > n || end + gap > n || end + gap + count > n)
			return;
		for (uint32_t i = end + gap; i < end + gap + count; i++)
			g->lost_map[i] = 1;
		end += gap + count;
		if (end > g->windows_end)
			g->windows_end = end;
	}
}

static void read_guest(struct report *r, const struct ktap_run *run)
{
	const struct ktap_test *probe = find_test(run, "usbnet.probe");
	const struct ktap_test *link = find_test(run, "usbnet.link");
	const char *name = r->p->spec.name;
	size_t nlen = strlen(name);
	char pfx[64];

	r->g.lost_map = calloc(r->n + 1, 1);
	snprintf(pfx, sizeof(pfx), "loss-windows %s: ", name);
	r->g.windows_complete = true;
	for (const char *l = probe && probe->diagnostics ? probe->diagnostics : NULL; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		unsigned int sent, answered, lost;
		char line[1024];

		snprintf(line, sizeof(line), "%.*s",
			 (int)(len < sizeof(line) ? len : sizeof(line) - 1), l);
		l = nl ? nl + 1 : NULL;
		if (!strncmp(line, pfx, strlen(pfx)) && r->g.lost_map) {
			parse_windows(&r->g, line + strlen(pfx), r->n);
			continue;
		}
		if (strncmp(line, name, nlen) || strncmp(line + nlen, ": ", 2))
			continue;
		/* sscanf() writes what it matched before failing: into locals first. */
		if (sscanf(line + nlen + 2, "%u sent, %u answered, %u lost", &sent, &answered,
			   &lost) == 3) {
			r->g.summary = true;
			r->g.sent = sent;
			r->g.answered = answered;
			r->g.lost = lost;
		} else if (strstr(line, "more loss windows not listed"))
			r->g.windows_complete = false;
		else if (strstr(line, " counters during the probe (libnl): ") &&
			 sscanf(strstr(line, "(libnl): "), "(libnl): rx +%llu packets", &r->g.rx) ==
				 1 &&
			 strstr(line, "), tx +") &&
			 sscanf(strstr(line, "), tx +"), "), tx +%llu", &r->g.tx) == 1)
			r->g.counters = true;
	}
	if (probe && probe->diag_dropped)
		r->g.windows_complete = false;
	for (const char *l = link && link->diagnostics ? link->diagnostics : NULL; l && *l;) {
		const char *nl = strchr(l, '\n');
		const char *mac = strstr(l, ", MAC ");

		if (!strncmp(l, name, nlen) && !strncmp(l + nlen, ": ", 2) && mac &&
		    (!nl || mac < nl) && strstr(l, " on USB interface "))
			sscanf(mac, ", MAC %17s (configured %31[^)])", r->g.mac_seen,
			       r->g.mac_conf);
		l = nl ? nl + 1 : NULL;
	}
}

/* Each probe's round trip, from the peer's record and the guest's windows. */
static void merge(struct report *r)
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
		else if (!(p->flags & PEER_PROBE_RX) && !guest)
			r->rt[i] = RT_UNKNOWN;
		else if (guest && i >= r->g.sent)
			r->rt[i] = RT_UNSENT;
		else
			r->rt[i] = RT_UNKNOWN;
	}
}

static double send_time(const struct report *r, uint32_t i)
{
	const struct peer_probe *p = &r->probes[i];

	return p->flags & PEER_PROBE_RX ? p->t_send_ns / 1e9 : i * r->interval_s;
}

static void find_anchor(struct report *r)
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

/* Consecutive probes in one state: windows of [first, first + count). */
struct window {
	uint32_t first, count;
	double start, end;
};

static size_t windows_of(const struct report *r, bool (*in)(const struct report *, uint32_t),
			 struct window *out, size_t max)
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
			out[k] = (struct window){ .first = i,
						  .count = j - i,
						  .start = send_time(r, i),
						  .end = j < r->n ? send_time(r, j)
								  : send_time(r, j - 1) +
									    r->interval_s };
		k++;
		i = j;
	}
	return k;
}

static bool is_lost(const struct report *r, uint32_t i)
{
	return r->rt[i] == RT_LOST;
}

static bool is_injected(const struct report *r, uint32_t i)
{
	return r->probes[i].flags & (PEER_PROBE_DROP_UP | PEER_PROBE_DROP_DOWN);
}

static int write_timeline(const struct report *r, const char *path, char *err, size_t errsize)
{
	_cleanup_fclose_ FILE *f = fopen(path, "we");
	int rc;

	if (!f)
		return errmsg(err, errsize, -errno, "%s: cannot write the loss timeline: %s", path,
			      strerror(errno));
	fprintf(f, "seq,t_send_s,peer_rx_s,upstream,echo,round_trip,rtt_ms\n");
	for (uint32_t i = 0; i < r->n; i++) {
		const struct peer_probe *p = &r->probes[i];
		const char *up = p->flags & PEER_PROBE_DROP_UP ? "injected-drop"
				 : p->flags & PEER_PROBE_RX    ? "received"
							       : "lost";
		const char *echo = p->flags & PEER_PROBE_DROP_DOWN ? "injected-drop"
				   : p->flags & PEER_PROBE_ECHOED  ? "sent"
								   : "-";

		if (r->rt[i] == RT_UNSENT)
			continue;
		fprintf(f, "%u,%.6f,", i, send_time(r, i));
		if ((p->flags & PEER_PROBE_RX) && r->anchor)
			fprintf(f, "%.6f", p->rx_ns / 1e9 - r->anchor);
		fprintf(f, ",%s,%s,%s,", up, echo, rt_names[r->rt[i]]);
		if (p->flags & PEER_PROBE_ACKED)
			fprintf(f, "%.3f", p->rtt_us / 1e3);
		fputc('\n', f);
	}
	rc = fclose_checked(TAKE_PTR(f));
	if (rc < 0)
		return errmsg(err, errsize, rc, "%s: cannot write the loss timeline: %s", path,
			      strerror(-rc));
	return 0;
}

/* Detached tap queues take no frames either way: the kernel's view, not QEMU's. */
static void tap_queue_findings(struct report *r)
{
	const struct peer *p = r->p;
	char list[64] = "";
	unsigned int detached = 0, known = 0;

	for (unsigned int q = 0; q < p->spec.queues && q < PEER_MAX_QUEUES; q++) {
		known += p->queue_state[q] != 0;
		if (p->queue_state[q] != 2)
			continue;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%u",
			 detached++ ? ", " : "", q);
	}
	if (!known)
		return;
	if (!detached) {
		finding(r, "note: tap %s: all %u queues attached (TUNGETIFF) as the agent ended",
			r->d.tap_name, p->spec.queues);
		return;
	}
	finding(r,
		"%s: tap %s: queue%s %s of %u detached (TUNGETIFF: IFF_DETACH_QUEUE) as the "
		"agent ended: the kernel neither hands frames to a detached queue nor takes "
		"frames written to it%s",
		detached == p->spec.queues || p->queue_state[0] == 2 ? "loss" : "note",
		r->d.tap_name, detached > 1 ? "s" : "", list, p->spec.queues,
		p->queue_state[0] == 2 ? "; queue 0, the one a single-queue usb-net sends on, is "
					 "among them: nothing the guest sends reaches the tap"
				       : "");
}

/* Whether text names the device: "net1" in "net1-orig" or "net1 (usb-net)", not in "net10". */
static bool mentions(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		char before = p == text ? ' ' : p[-1], after = p[len];

		if (!isalnum((unsigned char)before) && !isalnum((unsigned char)after) &&
		    before != '_' && after != '_')
			return true;
	}
	return false;
}

/* No probe reached the peer: the tap's counters and the guest's say on which way it broke. */
static void nothing_received(struct report *r)
{
	const struct peer_dump *d = &r->d;
	unsigned long long up, down;
	char guest[96] = "";

	if (!d->have_tap) {
		finding(r, "loss: the peer received none of the guest's probes: the path from the "
			   "guest through the usb-net device and its netdev is broken");
		return;
	}
	up = d->tap_after.rx_packets - d->tap_before.rx_packets;
	down = d->tap_after.tx_packets - d->tap_before.tx_packets;
	if (!up) {
		finding(r,
			"loss: the peer received none of the guest's probes, and tap %s received "
			"no frame at all from QEMU: what the guest sends dies between its usb-net "
			"and the tap (in QEMU)",
			d->tap_name);
		return;
	}
	if (r->g.counters)
		snprintf(guest, sizeof(guest),
			 "; the guest's interface received %llu frames during "
			 "its probe",
			 r->g.rx);
	finding(r,
		"loss: the peer received none of the guest's probes, but tap %s got %llu frames "
		"from the guest (ARP requests) and handed %llu back to QEMU (the answers)%s: the "
		"answers die in QEMU on the way down, and without an ARP answer the guest never "
		"sends its probes",
		d->tap_name, up, down, guest);
}

static void host_findings(struct report *r, struct hotplug *hp)
{
	const struct peer_spec *sp = &r->p->spec;
	const struct peer_dump *d = &r->d;
	uint32_t sent = r->g.summary ? r->g.sent : d->done ? d->done_sent : r->n;
	char out[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	struct netinfo_expect e = { .name = sp->name, .mac = sp->mac[0] ? sp->mac : NULL };
	const char *info =
		hotplug_info_network(hp, "end") ?: hotplug_info_network(hp, "after-plug");
	size_t nc, nf;

	if (d->error[0])
		finding(r, "peer: %s", d->error);
	if (sp->probe && !r->g.summary && !r->p->probe_start && !d->nprobes)
		finding(r, "note: the guest never started the probe (see usbnet.probe)");
	else if (sp->probe && !d->nprobes && sent)
		nothing_received(r);
	else if (sp->probe)
		finding(r,
			"peer: %u of %u probes arrived (%u dropped on purpose as upstream loss), "
			"%u echoed, %u echoes withheld on purpose (downstream loss); %u "
			"duplicates, %u stray datagrams",
			d->received + d->dropped_up, sent, d->dropped_up, d->echoed,
			d->dropped_down, d->duplicates, d->stray);
	if (r->g.summary && d->echoed > r->g.answered && d->echoed - r->g.answered > 0)
		finding(r,
			"%s: the peer echoed %u probes, the guest saw %u answers: %u echoes died "
			"on the way down (QEMU, usb-net, or the guest)",
			d->echoed - r->g.answered > d->echoed / 2 ? "loss" : "note", d->echoed,
			r->g.answered, d->echoed - r->g.answered);
	if (d->have_tap)
		finding(r,
			"tap %s (%u queues, libnl): rx +%llu frames from the guest, tx +%llu "
			"toward it (tx dropped +%llu, rx dropped +%llu)",
			d->tap_name, sp->queues,
			(unsigned long long)(d->tap_after.rx_packets - d->tap_before.rx_packets),
			(unsigned long long)(d->tap_after.tx_packets - d->tap_before.tx_packets),
			(unsigned long long)(d->tap_after.tx_dropped - d->tap_before.tx_dropped),
			(unsigned long long)(d->tap_after.rx_dropped - d->tap_before.rx_dropped));
	tap_queue_findings(r);
	if (r->g.mac_seen[0] && sp->mac[0] && strcasecmp(r->g.mac_seen, sp->mac))
		finding(r, "loss: the guest sees MAC %s, the scenario configured %s", r->g.mac_seen,
			sp->mac);
	if (!info) {
		if (hotplug_error(hp))
			finding(r, "note: no QMP diagnosis: %s", hotplug_error(hp));
		return;
	}
	nc = netinfo_parse(info, c, NETINFO_MAX_CLIENTS);
	nf = netinfo_findings(c, nc, &e, 1, out, NETINFO_MAX_FINDINGS);
	for (size_t i = 0; i < nf && i < NETINFO_MAX_FINDINGS; i++)
		if (mentions(out[i], sp->name))
			finding(r, "%s (info network)", out[i]);
}

static json_object *jspan(uint32_t first, uint32_t count, double start, double end)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "first", json_object_new_int64(first));
	json_object_object_add(o, "count", json_object_new_int64(count));
	json_object_object_add(o, "start_s", json_object_new_double(start));
	json_object_object_add(o, "end_s", json_object_new_double(end));
	return o;
}

static json_object *jcounters(const struct netns_counters *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "rx_packets", json_object_new_int64(c->rx_packets));
	json_object_object_add(o, "tx_packets", json_object_new_int64(c->tx_packets));
	json_object_object_add(o, "rx_dropped", json_object_new_int64(c->rx_dropped));
	json_object_object_add(o, "tx_dropped", json_object_new_int64(c->tx_dropped));
	json_object_object_add(o, "rx_errors", json_object_new_int64(c->rx_errors));
	json_object_object_add(o, "tx_errors", json_object_new_int64(c->tx_errors));
	return o;
}

#define JADD(o, k, v) json_object_object_add(o, k, v)

static int write_json(struct report *r, struct hotplug *hp, const char *path,
		      const struct window *lost, size_t nlost, const struct window *inj,
		      size_t ninj, const struct plot_span *sched, size_t nsched,
		      const char *timeline, const char *plot, char *err, size_t errsize)
{
	const struct peer_spec *sp = &r->p->spec;
	json_object *root = json_object_new_object(), *o, *a;
	const struct hotplug_mark *m;
	size_t nm = hotplug_marks(hp, &m);
	uint32_t counts[4] = { 0 };
	static const char *const stages[] = { "start", "after-plug", "end" };
	const char *text;
	int rc;

	for (uint32_t i = 0; i < r->n; i++)
		counts[r->rt[i]]++;
	JADD(root, "device", json_object_new_string(sp->name));
	JADD(root, "netdev",
	     json_object_new_string(sp->netdev == PEER_NETDEV_TAP ? "tap" : "user"));
	JADD(root, "plug",
	     json_object_new_string(sp->plug == PEER_PLUG_HOT	  ? "hot"
				    : sp->plug == PEER_PLUG_REMAP ? "remap"
								  : "cold"));
	JADD(root, "queues", json_object_new_int(sp->queues));
	JADD(root, "rate", json_object_new_int64(r->d.rate ? r->d.rate : sp->rate));
	JADD(root, "planned", json_object_new_int64(r->n));
	o = json_object_new_object();
	JADD(o, "port", json_object_new_int(r->p->port));
	JADD(o, "received", json_object_new_int64(r->d.received));
	JADD(o, "dropped_up", json_object_new_int64(r->d.dropped_up));
	JADD(o, "dropped_down", json_object_new_int64(r->d.dropped_down));
	JADD(o, "echoed", json_object_new_int64(r->d.echoed));
	JADD(o, "duplicates", json_object_new_int64(r->d.duplicates));
	JADD(o, "stray", json_object_new_int64(r->d.stray));
	JADD(o, "guest_done", json_object_new_boolean(r->d.done));
	JADD(o, "guest_sent", json_object_new_int64(r->d.done_sent));
	JADD(root, "peer", o);
	o = json_object_new_object();
	JADD(o, "loss", json_object_new_double(sp->inject_loss_ppm / 1e6));
	JADD(o, "direction",
	     json_object_new_string(sp->direction == PEER_INJECT_UP ? "up" : "down"));
	JADD(o, "outage_up_s", json_object_new_double(sp->outage_up_ms / 1e3));
	JADD(o, "outage_down_s", json_object_new_double(sp->outage_down_ms / 1e3));
	JADD(o, "dropped", json_object_new_int64(r->d.dropped_up + r->d.dropped_down));
	a = json_object_new_array();
	for (size_t i = 0; i < ninj && i < JSON_OUTAGES; i++)
		json_object_array_add(a,
				      jspan(inj[i].first, inj[i].count, inj[i].start, inj[i].end));
	JADD(o, "windows", a);
	a = json_object_new_array();
	for (size_t i = 0; i < nsched; i++)
		json_object_array_add(a, jspan(0, 0, sched[i].start, sched[i].end));
	JADD(o, "schedule", a);
	JADD(root, "injection", o);
	o = json_object_new_object();
	JADD(o, "reported", json_object_new_boolean(r->g.summary));
	JADD(o, "sent", json_object_new_int64(r->g.sent));
	JADD(o, "answered", json_object_new_int64(r->g.answered));
	JADD(o, "lost", json_object_new_int64(r->g.lost));
	JADD(o, "windows_complete", json_object_new_boolean(r->g.windows_complete));
	JADD(o, "mac_seen", json_object_new_string(r->g.mac_seen));
	JADD(root, "guest", o);
	o = json_object_new_object();
	for (int i = RT_ANSWERED; i <= RT_UNKNOWN; i++)
		JADD(o, rt_names[i], json_object_new_int64(counts[i]));
	JADD(root, "round_trip", o);
	a = json_object_new_array();
	for (size_t i = 0; i < nlost && i < JSON_OUTAGES; i++)
		json_object_array_add(
			a, jspan(lost[i].first, lost[i].count, lost[i].start, lost[i].end));
	JADD(root, "outages", a);
	JADD(root, "outages_total", json_object_new_int64(nlost));
	if (r->d.have_tap) {
		o = json_object_new_object();
		JADD(o, "name", json_object_new_string(r->d.tap_name));
		JADD(o, "before", jcounters(&r->d.tap_before));
		JADD(o, "after", jcounters(&r->d.tap_after));
		JADD(root, "tap", o);
	}
	a = json_object_new_array();
	for (size_t i = 0; i < nm; i++) {
		if (m[i].device[0] && strcmp(m[i].device, sp->name))
			continue;
		o = json_object_new_object();
		JADD(o, "t_s", r->anchor ? json_object_new_double(m[i].t - r->anchor) : NULL);
		JADD(o, "what", json_object_new_string(m[i].what));
		JADD(o, "event", json_object_new_boolean(m[i].event));
		JADD(o, "failed", json_object_new_boolean(m[i].failed));
		json_object_array_add(a, o);
	}
	JADD(root, "qmp", a);
	o = json_object_new_object();
	for (size_t i = 0; i < 3; i++)
		if (hotplug_info_network(hp, stages[i]))
			JADD(o, stages[i],
			     json_object_new_string(hotplug_info_network(hp, stages[i])));
	JADD(root, "info_network", o);
	a = json_object_new_array();
	for (size_t i = 0; i < r->nfindings; i++)
		json_object_array_add(a, json_object_new_string(r->findings[i]));
	JADD(root, "findings", a);
	o = json_object_new_object();
	JADD(o, "timeline", json_object_new_string(timeline));
	JADD(o, "plot", json_object_new_string(plot));
	JADD(root, "files", o);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = text ? write_file(path, text, strlen(text)) : -ENOMEM;
	json_object_put(root);
	if (rc < 0)
		return errmsg(err, errsize, rc, "%s: cannot write the usb-net report: %s", path,
			      strerror(-rc));
	return 0;
}

/* The peer's schedule as it ran, on the probe's clock. */
static size_t schedule_spans(const struct report *r, struct plot_span *out, size_t max)
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

static int write_plot(struct report *r, struct hotplug *hp, const char *path,
		      const struct window *lost, size_t nlost, const struct window *inj,
		      size_t ninj, char *err, size_t errsize)
{
	_cleanup_free_ struct plot_probe *pp = calloc(r->n + 1, sizeof(*pp));
	_cleanup_free_ struct plot_span *out = calloc(nlost + 1, sizeof(*out));
	_cleanup_free_ struct plot_span *in = calloc(ninj + 1, sizeof(*in));
	_cleanup_free_ struct plot_mark *marks = NULL;
	_cleanup_fclose_ FILE *f = NULL;
	const struct hotplug_mark *m;
	size_t nm = hotplug_marks(hp, &m), k = 0;
	char title[160], sub[256];
	int rc;

	if (!pp || !out || !in)
		return errmsg(err, errsize, -ENOMEM, "%s: out of memory for the plot", path);
	marks = calloc(nm + 1, sizeof(*marks));
	if (!marks)
		return errmsg(err, errsize, -ENOMEM, "%s: out of memory for the plot", path);
	for (uint32_t i = 0; i < r->n; i++) {
		pp[i].t = send_time(r, i);
		pp[i].rtt_ms =
			r->probes[i].flags & PEER_PROBE_ACKED ? r->probes[i].rtt_us / 1e3 : -1;
		pp[i].status = r->rt[i] == RT_ANSWERED ? PLOT_ANSWERED
			       : r->rt[i] == RT_LOST   ? PLOT_LOST
			       : r->rt[i] == RT_UNSENT ? PLOT_UNSENT
						       : PLOT_UNKNOWN;
	}
	for (size_t i = 0; i < nlost; i++)
		out[i] = (struct plot_span){ lost[i].start, lost[i].end };
	for (size_t i = 0; i < ninj; i++)
		in[i] = (struct plot_span){ inj[i].start, inj[i].end };
	for (size_t i = 0; i < nm && r->anchor; i++) {
		double t = m[i].t - r->anchor;

		if (m[i].device[0] && strcmp(m[i].device, r->p->spec.name))
			continue;
		/* QEMU's events away from the probe (SHUTDOWN, ...) only if about this device. */
		if (m[i].event && (t < 0 || t > r->n * r->interval_s) &&
		    !strstr(m[i].what, r->p->spec.name))
			continue;
		marks[k++] = (struct plot_mark){ .t = m[i].t - r->anchor,
						 .label = m[i].what,
						 .event = m[i].event,
						 .failed = m[i].failed };
	}
	snprintf(title, sizeof(title), "%s: usb-net loss timeline (%s)", r->p->spec.name,
		 r->ps->scenario->name);
	snprintf(sub, sizeof(sub), "%u probes at %u/s; %zu outages; peer received %u, echoed %u%s",
		 r->n, r->d.rate ? r->d.rate : r->p->spec.rate, nlost,
		 r->d.received + r->d.dropped_up, r->d.echoed,
		 r->d.dropped_up + r->d.dropped_down ? "; loss injected" : "");
	f = fopen(path, "we");
	if (!f)
		return errmsg(err, errsize, -errno, "%s: cannot write the plot: %s", path,
			      strerror(errno));
	plot_svg_write(&(struct plot_input){ .title = title,
					     .subtitle = sub,
					     .probes = pp,
					     .nprobes = r->n,
					     .duration_s = r->n * r->interval_s,
					     .outages = out,
					     .noutages = nlost,
					     .injected = in,
					     .ninjected = ninj,
					     .marks = marks,
					     .nmarks = k },
		       f);
	/* Its stream's errors and a full disk show at the close. */
	rc = fclose_checked(TAKE_PTR(f));
	if (rc < 0)
		return errmsg(err, errsize, rc, "%s: cannot write the plot: %s", path,
			      strerror(-rc));
	return 0;
}

/* A file that could not be written is said at once; the first failure is kept. */
static void failed(const struct peer *p, int *first, int rc, const char *err)
{
	if (rc >= 0)
		return;
	fprintf(stderr, "guestcheck: %s: %s\n", p->spec.name, err);
	if (!*first)
		*first = rc;
}

/* Each file is attempted; each that fails is said on stderr. 0, or the first -errno. */
static int report_one(struct peers *ps, struct peer *p, const struct ktap_run *run)
{
	struct report r = { .ps = ps, .p = p };
	char base[PATH_MAX], timeline[PATH_MAX + 32], plot[PATH_MAX + 32], json[PATH_MAX + 32];
	_cleanup_free_ struct window *lost = NULL, *inj = NULL;
	struct plot_span sched[256];
	size_t nlost, ninj, nsched;
	int ret = read_dump(&r), first = 0;
	char err[PATH_MAX + 128];

	if (ret < 0) {
		memset(&r.d, 0, sizeof(r.d));
		free(r.probes);
		r.probes = NULL;
		finding(&r, "peer: its record is missing or unreadable (%s)", strerror(-ret));
	}
	/* Without a peer record, the guest's plan: the probe still has a timeline. */
	r.n = r.d.nprobes ? r.d.nprobes
			  : (uint32_t)((uint64_t)p->spec.rate * p->spec.duration_ms / 1000);
	if (!r.d.nprobes) {
		free(r.probes);
		r.probes = calloc(r.n + 1, sizeof(*r.probes));
	}
	r.rt = calloc(r.n + 1, 1);
	if (!r.probes || !r.rt)
		goto out;
	r.interval_s = 1.0 / (r.d.rate ? r.d.rate : p->spec.rate);
	read_guest(&r, run);
	if (!r.g.lost_map)
		goto out;
	merge(&r);
	find_anchor(&r);
	nlost = windows_of(&r, is_lost, NULL, 0);
	ninj = windows_of(&r, is_injected, NULL, 0);
	lost = calloc(nlost + 1, sizeof(*lost));
	inj = calloc(ninj + 1, sizeof(*inj));
	if (!lost || !inj)
		goto out;
	windows_of(&r, is_lost, lost, nlost);
	windows_of(&r, is_injected, inj, ninj);
	nsched = schedule_spans(&r, sched, 256);
	if (p->spec.probe)
		host_findings(&r, ps->hp);
	snprintf(base, sizeof(base), "%s/%susbnet-%s", ps->results_dir, ps->prefix, p->spec.name);
	snprintf(timeline, sizeof(timeline), "%s-timeline.csv", base);
	snprintf(plot, sizeof(plot), "%s.svg", base);
	snprintf(json, sizeof(json), "%s.json", base);
	if (p->spec.probe) {
		failed(p, &first, write_timeline(&r, timeline, err, sizeof(err)), err);
		failed(p, &first,
		       write_plot(&r, ps->hp, plot, lost, nlost, inj, ninj, err, sizeof(err)), err);
	}
	failed(p, &first,
	       write_json(&r, ps->hp, json, lost, nlost, inj, ninj, sched, nsched,
			  p->spec.probe ? timeline : "", p->spec.probe ? plot : "", err,
			  sizeof(err)),
	       err);
	for (size_t i = 0; ps->progress && i < r.nfindings; i++)
		fprintf(ps->progress, "guestcheck: %s: %s\n", p->spec.name, r.findings[i]);
	if (ps->progress && p->spec.probe)
		fprintf(ps->progress, "guestcheck: %s: loss timeline %s, plot %s\n", p->spec.name,
			timeline, plot);
out:
	free(r.probes);
	free(r.rt);
	free(r.g.lost_map);
	return first;
}

int peers_report(struct peers *ps, const struct ktap_run *run)
{
	int r, first = 0;

	for (size_t i = 0; i < ps->n; i++)
		if ((r = report_one(ps, &ps->p[i], run)) < 0 && !first)
			first = r;
	return first;
}
