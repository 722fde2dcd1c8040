// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the guest said about one usb-net device, read from its KTAP
 * diagnostics: usbnet.probe's summary, loss windows and interface counters,
 * and the MAC usbnet.link saw. The lines are the guest's: untrusted, so
 * every number is range-checked before it indexes anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/ktap_parse.h"
#include "usbnet/peer_report.h"

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

/* usbnet.probe: "NAME: N sent, ...", "loss-windows NAME: ...", the counters. */
static void read_probe(struct peer_report *r, const struct ktap_test *probe)
{
	const char *name = r->p->spec.name;
	size_t nlen = strlen(name);
	char pfx[64];

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
		else if (!strncmp(line + nlen + 2, "sending: ", 9) &&
			 strstr(line, " send errors") &&
			 sscanf(strstr(line, "), ") ?: "", "), %u send errors", &sent) == 1) {
			const char *first = strstr(line, " send errors (first: ");

			r->g.send_errors = sent;
			if (first)
				sscanf(first, " send errors (first: %63[^)])", r->g.send_error);
		} else if (strstr(line, " counters during the probe (libnl): ") &&
			   sscanf(strstr(line, "(libnl): "), "(libnl): rx +%llu packets",
				  &r->g.rx) == 1 &&
			   strstr(line, "), tx +") &&
			   sscanf(strstr(line, "), tx +"), "), tx +%llu", &r->g.tx) == 1)
			r->g.counters = true;
	}
	if (probe && probe->diag_dropped)
		r->g.windows_complete = false;
}

/* usbnet.link: "NAME: ... on USB interface ..., MAC SEEN (configured CONF)". */
static void read_link(struct peer_report *r, const struct ktap_test *link)
{
	const char *name = r->p->spec.name;
	size_t nlen = strlen(name);

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

void peer_report_read_guest(struct peer_report *r, const struct ktap_run *run)
{
	r->g.lost_map = calloc(r->n + 1, 1);
	read_probe(r, find_test(run, "usbnet.probe"));
	read_link(r, find_test(run, "usbnet.link"));
}
