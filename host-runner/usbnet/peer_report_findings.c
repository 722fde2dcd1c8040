// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's findings about one usb-net device: what the peer received and
 * echoed against what the guest saw, the tap's counters and queues, the MAC,
 * and QEMU's `info network` (netinfo.c). A line starting "loss:" names a
 * cause of loss; "note:" is context.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "usbnet/hotplug.h"
#include "usbnet/netinfo.h"
#include "usbnet/peer.h"
#include "usbnet/peer_report.h"
#include "usbnet/peer_report_neigh.h"
#include "usbnet/peer_report_readers.h"
#include "usbnet/tap_findings.h"

void peer_finding(struct peer_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nfindings == PEER_MAX_FINDINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->findings[r->nfindings++], PEER_FINDING_LEN, fmt, ap);
	va_end(ap);
}

/* The queues' attach state (TUNGETIFF on the peer's copies), worded as diagnose words it. */
static void tap_queue_findings(struct peer_report *r)
{
	const struct peer *p = r->p;
	unsigned int queues = p->spec.queues < PEER_MAX_QUEUES ? p->spec.queues : PEER_MAX_QUEUES;
	char *s = tap_queue_finding(r->d.tap_name, p->queue_state, queues, "as the agent ended");

	if (s)
		peer_finding(r, "%s", s);
	free(s);
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
static void nothing_received(struct peer_report *r)
{
	const struct peer_dump *d = &r->d;
	unsigned long long up, down;
	char guest[96] = "";

	if (!d->have_tap) {
		peer_finding(
			r, "loss: the peer received none of the guest's probes: the path from the "
			   "guest through the usb-net device and its netdev is broken");
		return;
	}
	up = d->tap_after.rx_packets - d->tap_before.rx_packets;
	down = d->tap_after.tx_packets - d->tap_before.tx_packets;
	if (!up) {
		peer_finding(
			r,
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
	peer_finding(
		r,
		"loss: the peer received none of the guest's probes, but tap %s got %llu frames "
		"from the guest (ARP requests) and handed %llu back to QEMU (the answers)%s: the "
		"answers die in QEMU on the way down, and without an ARP answer the guest never "
		"sends its probes",
		d->tap_name, up, down, guest);
}

void peer_report_host_findings(struct peer_report *r)
{
	struct hotplug *hp = r->ps->hp;
	const struct peer_spec *sp = &r->p->spec;
	const struct peer_dump *d = &r->d;
	uint32_t sent = r->g.summary ? r->g.sent : d->done ? d->done_sent : r->n;
	char out[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	struct netinfo_expect e = { .name = sp->name, .mac = sp->mac[0] ? sp->mac : NULL };
	const char *info =
		hotplug_info_network(hp, "end") ?: hotplug_info_network(hp, "after-plug");
	enum readers_verdict proof = READERS_NONE;
	size_t nc, nf;

	if (d->error[0])
		peer_finding(r, "peer: %s", d->error);
	if (sp->probe && !r->g.summary && !r->p->probe_start && !d->nprobes)
		peer_finding(r, "note: the guest never started the probe (see usbnet.probe)");
	else if (sp->probe && !d->nprobes && sent)
		nothing_received(r);
	else if (sp->probe)
		peer_finding(
			r,
			"peer: %u of %u probes arrived (%u dropped on purpose as upstream loss), "
			"%u echoed, %u echoes withheld on purpose (downstream loss); %u "
			"duplicates, %u stray datagrams",
			d->received + d->dropped_up, sent, d->dropped_up, d->echoed,
			d->dropped_down, d->duplicates, d->stray);
	if (sp->probe && d->nprobes)
		peer_report_hop_findings(r, sent);
	if (d->have_tap)
		peer_finding(
			r,
			"tap %s (%u queues, libnl): rx +%llu frames from the guest, tx +%llu "
			"toward it (tx dropped +%llu, rx dropped +%llu)",
			d->tap_name, sp->queues,
			(unsigned long long)(d->tap_after.rx_packets - d->tap_before.rx_packets),
			(unsigned long long)(d->tap_after.tx_packets - d->tap_before.tx_packets),
			(unsigned long long)(d->tap_after.tx_dropped - d->tap_before.tx_dropped),
			(unsigned long long)(d->tap_after.rx_dropped - d->tap_before.rx_dropped));
	tap_queue_findings(r);
	if (sp->probe)
		peer_report_neigh_findings(r);
	if (d->have_tap) {
		peer_report_header_findings(r);
		peer_report_header_windows(r);
		proof = peer_report_reader_findings(r);
		peer_report_live_finding(r);
	}
	if (r->g.mac_seen[0] && sp->mac[0] && strcasecmp(r->g.mac_seen, sp->mac))
		peer_finding(r, "loss: the guest sees MAC %s, the scenario configured %s",
			     r->g.mac_seen, sp->mac);
	if (!info) {
		if (hotplug_error(hp))
			peer_finding(r, "note: no QMP diagnosis: %s", hotplug_error(hp));
		return;
	}
	nc = netinfo_parse(info, c, NETINFO_MAX_CLIENTS);
	nf = netinfo_findings(c, nc, &e, 1, out, NETINFO_MAX_FINDINGS);
	for (size_t i = 0; i < nf && i < NETINFO_MAX_FINDINGS; i++) {
		if (!mentions(out[i], sp->name))
			continue;
		/* Sharing is a cause only when QEMU was seen giving the frames to the other. */
		if (!strncmp(out[i], "loss: tap descriptor", 20) && proof != READERS_OTHER_READ)
			peer_finding(r, "%s: %s (info network; %s)",
				     proof == READERS_ONLY_MINE ? "note" : "suspect", out[i] + 6,
				     proof == READERS_ONLY_MINE
					     ? "uprobes: the other netdev read no frame during "
					       "the probe"
				     : r->ps->readers_why[0] ? r->ps->readers_why
							     : "not proven: no uprobe evidence");
		else
			peer_finding(r, "%s (info network)", out[i]);
	}
}
