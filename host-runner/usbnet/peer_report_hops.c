// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the loss happened, hop by hop: the guest's interface counters
 * (libnl, in the guest), the tap's (libnl, in the peer's namespace) and the
 * peer's own count. A hop is blamed only when the counters on both sides of
 * it say so; otherwise the finding says which hops it cannot tell apart.
 */
#include "usbnet/peer_report.h"

static const char *weight(uint32_t lost, uint32_t of)
{
	return lost > of / 2 ? "loss" : "note";
}

/*
 * The guest's interface sent fewer frames than the agent sent probes: at
 * least the difference never left the guest (its stack held them: an
 * unresolved ARP entry for the gateway drops what waits on it). What left
 * it includes the guest's ARP requests, so the rest cannot be split between
 * those and probes lost further on: said so, with the counters.
 */
static void stuck_in_guest(struct peer_report *r, uint32_t sent, uint32_t lost,
			   unsigned long long tap_rx)
{
	uint32_t stuck = (uint32_t)(sent - r->g.tx);
	char cause[256];

	if (stuck > lost)
		stuck = lost;
	if (r->g.send_errors)
		snprintf(
			cause, sizeof(cause),
			"the agent's send() failed for %u probes (first: %s; a full send buffer is "
			"only an error after a second of waiting)",
			r->g.send_errors, r->g.send_error[0] ? r->g.send_error : "error not named");
	else
		snprintf(cause, sizeof(cause),
			 "they died in the guest's stack, before the usb-net (an unresolved ARP "
			 "entry for the gateway drops what waits on it: see usbnet.link and the "
			 "guest's ARP against the tap's counters)");
	peer_finding(r,
		     "%s: %u probes never reached the peer, and at least %u of them never left "
		     "the guest: its interface sent %llu frames for %u probes (guest tx +%llu): %s",
		     weight(lost, sent), lost, stuck, r->g.tx, sent, r->g.tx, cause);
	if (lost > stuck)
		peer_finding(
			r,
			"note: of the %llu frames the guest's interface sent, the tap received "
			"%llu and the peer %u probes; the other %u lost probes died past the "
			"guest's interface or are its ARP and other frames in those counts: "
			"the counters cannot tell which",
			r->g.tx, tap_rx, r->d.received + r->d.dropped_up, lost - stuck);
}

static void upstream(struct peer_report *r, uint32_t sent)
{
	const struct peer_dump *d = &r->d;
	uint32_t arrived = d->received + d->dropped_up, lost;
	unsigned long long tap_rx = d->tap_after.rx_packets - d->tap_before.rx_packets;

	if (!r->g.summary || sent <= arrived || !d->nprobes)
		return;
	lost = sent - arrived;
	if (!d->have_tap)
		peer_finding(r,
			     "%s: %u probes never reached the peer: between the guest and the peer "
			     "are usb-net, QEMU's user networking and the host's loopback, and no "
			     "counters tell those hops apart",
			     weight(lost, sent), lost);
	else if (!r->g.counters)
		peer_finding(r,
			     "%s: %u probes never reached the peer (tap rx +%llu); without the "
			     "guest's counters the hop is unknown",
			     weight(lost, sent), lost, tap_rx);
	else if (r->g.tx < sent)
		stuck_in_guest(r, sent, lost, tap_rx);
	else if (tap_rx >= r->g.tx)
		peer_finding(
			r,
			"%s: %u probes never reached the peer, but the tap received every frame "
			"the guest's interface sent (tap rx +%llu, guest tx +%llu): they died on "
			"the host between the tap and the peer (its socket's buffer, a firewall "
			"rule, the namespace's routing), not in QEMU",
			weight(lost, sent), lost, tap_rx, r->g.tx);
	else
		peer_finding(
			r,
			"%s: %u probes never reached the peer, and the tap received %llu fewer "
			"frames than the guest's interface sent (tap rx +%llu, guest tx +%llu): "
			"they died between the guest and the tap (usb-net or QEMU)",
			weight(lost, sent), lost, r->g.tx - tap_rx, tap_rx, r->g.tx);
}

static void downstream(struct peer_report *r)
{
	const struct peer_dump *d = &r->d;
	unsigned long long tap_tx = d->tap_after.tx_packets - d->tap_before.tx_packets;
	uint32_t lost;

	if (!r->g.summary || d->echoed <= r->g.answered)
		return;
	lost = d->echoed - r->g.answered;
	if (!d->have_tap)
		peer_finding(
			r,
			"%s: the peer echoed %u probes, the guest saw %u answers: %u echoes died "
			"between the peer and the guest (the host's loopback, QEMU's user "
			"networking, usb-net or the guest: no counters tell those hops apart)",
			weight(lost, d->echoed), d->echoed, r->g.answered, lost);
	else if (tap_tx < d->echoed)
		peer_finding(
			r,
			"%s: the peer echoed %u probes, the guest saw %u answers, and the tap "
			"passed only %llu frames toward the guest (libnl): at least %llu echoes "
			"never left the host: they died between the peer and the tap (a qdisc, "
			"a firewall rule, the namespace's routing), not in QEMU",
			weight(lost, d->echoed), d->echoed, r->g.answered, tap_tx,
			d->echoed - tap_tx);
	else if (r->g.counters && r->g.rx >= tap_tx)
		peer_finding(
			r,
			"%s: the peer echoed %u probes and the guest saw %u answers, but its "
			"interface received as many frames as the tap passed toward it (guest rx "
			"+%llu, tap tx +%llu): the %u echoes died in the guest, past its "
			"interface",
			weight(lost, d->echoed), d->echoed, r->g.answered, r->g.rx, tap_tx, lost);
	else
		peer_finding(
			r,
			"%s: the peer echoed %u probes, the tap passed %llu frames toward the "
			"guest, the guest saw %u answers%s: the %u echoes died past the tap, in "
			"QEMU or usb-net",
			weight(lost, d->echoed), d->echoed, tap_tx, r->g.answered,
			r->g.counters ? " and its interface received fewer frames" : "", lost);
}

void peer_report_hop_findings(struct peer_report *r, uint32_t sent)
{
	upstream(r, sent);
	downstream(r);
}
