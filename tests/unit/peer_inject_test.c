// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The peer's injected loss (host-runner/usbnet/peer_inject.c): a Bernoulli rate
 * that holds over many draws and repeats with its seed, and an on/off
 * schedule that starts at the first probe and switches exactly on time.
 */
#include <math.h>

#include "kselftest_harness.h"

#include "usbnet/peer_inject.h"

#define MS 1000000ull

TEST(bernoulli_rate_holds)
{
	struct peer_inject in;
	uint32_t dropped = 0, n = 200000;

	peer_inject_init(&in, 125000, 0, 0, 42);
	for (uint32_t i = 0; i < n; i++)
		dropped += peer_inject_drop(&in, 1000 * MS + i * MS);
	/* 12.5 % within 4 sigma of 200000 draws (about 0.3 %). */
	EXPECT_TRUE(fabs(dropped / (double)n - 0.125) < 4 * sqrt(0.125 * 0.875 / n))
	{
		TH_LOG("dropped %u of %u", dropped, n);
	}
}

TEST(bernoulli_repeats_with_its_seed)
{
	struct peer_inject a, b, c;
	int same = 1, differ = 0;

	peer_inject_init(&a, 500000, 0, 0, 7);
	peer_inject_init(&b, 500000, 0, 0, 7);
	peer_inject_init(&c, 500000, 0, 0, 8);
	for (int i = 0; i < 1000; i++) {
		bool x = peer_inject_drop(&a, i * MS), y = peer_inject_drop(&b, i * MS);

		same &= x == y;
		differ |= x != peer_inject_drop(&c, i * MS);
	}
	EXPECT_TRUE(same);
	EXPECT_TRUE(differ);
}

TEST(no_injection_drops_nothing)
{
	struct peer_inject in;

	peer_inject_init(&in, 0, 0, 0, 1);
	for (int i = 0; i < 1000; i++)
		ASSERT_FALSE(peer_inject_drop(&in, i * MS));
}

TEST(schedule_from_the_first_probe)
{
	struct peer_inject in;
	uint64_t t0 = 5000 * MS; /* the first probe's arrival: the schedule's zero */

	peer_inject_init(&in, 0, 20000, 120000, 1); /* 20 s up, 120 s down */
	EXPECT_FALSE(peer_inject_drop(&in, t0));
	EXPECT_FALSE(peer_inject_drop(&in, t0 + 19999 * MS));
	EXPECT_TRUE(peer_inject_drop(&in, t0 + 20000 * MS));
	EXPECT_TRUE(peer_inject_drop(&in, t0 + 139999 * MS));
	EXPECT_FALSE(peer_inject_drop(&in, t0 + 140000 * MS)); /* the next period */
	EXPECT_TRUE(peer_inject_drop(&in, t0 + 160000 * MS));
	EXPECT_EQ(t0, in.origin_ns);
	/* 7 of 8 probes lost over a period, as the users saw. */
	EXPECT_TRUE(peer_inject_schedule_down(&in, 30000 * MS));
	EXPECT_FALSE(peer_inject_schedule_down(&in, 10000 * MS));
}

TEST_HARNESS_MAIN
