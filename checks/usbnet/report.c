// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usbnet.probe: the loss probe over each usb-net device, and what its
 * numbers say. The diagnostics are capped per test (the runner keeps 64 KiB),
 * so the report is the summary, the longest outages, and every loss window
 * in compact "loss-windows" lines within a budget; the runner's peer keeps
 * the per-probe timeline on the host.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "nl_route.h"
#include "probe.h"
#include "usbnet.h"
#include "virtio_release.h"

#define LISTED_OUTAGES 32
#define RLE_LINE       900
#define RLE_BUDGET     (24 * 1024)

static void report_counters(struct check_ctx *ctx, const char *devname, const char *ifname,
			    const struct link_counters *a, const struct link_counters *b,
			    const struct probe_stats *st, const struct probe_result *res)
{
	uint64_t rx = b->rx_packets - a->rx_packets, tx = b->tx_packets - a->tx_packets;
	uint64_t rx_drop = b->rx_dropped - a->rx_dropped, rx_err = b->rx_errors - a->rx_errors;
	uint64_t echoes = (uint64_t)st->answered + res->cnt.duplicates;

	check_note(ctx,
		   "%s: %s counters during the probe (libnl): rx +%llu packets (+%llu "
		   "errors, +%llu dropped, +%llu over, +%llu fifo), tx +%llu packets (+%llu "
		   "errors, +%llu dropped, +%llu fifo)",
		   devname, ifname, (unsigned long long)rx, (unsigned long long)rx_err,
		   (unsigned long long)rx_drop,
		   (unsigned long long)(b->rx_over_errors - a->rx_over_errors),
		   (unsigned long long)(b->rx_fifo_errors - a->rx_fifo_errors),
		   (unsigned long long)tx, (unsigned long long)(b->tx_errors - a->tx_errors),
		   (unsigned long long)(b->tx_dropped - a->tx_dropped),
		   (unsigned long long)(b->tx_fifo_errors - a->tx_fifo_errors));
	if (!st->lost)
		return;
	if (rx_drop || rx_err)
		check_note(ctx,
			   "%s: %s itself dropped or refused %llu received frames: some loss "
			   "is in the guest, after the adapter",
			   devname, ifname, (unsigned long long)(rx_drop + rx_err));
	else if (rx <= echoes + 16 && st->lost_down + st->lost_unknown)
		check_note(ctx,
			   "%s: %s received %llu frames for %llu echoes and dropped none: "
			   "the lost echoes never reached the guest's network stack (they died "
			   "in QEMU's usb-net, its netdev or the host)",
			   devname, ifname, (unsigned long long)rx, (unsigned long long)echoes);
	if (tx + 16 < st->sent)
		check_note(ctx,
			   "%s: %s sent only %llu frames for %u probes: the guest did not "
			   "get them out (tx queue, carrier)",
			   devname, ifname, (unsigned long long)tx, st->sent);
}

static const char *direction(const struct probe_outage *w)
{
	if (w->up && !w->down)
		return "upstream";
	if (w->down && !w->up)
		return "downstream";
	if (w->up && w->down)
		return "both ways";
	return "direction unknown";
}

static int cmp_longest(const void *a, const void *b)
{
	const struct probe_outage *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_first(const void *a, const void *b)
{
	const struct probe_outage *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static void report_outages(struct check_ctx *ctx, const char *devname, const struct probe_outage *w,
			   size_t n, unsigned int share)
{
	size_t budget = RLE_BUDGET / (share ? share : 1);
	struct probe_outage listed[LISTED_OUTAGES];
	size_t nl = n < LISTED_OUTAGES ? n : LISTED_OUTAGES, done = 0, used = 0;
	_cleanup_free_ struct probe_outage *sorted = malloc(n * sizeof(*w) + 1);

	if (!n)
		return;
	if (sorted) {
		memcpy(sorted, w, n * sizeof(*w));
		qsort(sorted, n, sizeof(*w), cmp_longest);
		memcpy(listed, sorted, nl * sizeof(*w));
	} else {
		memcpy(listed, w, nl * sizeof(*w));
	}
	qsort(listed, nl, sizeof(*w), cmp_first);
	check_note(ctx, "%s: %zu outages (windows of consecutive loss)%s:", devname, n,
		   n > nl ? ", the longest listed" : "");
	for (size_t i = 0; i < nl; i++)
		check_note(ctx,
			   "%s: outage %.3f s to %.3f s (%.3f s), probes %u-%u (%u lost: %u "
			   "upstream, %u downstream), %s",
			   devname, listed[i].start_s, listed[i].end_s,
			   listed[i].end_s - listed[i].start_s, listed[i].first,
			   listed[i].first + listed[i].count - 1, listed[i].count, listed[i].up,
			   listed[i].down, direction(&listed[i]));
	/* Every window, compactly, for the runner's timeline and plot. */
	while (done < n && used < budget) {
		char line[RLE_LINE];
		/* Each line starts from probe 0 again: it stands alone. */
		size_t k = probe_outages_rle(w + done, n - done, line, sizeof(line));

		if (!k)
			break;
		check_note(ctx, "loss-windows %s: %s", devname, line);
		used += strlen(line) + 40;
		done += k;
	}
	if (done < n)
		check_note(ctx,
			   "%s: %zu more loss windows not listed (diagnostics budget): the "
			   "runner's usbnet-%s-timeline.csv has every probe",
			   devname, n - done, devname);
}

/*
 * The runner sets the link down over QMP from its own poll loop (100 ms
 * turns) when it sees the probe start on the KTAP stream: its timing is
 * good to a few hundred milliseconds, not to a probe interval.
 */
#define LINK_DOWN_SLACK_S 0.3

static void judge_link_down(struct check_ctx *ctx, const char *devname,
			    const struct usbnet_config *c, const struct probe_stats *st,
			    const struct probe_outage *w, size_t nw, uint32_t interval_us)
{
	double at = c->link_down_at_ms / 1000.0, len = c->link_down_len_ms / 1000.0;
	double tol = LINK_DOWN_SLACK_S + 2.0 * interval_us / 1e6;

	if (nw != 1) {
		check_fail(ctx,
			   "%s: the runner set the link down (QMP set_link) %.3f s into the "
			   "probe for %.3f s: expected one outage then, found %zu",
			   devname, at, len, nw);
		return;
	}
	if (w[0].start_s < at - tol || w[0].start_s > at + tol ||
	    w[0].end_s - w[0].start_s < len - tol || w[0].end_s - w[0].start_s > len + tol)
		check_fail(ctx,
			   "%s: the runner set the link down %.3f s into the probe for %.3f s, "
			   "but the outage ran from %.3f s for %.3f s (tolerance %.3f s)",
			   devname, at, len, w[0].start_s, w[0].end_s - w[0].start_s, tol);
	else
		check_note(ctx,
			   "%s: the runner set the link down %.3f s into the probe for %.3f s "
			   "(QMP set_link): the one outage ran from %.3f s for %.3f s",
			   devname, at, len, w[0].start_s, w[0].end_s - w[0].start_s);
}

/* Whether the loss matches what the peer was told to inject. */
static void judge(struct check_ctx *ctx, const char *devname, const struct usbnet_config *c,
		  const struct probe_stats *st, const struct probe_outage *w, size_t nw,
		  uint32_t interval_us)
{
	double p = c->inject_loss_ppm / 1e6;

	if (st->sent && !st->answered) {
		check_fail(ctx,
			   "%s: 0 of %u probes answered (%u lost upstream, %u downstream, %u "
			   "unknown): nothing gets through the usb-net device",
			   devname, st->sent, st->lost_up, st->lost_down, st->lost_unknown);
		return;
	}
	if (c->outage_up_ms) {
		/*
		 * The peer keeps its schedule on its own clock, by arrival; the windows here
		 * are in send time. They differ by how much the one-way delay varies, which
		 * the slowest round trip bounds, and a window's edges are known only to the
		 * sends around it (probe_outage_fits()).
		 */
		double down = c->outage_down_ms / 1000.0,
		       tol = 1.0 * interval_us / 1e6 + st->rtt_max_us / 1e6;
		size_t full = 0;

		for (size_t i = 0; i < nw && nw <= 100000; i++) {
			double len = w[i].end_s - w[i].start_s, lo = w[i].last_s - w[i].start_s,
			       hi = w[i].end_s - w[i].prev_s;

			/* Windows cut by the start or the end of the run say nothing. */
			if (w[i].first == 0 || w[i].first + w[i].count >= st->planned)
				continue;
			full++;
			if (!probe_outage_fits(&w[i], down, tol))
				check_fail(ctx,
					   "%s: an outage of %.3f s at %.3f s (%.3f s to %.3f s by "
					   "the sends around it), but the peer's schedule is %u ms "
					   "down: expected %.3f s within those +- %.3f s (a probe "
					   "interval and the slowest round trip)",
					   devname, len, w[i].start_s, lo, hi, c->outage_down_ms,
					   down, tol);
		}
		check_note(ctx,
			   "%s: the peer injects outages (%u ms up / %u ms down): %zu complete "
			   "outages found",
			   devname, c->outage_up_ms, c->outage_down_ms, full);
		return;
	}
	if (c->link_down_len_ms) {
		judge_link_down(ctx, devname, c, st, w, nw, interval_us);
		return;
	}
	if (c->inject_loss_ppm) {
		double bound = probe_loss_bound(p, st->sent);
		double diff = st->loss > p ? st->loss - p : p - st->loss;

		if (diff > bound)
			check_fail(ctx,
				   "%s: the peer injects %.2f%% loss, measured %.2f%% over %u "
				   "probes: outside the bound of +-%.2f%%: loss beyond the "
				   "injected (or the probe miscounts)",
				   devname, p * 100, st->loss * 100, st->sent, bound * 100);
		else
			check_note(ctx,
				   "%s: the peer injects %.2f%% loss, measured %.2f%% over %u "
				   "probes: within the bound of +-%.2f%%",
				   devname, p * 100, st->loss * 100, st->sent, bound * 100);
		return;
	}
	if (st->loss * 1e6 > c->max_loss_ppm)
		check_fail(ctx,
			   "%s: lost %.2f%% of the probes (%u of %u), more than max_loss %.2f%%: "
			   "see the outages above and the runner's usbnet-%s plot",
			   devname, st->loss * 100, st->lost, st->sent, c->max_loss_ppm / 1e4,
			   devname);
}

static void report(struct check_ctx *ctx, const struct usbnet_target *t, const char *ifname,
		   const struct probe_result *res, const struct link_counters *before,
		   const struct link_counters *after, bool have_counters)
{
	const char *dev = t->dev.name;
	_cleanup_free_ uint32_t *scratch = malloc(((size_t)res->n + 1) * sizeof(uint32_t));
	_cleanup_free_ struct probe_outage *w = NULL;
	struct probe_stats st;
	char first_error[80] = "";
	size_t nw;

	if (!scratch) {
		check_fail(ctx, "%s: out of memory for %u probes", dev, res->n);
		return;
	}
	probe_stats_compute(res->slots, res->n, &st, scratch);
	nw = probe_outages(res->slots, res->n, res->interval_us, NULL, 0);
	w = malloc((nw + 1) * sizeof(*w));
	if (w)
		probe_outages(res->slots, res->n, res->interval_us, w, nw);
	else
		nw = 0;
	check_note(ctx,
		   "%s: %u sent, %u answered, %u lost (%.2f%%): %u upstream, %u downstream%s; "
		   "%u duplicates and %u reordered (apart from loss)",
		   dev, st.sent, st.answered, st.lost, st.loss * 100, st.lost_up, st.lost_down,
		   res->peer_report ? ""
				    : " (the peer's report of what it received did not come "
				      "back: the rest unknown)",
		   res->cnt.duplicates, res->cnt.reordered);
	if (st.answered)
		check_note(ctx,
			   "%s: RTT min %.3f / avg %.3f / p50 %.3f / p99 %.3f / max %.3f ms, "
			   "jitter %.3f ms",
			   dev, st.rtt_min_us / 1e3, st.rtt_avg_us / 1e3, st.rtt_p50_us / 1e3,
			   st.rtt_p99_us / 1e3, st.rtt_max_us / 1e3, st.jitter_us / 1e3);
	if (res->cnt.send_errno)
		snprintf(first_error, sizeof(first_error), " (first: %s)",
			 strerror(res->cnt.send_errno));
	check_note(ctx,
		   "%s: sending: %u late (at most %.1f ms behind schedule), %u send errors%s, "
		   "%u stray datagrams; the peer's last echo counted %u probes received, %u "
		   "dropped on purpose",
		   dev, res->cnt.late, res->cnt.max_late_us / 1e3, res->cnt.send_errors,
		   first_error, res->cnt.stray, res->peer_received, res->peer_dropped);
	if (res->cnt.send_waits)
		check_note(ctx,
			   "%s: %u probes waited for room in the socket (its send buffer full: "
			   "the interface took frames slower than the probe made them, as when "
			   "a starved guest catches up), the longest %.1f ms: sent late, not "
			   "lost",
			   dev, res->cnt.send_waits, res->cnt.max_send_wait_us / 1e3);
	if (have_counters)
		report_counters(ctx, dev, ifname, before, after, &st, res);
	report_outages(ctx, dev, w, nw, t->cfg.share);
	judge(ctx, dev, &t->cfg, &st, w, nw, res->interval_us);
}

/* Nothing came back: did the probes even leave? Not without the gateway's MAC. */
static void report_unresolved(struct check_ctx *ctx, const char *devname, const char *ifname,
			      const struct usbnet_config *c)
{
	char gw[INET_ADDRSTRLEN], mac[32] = "", state[64] = "";
	int r = usbnet_neigh_get(ifname, c->gateway, mac, sizeof(mac), state, sizeof(state));

	inet_ntop(AF_INET, &c->gateway, gw, sizeof(gw));
	if (r < 0 || !strcmp(mac, "(none)") || strstr(state, "incomplete") ||
	    strstr(state, "failed"))
		check_note(ctx,
			   "%s: %s: the gateway %s never resolved (ARP %s): the kernel held the "
			   "probes back for want of its MAC, so what left the guest was ARP "
			   "requests: their answers do not arrive",
			   devname, ifname, gw, r < 0 ? "entry missing" : state);
}

/* virtio_release: start the guest's driver cycle beside the probe. */
static int release_start(struct check_ctx *ctx, const char *devname, struct virtio_release *vr,
			 const struct usbnet_config *c)
{
	int r;

	if (!ctx->env->pid1) {
		check_fail(ctx,
			   "%s: virtio_release: the agent is not the guest's init, and it never "
			   "unbinds a driver in a guest it did not boot: remove virtio_release",
			   devname);
		return -EPERM;
	}
	r = virtio_release_start(vr, ctx->env->root, c->release_ms, c->bound_ms, c->t0_ns,
				 c->t0_ns + c->duration_ms * 1000000ull);
	if (r < 0) {
		check_fail(ctx, "%s: virtio_release: %s: %s", devname,
			   r == -ENODEV ? "virtio_net drives no device in this guest"
					: "could not start the driver's cycle",
			   r == -ENODEV ? "nothing to let go of (the remap's virtio-net is gone "
					  "when the corrected sequence deleted it before the guest "
					  "started): remove virtio_release"
					: strerror(-r));
		virtio_release_free(vr);
		return r;
	}
	check_note(ctx,
		   "%s: virtio_release: virtio_net lets go of %s%s for %.3f s, then holds it for "
		   "%.3f s, repeating from the probe's start",
		   devname, vr->log->devs[0],
		   vr->log->ndevs > 1 ? " and the other virtio NICs" : "", c->release_ms / 1000.0,
		   c->bound_ms / 1000.0);
	return 0;
}

/* What the driver's cycle did, and the probes answered in each of its states. */
static void report_release(struct check_ctx *ctx, const char *devname,
			   const struct usbnet_config *c, const struct virtio_release_log *log,
			   const struct probe_result *res)
{
	struct virtio_release_split sp;
	char line[RLE_LINE];
	size_t len = 0;
	uint32_t failed = 0;

	for (uint32_t i = 0; i < log->nevents; i++) {
		const struct virtio_release_event *e = &log->ev[i];
		double t = ((int64_t)(e->t_ns - c->t0_ns)) / 1e9;

		failed += e->error != 0;
		if (len < sizeof(line) - 64)
			len += snprintf(line + len, sizeof(line) - len, "%s%s %s %.3f%s",
					len ? ", " : "", e->bound ? "bound" : "released",
					log->devs[e->dev], t, e->error ? " (failed)" : "");
	}
	check_note(ctx, "%s: virtio_release events (s into the probe): %s%s", devname,
		   len ? line : "none", log->dropped ? " (more not kept)" : "");
	for (uint32_t i = 0; i < log->nevents; i++)
		if (log->ev[i].error) {
			check_fail(ctx, "%s: virtio_release: %s %s failed: %s", devname,
				   log->ev[i].bound ? "binding" : "releasing",
				   log->devs[log->ev[i].dev], strerror(log->ev[i].error));
			break;
		}
	virtio_release_split(log, c->t0_ns, res, &sp);
	check_note(ctx,
		   "%s: while virtio_net had let go of the virtio-net: %u of %u probes answered; "
		   "while it held it: %u of %u%s",
		   devname, sp.released_answered, sp.released_sent, sp.bound_answered,
		   sp.bound_sent, failed ? " (some of the driver's steps failed: see above)" : "");
}

static void probe_one(struct check_ctx *ctx, const struct usbnet_scan *scan,
		      struct usbnet_target *t)
{
	struct usbnet_config *c = &t->cfg;
	struct link_counters before, after;
	struct probe_result res;
	struct virtio_release vr = { 0 };
	char gw[INET_ADDRSTRLEN];
	struct in_addr peer;
	const char *ifname;
	bool have;
	int r;

	if (t->config_error[0]) {
		check_fail(ctx, "%s", t->config_error);
		return;
	}
	if (!c->probe) {
		check_note(ctx, "%s: probe = no: not probed", t->dev.name);
		return;
	}
	if (t->iface < 0) {
		check_fail(ctx, "%s (usb-net): no USB network interface to probe: see usbnet.link",
			   t->dev.name);
		return;
	}
	ifname = scan->ifs[t->iface].name;
	if (usbnet_bring_up(ctx, t->dev.name, ifname, c) < 0)
		return;
	peer = usbnet_peer_addr(c);
	inet_ntop(AF_INET, &peer, gw, sizeof(gw));
	check_note(ctx, "%s: probing %s:%u over %s (%s): %u probes/s for %.1f s%s", t->dev.name, gw,
		   c->peer_port, ifname, c->address, c->rate, c->duration_ms / 1000.0,
		   c->inject_loss_ppm || c->outage_up_ms ? "; the peer injects loss" : "");
	have = nl_route_link_counters(ifname, &before) == 0;
	c->t0_ns = now_ns();
	if (c->release_ms && release_start(ctx, t->dev.name, &vr, c) < 0)
		return;
	r = probe_run(ctx, t->dev.name, ifname, c, &res);
	virtio_release_stop(&vr);
	if (r < 0) {
		check_fail(ctx, "%s: %s: the probe could not start: %s", t->dev.name, ifname,
			   strerror(-r));
		virtio_release_free(&vr);
		free(res.slots);
		return;
	}
	have = have && nl_route_link_counters(ifname, &after) == 0;
	report(ctx, t, ifname, &res, &before, &after, have);
	if (vr.log)
		report_release(ctx, t->dev.name, c, vr.log, &res);
	if (!res.answered_any)
		report_unresolved(ctx, t->dev.name, ifname, c);
	virtio_release_free(&vr);
	free(res.slots);
}

int check_usbnet_probe(struct check_ctx *ctx)
{
	struct usbnet_scan scan;
	int r = usbnet_scan(ctx->env, &scan);

	if (r < 0)
		return r;
	if (!scan.ntargets) {
		check_skip(ctx, "the scenario attaches no usb-net device");
		return 0;
	}
	for (size_t i = 0; i < scan.ntargets; i++) {
		scan.targets[i].cfg.share = scan.ntargets;
		probe_one(ctx, &scan, &scan.targets[i]);
	}
	return 0;
}
