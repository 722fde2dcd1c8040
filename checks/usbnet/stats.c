// SPDX-License-Identifier: GPL-2.0-or-later
/* The loss probe's numbers, from the per-probe record alone: pure, unit-tested. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usbnet.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static uint32_t percentile(const uint32_t *v, uint32_t n, unsigned int pct)
{
	uint64_t rank = ((uint64_t)n * pct + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

int probe_stats_compute(const struct probe_slot *slots, uint32_t n, struct probe_stats *st,
			uint32_t *rtt_scratch)
{
	uint64_t rtt_sum = 0, jitter_sum = 0;
	uint32_t jitter_n = 0, prev_rtt = 0, run = 0;
	bool have_prev = false;

	*st = (struct probe_stats){ .planned = n };
	for (uint32_t i = 0; i < n; i++) {
		const struct probe_slot *p = &slots[i];

		if (p->state == PROBE_UNSENT)
			continue;
		st->sent++;
		if (p->state == PROBE_ECHOED) {
			rtt_scratch[st->answered++] = p->rtt_us;
			rtt_sum += p->rtt_us;
			if (have_prev) {
				jitter_sum += p->rtt_us > prev_rtt ? p->rtt_us - prev_rtt
								   : prev_rtt - p->rtt_us;
				jitter_n++;
			}
			prev_rtt = p->rtt_us;
			have_prev = true;
			run = 0;
			continue;
		}
		st->lost++;
		if (p->peer == PEER_RECEIVED)
			st->lost_down++;
		else if (p->peer == PEER_MISSED)
			st->lost_up++;
		else
			st->lost_unknown++;
		/* A window runs over consecutive lost probes; an answer ends it. */
		if (run++ == 0)
			st->outages++;
		if (run > st->longest_outage)
			st->longest_outage = run;
		/* A gap in the answers: the jitter compares neighbours only. */
		have_prev = false;
	}
	st->loss = st->sent ? (double)st->lost / st->sent : 0;
	if (st->answered) {
		qsort(rtt_scratch, st->answered, sizeof(*rtt_scratch), cmp_u32);
		st->rtt_min_us = rtt_scratch[0];
		st->rtt_max_us = rtt_scratch[st->answered - 1];
		st->rtt_p50_us = percentile(rtt_scratch, st->answered, 50);
		st->rtt_p99_us = percentile(rtt_scratch, st->answered, 99);
		st->rtt_avg_us = (double)rtt_sum / st->answered;
	}
	st->jitter_us = jitter_n ? (double)jitter_sum / jitter_n : 0;
	return 0;
}

size_t probe_outages(const struct probe_slot *slots, uint32_t n, uint32_t interval_us,
		     struct probe_outage *out, size_t max)
{
	size_t count = 0;
	uint32_t i = 0;

	while (i < n) {
		struct probe_outage w = { 0 };
		uint32_t j;

		if (slots[i].state != PROBE_SENT) {
			i++;
			continue;
		}
		/* Unsent probes (a cut-short run) neither extend nor end a window. */
		for (j = i; j < n && slots[j].state != PROBE_ECHOED; j++) {
			if (slots[j].state != PROBE_SENT)
				continue;
			w.count++;
			w.up += slots[j].peer == PEER_MISSED;
			w.down += slots[j].peer == PEER_RECEIVED;
		}
		w.first = i;
		w.start_s = slots[i].sent_us / 1e6;
		w.prev_s = w.start_s - interval_us / 1e6;
		for (uint32_t k = i; k-- > 0;)
			if (slots[k].state == PROBE_ECHOED) {
				w.prev_s = slots[k].sent_us / 1e6;
				break;
			}
		w.last_s = w.start_s;
		for (uint32_t k = j; k-- > i;)
			if (slots[k].state == PROBE_SENT) {
				w.last_s = slots[k].sent_us / 1e6;
				break;
			}
		if (j < n) {
			w.end_s = slots[j].sent_us / 1e6;
		} else {
			uint32_t last = n - 1;

			while (last > i && slots[last].state != PROBE_SENT)
				last--;
			w.end_s = (slots[last].sent_us + (uint64_t)interval_us) / 1e6;
		}
		if (count < max)
			out[count] = w;
		count++;
		i = j;
	}
	return count;
}

/*
 * The peer drops what arrives in its down time; the window is in send time.
 * A probe sent at t arrives at t + d(t), and d varies by at most tol_s: the
 * lost sends span at most down_s + tol_s, and the answered ones around them
 * are at least down_s - tol_s apart. On schedule these bounds are the
 * window's length +- one interval; a guest that stalled (a busy TCG host)
 * sent nothing for a while, and the window's edges are only known to there.
 */
bool probe_outage_fits(const struct probe_outage *w, double down_s, double tol_s)
{
	return w->last_s - w->start_s <= down_s + tol_s && w->end_s - w->prev_s >= down_s - tol_s;
}

double probe_loss_bound(double p, uint32_t n)
{
	if (n == 0)
		return 1;
	return 4 * sqrt(p * (1 - p) / n) + 1.0 / n;
}

size_t probe_outages_rle(const struct probe_outage *w, size_t n, char *buf, size_t size)
{
	size_t used = 0, written = 0;
	uint32_t prev_end = 0;

	if (!size)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char item[32];
		int len = snprintf(item, sizeof(item), "%s%u+%u", written ? " " : "",
				   w[i].first - prev_end, w[i].count);

		if (len < 0 || used + len >= size)
			break;
		memcpy(buf + used, item, len + 1);
		used += len;
		written++;
		prev_end = w[i].first + w[i].count;
	}
	return written;
}
