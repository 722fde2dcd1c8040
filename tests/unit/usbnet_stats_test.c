// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loss probe's numbers (checks/usbnet/stats.c) from hand-made per-probe
 * records: loss split by the peer's report, RTT percentiles and jitter,
 * outage windows (also one the run's end cuts), their compact encoding, the
 * statistical bound, and the percentage parser both sides share.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "usbnet/probe_proto.h"
#include "usbnet/usbnet.h"

#define INTERVAL_US 10000

/* "a" answered (rtt 1000 + 100 * i us), "u" lost upstream, "d" lost downstream, "?" unknown, "-"
 * unsent. */
static void fill(struct probe_slot *s, const char *pattern)
{
	for (uint32_t i = 0; pattern[i]; i++) {
		s[i] = (struct probe_slot){ .sent_us = i * INTERVAL_US, .state = PROBE_SENT };
		switch (pattern[i]) {
		case 'a':
			s[i].state = PROBE_ECHOED;
			s[i].rtt_us = 1000 + 100 * i;
			s[i].peer = PEER_RECEIVED;
			break;
		case 'u':
			s[i].peer = PEER_MISSED;
			break;
		case 'd':
			s[i].peer = PEER_RECEIVED;
			break;
		case '-':
			s[i].state = PROBE_UNSENT;
			break;
		}
	}
}

TEST(clean_run)
{
	struct probe_slot s[10];
	uint32_t scratch[10];
	struct probe_stats st;

	fill(s, "aaaaaaaaaa");
	ASSERT_EQ(0, probe_stats_compute(s, 10, &st, scratch));
	EXPECT_EQ(10U, st.sent);
	EXPECT_EQ(10U, st.answered);
	EXPECT_EQ(0U, st.lost);
	EXPECT_EQ(0U, st.outages);
	EXPECT_EQ(1000U, st.rtt_min_us);
	EXPECT_EQ(1900U, st.rtt_max_us);
	EXPECT_EQ(1400U, st.rtt_p50_us); /* nearest rank: the 5th of 10 */
	EXPECT_EQ(1900U, st.rtt_p99_us);
	EXPECT_EQ(1450, (int)st.rtt_avg_us);
	EXPECT_EQ(100, (int)st.jitter_us);
	EXPECT_EQ(0U, probe_outages(s, 10, INTERVAL_US, NULL, 0));
}

TEST(loss_split_up_down_unknown)
{
	struct probe_slot s[12];
	uint32_t scratch[12];
	struct probe_stats st;

	fill(s, "aauuaada?aa-");
	ASSERT_EQ(0, probe_stats_compute(s, 12, &st, scratch));
	EXPECT_EQ(11U, st.sent); /* the unsent one is not a loss */
	EXPECT_EQ(7U, st.answered);
	EXPECT_EQ(4U, st.lost);
	EXPECT_EQ(2U, st.lost_up);
	EXPECT_EQ(1U, st.lost_down);
	EXPECT_EQ(1U, st.lost_unknown);
	EXPECT_EQ(3U, st.outages); /* "uu", "d", "?" */
	EXPECT_EQ(2U, st.longest_outage);
	EXPECT_TRUE(fabs(st.loss - 4.0 / 11) < 1e-9);
}

TEST(jitter_skips_gaps)
{
	struct probe_slot s[4];
	uint32_t scratch[4];
	struct probe_stats st;

	fill(s, "aaua");
	s[3].rtt_us = 9000; /* after a loss: not compared with probe 1 */
	ASSERT_EQ(0, probe_stats_compute(s, 4, &st, scratch));
	EXPECT_EQ(100, (int)st.jitter_us);
}

TEST(outage_windows)
{
	struct probe_slot s[10];
	struct probe_outage w[4];

	fill(s, "aduuaaauud");
	ASSERT_EQ(2U, probe_outages(s, 10, INTERVAL_US, w, 4));
	EXPECT_EQ(1U, w[0].first);
	EXPECT_EQ(3U, w[0].count);
	EXPECT_EQ(2U, w[0].up);
	EXPECT_EQ(1U, w[0].down);
	EXPECT_TRUE(fabs(w[0].start_s - 0.01) < 1e-9);
	EXPECT_TRUE(fabs(w[0].end_s - 0.04) < 1e-9); /* the next answered probe's send */
	/* Cut by the end of the run: closed one interval after the last probe. */
	EXPECT_EQ(7U, w[1].first);
	EXPECT_EQ(3U, w[1].count);
	EXPECT_TRUE(fabs(w[1].end_s - 0.10) < 1e-9);
	/* More windows than room: all counted, the first filled. */
	EXPECT_EQ(2U, probe_outages(s, 10, INTERVAL_US, w, 1));
}

/*
 * A run under load (usbnet-user beside other guests on 2 busy cores): the
 * peer dropped everything arriving in its 500 ms down time, but the guest
 * sent nothing for 395 ms after the last lost probe, then caught up in a
 * burst. The window reads 0.755 s from send to send, yet the sends around
 * it only bound the outage to 0.360-0.765 s: a 500 ms outage fits.
 */
TEST(outage_after_a_stall)
{
	struct probe_slot s[70];
	struct probe_outage w[2];
	double tol = 0.010 + 0.120; /* a probe interval and the slowest round trip */
	char pattern[71];

	memset(pattern, 'a', 70);
	memset(pattern + 10, 'u', 37);
	pattern[70] = '\0';
	fill(s, pattern);
	for (int i = 47; i < 57; i++)
		s[i].sent_us = 855586; /* the burst after the stall */
	ASSERT_EQ(1U, probe_outages(s, 70, INTERVAL_US, w, 2));
	EXPECT_TRUE(fabs(w[0].end_s - w[0].start_s - 0.755586) < 1e-9);
	EXPECT_TRUE(fabs(w[0].last_s - 0.46) < 1e-9);
	EXPECT_TRUE(fabs(w[0].prev_s - 0.09) < 1e-9);
	EXPECT_TRUE(probe_outage_fits(&w[0], 0.5, tol));
	/* What the sends pin down still fails: 0.36 s of lost sends cannot be 200 ms down. */
	EXPECT_FALSE(probe_outage_fits(&w[0], 0.2, tol));

	/* On schedule the bounds are the window's length +- one interval. */
	memset(pattern + 10, 'a', 37);
	memset(pattern + 10, 'u', 50);
	fill(s, pattern);
	ASSERT_EQ(1U, probe_outages(s, 70, INTERVAL_US, w, 2));
	EXPECT_TRUE(probe_outage_fits(&w[0], 0.5, tol));
	EXPECT_FALSE(probe_outage_fits(&w[0], 0.3, tol)); /* 0.49 s of lost sends */
	EXPECT_FALSE(probe_outage_fits(&w[0], 0.7, tol)); /* answered 0.51 s apart */
}

TEST(outage_rle)
{
	struct probe_outage w[3] = { { .first = 12, .count = 1 },
				     { .first = 20, .count = 3 },
				     { .first = 100, .count = 50 } };
	char buf[64];

	EXPECT_EQ(3U, probe_outages_rle(w, 3, buf, sizeof(buf)));
	EXPECT_STREQ("12+1 7+3 77+50", buf);
	/* Whole windows only. */
	EXPECT_EQ(1U, probe_outages_rle(w, 3, buf, 8));
	EXPECT_STREQ("12+1", buf);
}

TEST(loss_bound)
{
	/* 12.5 % over 2000 probes: 4 sigma is about 2.96 %. */
	double b = probe_loss_bound(0.125, 2000);

	EXPECT_TRUE(b > 0.0295 && b < 0.0302);
	EXPECT_TRUE(probe_loss_bound(0, 100) > 0); /* never 0: one probe's worth */
	EXPECT_TRUE(probe_loss_bound(0.125, 0) >= 1);
}

TEST(percentages)
{
	uint32_t ppm;

	ASSERT_EQ(0, probe_parse_percent("12.5%", &ppm));
	EXPECT_EQ(125000U, ppm);
	ASSERT_EQ(0, probe_parse_percent("0.5", &ppm));
	EXPECT_EQ(5000U, ppm);
	ASSERT_EQ(0, probe_parse_percent("100%", &ppm));
	EXPECT_EQ(1000000U, ppm);
	EXPECT_EQ(-EINVAL, probe_parse_percent("101%", &ppm));
	EXPECT_EQ(-EINVAL, probe_parse_percent("-1%", &ppm));
	EXPECT_EQ(-EINVAL, probe_parse_percent("12.5%%", &ppm));
	EXPECT_EQ(-EINVAL, probe_parse_percent("ten", &ppm));
	EXPECT_EQ(-EINVAL, probe_parse_percent("", &ppm));
	EXPECT_EQ(-EINVAL, probe_parse_percent("1e1", &ppm));
}

TEST_HARNESS_MAIN
