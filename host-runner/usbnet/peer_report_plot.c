// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loss timeline's SVG: the report's probes, windows and QMP marks put
 * into plot.c's input, on the probe's clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "errmsg.h"
#include "write_file.h"

#include "usbnet/hotplug.h"
#include "usbnet/peer.h"
#include "usbnet/peer_report.h"
#include "usbnet/peer_report_neigh.h"
#include "usbnet/plot.h"

static void plot_probes(const struct peer_report *r, struct plot_probe *pp)
{
	for (uint32_t i = 0; i < r->n; i++) {
		pp[i].t = peer_report_send_time(r, i);
		pp[i].rtt_ms =
			r->probes[i].flags & PEER_PROBE_ACKED ? r->probes[i].rtt_us / 1e3 : -1;
		pp[i].status = r->rt[i] == RT_ANSWERED ? PLOT_ANSWERED
			       : r->rt[i] == RT_LOST   ? PLOT_LOST
			       : r->rt[i] == RT_UNSENT ? PLOT_UNSENT
						       : PLOT_UNKNOWN;
	}
}

static void plot_spans(const struct peer_window *w, size_t n, struct plot_span *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (struct plot_span){ w[i].start, w[i].end };
}

/* The QMP timeline's marks about this device, on the probe's clock. */
static size_t plot_marks(const struct peer_report *r, const struct hotplug_mark *m, size_t nm,
			 struct plot_mark *marks)
{
	size_t k = 0;

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
	return k;
}

int peer_report_write_plot(const struct peer_report *r, const char *path, char *err, size_t errsize)
{
	_cleanup_free_ struct plot_probe *pp = calloc(r->n + 1, sizeof(*pp));
	_cleanup_free_ struct plot_span *out = calloc(r->nlost + 1, sizeof(*out));
	_cleanup_free_ struct plot_span *in = calloc(r->ninjected + 1, sizeof(*in));
	_cleanup_free_ struct plot_mark *marks = NULL;
	struct plot_span unresolved[64];
	_cleanup_fclose_ FILE *f = NULL;
	const struct hotplug_mark *m;
	size_t nm = hotplug_marks(r->ps->hp, &m), k, nu;
	char title[160], sub[256];
	int rc;

	if (!pp || !out || !in)
		return errmsg(err, errsize, -ENOMEM, "%s: out of memory for the plot", path);
	marks = calloc(nm + 1, sizeof(*marks));
	if (!marks)
		return errmsg(err, errsize, -ENOMEM, "%s: out of memory for the plot", path);
	plot_probes(r, pp);
	plot_spans(r->lost, r->nlost, out);
	plot_spans(r->injected, r->ninjected, in);
	k = plot_marks(r, m, nm, marks);
	nu = peer_report_neigh_spans(r, unresolved, ARRAY_SIZE(unresolved));
	snprintf(title, sizeof(title), "%s: usb-net loss timeline (%s)", r->p->spec.name,
		 r->ps->scenario->name);
	snprintf(sub, sizeof(sub), "%u probes at %u/s; %zu outages; peer received %u, echoed %u%s",
		 r->n, r->d.rate ? r->d.rate : r->p->spec.rate, r->nlost,
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
					     .noutages = r->nlost,
					     .injected = in,
					     .ninjected = r->ninjected,
					     .unresolved = unresolved,
					     .nunresolved = nu,
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
