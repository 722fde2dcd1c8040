// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A run set's wall time against its jobs' own (report/report_set.c): the sum
 * over every attempt, and the one line the summary prints, with and without
 * a wall time (a merge of shards has none).
 */
#include <string.h>

#include "kselftest_harness.h"

#include "report/report_set.h"

TEST(job_seconds_add_up)
{
	struct set_job jobs[3] = { { .seconds = 60.5 }, { .seconds = 40 }, { .seconds = 59.5 } };

	EXPECT_TRUE(set_job_seconds(jobs, 3) == 160);
	EXPECT_TRUE(set_job_seconds(jobs, 0) == 0);
}

FIXTURE(line){};
FIXTURE_VARIANT(line)
{
	size_t n;
	double wall, job_seconds;
	const char *line;
};
FIXTURE_SETUP(line)
{
}
FIXTURE_TEARDOWN(line)
{
}

FIXTURE_VARIANT_ADD(line, parallel){
	.n = 7,
	.wall = 95,
	.job_seconds = 160,
	.line = "7 jobs in 95 s wall, 160 s of job time: 1.68x",
};
FIXTURE_VARIANT_ADD(line, one_at_a_time){
	.n = 1,
	.wall = 20.4,
	.job_seconds = 20.1,
	.line = "1 job in 20 s wall, 20 s of job time: 0.99x",
};
FIXTURE_VARIANT_ADD(line, merged){
	.n = 3,
	.wall = -1,
	.job_seconds = 42,
	.line = "3 jobs, 42 s of job time (wall time not known: merged)",
};
/* An empty set that ended at once: no division by zero. */
FIXTURE_VARIANT_ADD(line, nothing){
	.n = 0,
	.wall = 0,
	.job_seconds = 0,
	.line = "0 jobs, 0 s of job time (wall time not known: merged)",
};

TEST_F(line, says)
{
	char buf[128];

	set_speed_line(buf, sizeof(buf), variant->n, variant->wall, variant->job_seconds);
	EXPECT_STREQ(variant->line, buf);
}

TEST_HARNESS_MAIN
