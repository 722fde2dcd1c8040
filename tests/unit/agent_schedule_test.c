// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The agent's check schedule (agent/schedule.h): areas side by side, each in
 * registry order; alone checks with nothing beside them; results written in
 * registry order, each as soon as it and all before it are done.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "schedule.h"

#define A(a)                                                                                       \
	{                                                                                          \
		.area = (a)                                                                        \
	}
#define ALONE(a)                                                                                   \
	{                                                                                          \
		.area = (a), .alone = true                                                         \
	}

/* Every check that may start now, started; their indexes into got[], how many. */
static size_t start_all(struct sched *s, size_t *got)
{
	size_t n = 0, i;

	while ((i = sched_next_start(s)) != SCHED_NONE) {
		sched_started(s, i);
		got[n++] = i;
	}
	return n;
}

static size_t emit_all(struct sched *s, size_t *got)
{
	size_t n = 0, i;

	while ((i = sched_next_emit(s)) != SCHED_NONE)
		got[n++] = i;
	return n;
}

TEST(areas_side_by_side_each_in_order)
{
	struct sched_item it[] = { A(0), A(0), A(1), A(1), A(2) };
	struct sched s = { .items = it, .n = ARRAY_SIZE(it) };
	size_t got[8];

	/* The first of each area, together; never two of one area. */
	ASSERT_EQ(3U, start_all(&s, got));
	EXPECT_EQ(0U, got[0]);
	EXPECT_EQ(2U, got[1]);
	EXPECT_EQ(4U, got[2]);
	sched_finished(&s, 2);
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(3U, got[0]);
	EXPECT_EQ(3U, sched_running(&s));
}

TEST(results_in_registry_order_as_soon_as_possible)
{
	struct sched_item it[] = { A(0), A(1), A(2) };
	struct sched s = { .items = it, .n = ARRAY_SIZE(it) };
	size_t got[8];

	start_all(&s, got);
	sched_finished(&s, 2);
	sched_finished(&s, 1);
	/* Done, but the first is not: nothing may be written yet. */
	EXPECT_EQ(0U, emit_all(&s, got));
	sched_finished(&s, 0);
	ASSERT_EQ(3U, emit_all(&s, got));
	EXPECT_EQ(0U, got[0]);
	EXPECT_EQ(1U, got[1]);
	EXPECT_EQ(2U, got[2]);
	EXPECT_TRUE(sched_complete(&s));
}

TEST(alone_waits_for_all_before_and_runs_with_nothing)
{
	/* 0: area 0; 1: area 1, alone; 2: area 2; 3: area 0 */
	struct sched_item it[] = { A(0), ALONE(1), A(2), A(0) };
	struct sched s = { .items = it, .n = ARRAY_SIZE(it) };
	size_t got[8];

	/* The alone check is not due: the checks after it need not wait. */
	ASSERT_EQ(2U, start_all(&s, got));
	EXPECT_EQ(0U, got[0]);
	EXPECT_EQ(2U, got[1]);
	sched_finished(&s, 0);
	ASSERT_EQ(1U, emit_all(&s, got));
	/* Now it is due: nothing new starts (not 3), and it waits for 2. */
	EXPECT_EQ(0U, start_all(&s, got));
	sched_finished(&s, 2);
	EXPECT_EQ(0U, emit_all(&s, got));
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(1U, got[0]);
	EXPECT_TRUE(sched_live(&s, 1));
	EXPECT_FALSE(sched_live(&s, 2));
	/* While it runs, nothing else. */
	EXPECT_EQ(SCHED_NONE, sched_next_start(&s));
	sched_finished(&s, 1);
	ASSERT_EQ(2U, emit_all(&s, got));
	EXPECT_EQ(1U, got[0]);
	EXPECT_EQ(2U, got[1]);
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(3U, got[0]);
}

TEST(alone_first_and_two_in_a_row)
{
	struct sched_item it[] = { ALONE(0), ALONE(1), A(2) };
	struct sched s = { .items = it, .n = ARRAY_SIZE(it) };
	size_t got[8];

	/* Due at once: it runs first, alone. */
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(0U, got[0]);
	sched_finished(&s, 0);
	EXPECT_EQ(1U, emit_all(&s, got));
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(1U, got[0]);
	sched_finished(&s, 1);
	EXPECT_EQ(1U, emit_all(&s, got));
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(2U, got[0]);
}

/* An area still waiting for its devices holds back its own checks only. */
TEST(waiting_area_holds_back_only_itself)
{
	/* 0, 1: area 0 (its devices not there yet); 2: area 1; 3: area 2, alone */
	struct sched_item it[] = { A(0), A(0), A(1), ALONE(2) };
	struct sched s = { .items = it, .n = ARRAY_SIZE(it) };
	size_t got[8];

	it[0].waiting = it[1].waiting = true;
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(2U, got[0]);
	sched_finished(&s, 2);
	/* Its result waits for the area before it in registry order. */
	EXPECT_EQ(0U, emit_all(&s, got));
	it[0].waiting = it[1].waiting = false;
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(0U, got[0]);
	sched_finished(&s, 0);
	ASSERT_EQ(1U, start_all(&s, got));
	EXPECT_EQ(1U, got[0]);
	sched_finished(&s, 1);
	EXPECT_EQ(3U, emit_all(&s, got));
	/* Due, but waiting: an alone check starts only once its devices are there. */
	it[3].waiting = true;
	EXPECT_EQ(SCHED_NONE, sched_next_start(&s));
	it[3].waiting = false;
	EXPECT_EQ(3U, sched_next_start(&s));
}

TEST(nothing_selected)
{
	struct sched s = { .items = NULL };

	EXPECT_TRUE(sched_complete(&s));
	EXPECT_EQ(SCHED_NONE, sched_next_start(&s));
	EXPECT_EQ(SCHED_NONE, sched_next_emit(&s));
}

/*
 * Random registries and random finishing orders: every check starts once and
 * is written once, in order; one check per area at a time; an alone check
 * overlaps nothing; and the run never stalls.
 */
TEST(random_runs_keep_every_rule)
{
	unsigned int seed = 1;

	for (int round = 0; round < 2000; round++) {
		struct sched_item it[12];
		size_t n = 1 + rand_r(&seed) % ARRAY_SIZE(it), emitted = 0, got[16];
		struct sched s = { .items = it, .n = n };
		int starts[12] = { 0 };

		for (size_t i = 0; i < n; i++)
			it[i] = (struct sched_item){ .area = rand_r(&seed) % 4,
						     .alone = rand_r(&seed) % 5 == 0 };
		while (!sched_complete(&s)) {
			size_t running[12], nrun = 0, k = start_all(&s, got);

			for (size_t j = 0; j < k; j++)
				starts[got[j]]++;
			for (size_t i = 0; i < n; i++)
				if (it[i].state == SCHED_RUNNING)
					running[nrun++] = i;
			ASSERT_GT(nrun, 0U);
			for (size_t a = 0; a < nrun; a++) {
				if (it[running[a]].alone)
					ASSERT_EQ(1U, nrun);
				for (size_t b = a + 1; b < nrun; b++)
					ASSERT_NE(it[running[a]].area, it[running[b]].area);
			}
			sched_finished(&s, running[rand_r(&seed) % nrun]);
			k = emit_all(&s, got);
			for (size_t j = 0; j < k; j++)
				ASSERT_EQ(emitted++, got[j]);
		}
		for (size_t i = 0; i < n; i++)
			ASSERT_EQ(1, starts[i]);
		ASSERT_EQ(n, emitted);
	}
}

TEST_HARNESS_MAIN
