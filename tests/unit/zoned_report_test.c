// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks/zoned/validate.c over crafted zone reports: a consistent report
 * passes whole and in batches, and each inconsistency it must catch is
 * caught, once, with a message naming the zone, what was seen and expected.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "zoned/validate.h"

#define ZS  8192 /* zone size, sectors (4 MiB) */
#define CAP 6144 /* zone capacity, sectors (3 MiB) */

static struct blk_zone seq_zone(uint64_t start, uint8_t cond, uint64_t wp)
{
	return (struct blk_zone){ .start = start,
				  .len = ZS,
				  .wp = wp,
				  .capacity = CAP,
				  .type = BLK_ZONE_TYPE_SEQWRITE_REQ,
				  .cond = cond };
}

static struct blk_zone conv_zone(uint64_t start)
{
	return (struct blk_zone){ .start = start,
				  .len = ZS,
				  .wp = UINT64_MAX,
				  .capacity = ZS,
				  .type = BLK_ZONE_TYPE_CONVENTIONAL,
				  .cond = BLK_ZONE_COND_NOT_WP };
}

/* One conventional zone, then empty, open, closed and full sequential zones. */
static void good_report(struct blk_zone *z)
{
	z[0] = conv_zone(0);
	z[1] = seq_zone(1 * ZS, BLK_ZONE_COND_EMPTY, 1 * ZS);
	z[2] = seq_zone(2 * ZS, BLK_ZONE_COND_IMP_OPEN, 2 * ZS + 16);
	z[3] = seq_zone(3 * ZS, BLK_ZONE_COND_CLOSED, 3 * ZS + CAP - 8);
	z[4] = seq_zone(4 * ZS, BLK_ZONE_COND_FULL, 4 * ZS + ZS);
}

static struct zone_geometry geometry(uint64_t zones)
{
	return (struct zone_geometry){ .capacity = zones * ZS,
				       .zone_sectors = ZS,
				       .nr_zones = zones,
				       .model = ZONED_HOST_MANAGED,
				       .rep_capacity = true,
				       .expect_conv = 1,
				       .expect_cap = CAP };
}

static void validate(struct zone_validator *v, const struct zone_geometry *g,
		     const struct blk_zone *z, size_t n)
{
	zone_validate_init(v, g);
	zone_validate_batch(v, z, n);
	zone_validate_finish(v);
}

/* The only problem found, and how often. */
static enum zone_problem only_problem(const struct zone_validator *v, uint64_t *count)
{
	int found = -1;

	for (int p = 0; p < ZP_NR; p++)
		if (v->count[p]) {
			if (found >= 0)
				return ZP_NR; /* more than one kind */
			found = p;
		}
	*count = found >= 0 ? v->count[found] : 0;
	return found >= 0 ? (enum zone_problem)found : ZP_NR;
}

#define EXPECT_ONLY(v, problem, n)                                                                 \
	do {                                                                                       \
		uint64_t _count;                                                                   \
		EXPECT_EQ((int)(problem), (int)only_problem(v, &_count));                          \
		EXPECT_EQ((uint64_t)(n), _count);                                                  \
	} while (0)

TEST(consistent_report_has_no_findings)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	validate(&v, &g, z, 5);
	EXPECT_EQ(0U, v.total);
	EXPECT_EQ(5U, v.stats.zones);
	EXPECT_EQ(1U, v.stats.by_type[BLK_ZONE_TYPE_CONVENTIONAL]);
	EXPECT_EQ(4U, v.stats.by_type[BLK_ZONE_TYPE_SEQWRITE_REQ]);
	EXPECT_EQ(1U, v.stats.by_cond[BLK_ZONE_COND_FULL]);
	EXPECT_EQ((uint64_t)CAP, v.stats.min_cap);
}

TEST(batches_of_one_find_the_same)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[2].start += 8; /* a gap before zone 2 and an overlap... */
	zone_validate_init(&v, &g);
	for (int i = 0; i < 5; i++)
		zone_validate_batch(&v, &z[i], 1);
	zone_validate_finish(&v);
	/* ...is one finding at zone 2 and one at zone 3, wherever the batches split. */
	EXPECT_ONLY(&v, ZP_START, 2);
	EXPECT_EQ(2U, v.kept[0].zone);
	EXPECT_EQ(3U, v.kept[1].zone);
}

TEST(short_last_zone_is_allowed_short_middle_zone_is_not)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[4].len = ZS / 2;
	z[4].wp = z[4].start + z[4].len;
	z[4].capacity = ZS / 2;
	g.capacity -= ZS / 2;
	validate(&v, &g, z, 5);
	EXPECT_EQ(0U, v.total);

	good_report(z);
	z[1].len = ZS / 2;
	z[1].capacity = ZS / 4;
	g = geometry(5);
	g.expect_cap = ZONED_UNSET;
	validate(&v, &g, z, 5);
	/* Zone 1 is short and zone 2 does not start where it ended. */
	EXPECT_EQ(1U, v.count[ZP_LEN]);
	EXPECT_EQ(1U, v.count[ZP_START]);
	EXPECT_EQ(1U, v.kept[0].zone);
}

TEST(zone_past_the_end_and_uncovered_end)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	g.capacity -= 100;
	validate(&v, &g, z, 5);
	EXPECT_EQ(1U, v.count[ZP_PAST_END]);
	EXPECT_EQ(1U, v.count[ZP_COVERAGE]);

	/* The report stops a zone early: count and coverage. */
	g = geometry(5);
	validate(&v, &g, z, 4);
	EXPECT_EQ(1U, v.count[ZP_COUNT]);
	EXPECT_EQ(1U, v.count[ZP_COVERAGE]);
	EXPECT_EQ(2U, v.total);
}

TEST(count_differs_from_nr_zones)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	g.nr_zones = 6;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_COUNT, 1);
	EXPECT_EQ(6U, v.kept[0].expected);
	EXPECT_EQ(5U, v.kept[0].seen);
}

TEST(undefined_type_and_condition)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[2].type = 7;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_TYPE, 1);

	good_report(z);
	z[3].cond = 0x9; /* reserved by ZBC/ZAC */
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_COND, 1);
}

TEST(capacity_larger_than_zone_or_unexpected)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[1].capacity = ZS + 8;
	g.expect_cap = ZONED_UNSET;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_CAP_LEN, 1);

	good_report(z);
	z[2].capacity = CAP - 8;
	g = geometry(5);
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_CAP, 1);
	EXPECT_EQ((uint64_t)CAP, v.kept[0].expected);
}

TEST(capacity_field_ignored_without_the_flag)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	for (int i = 0; i < 5; i++)
		z[i].capacity = 12345678; /* not filled in: garbage */
	g.rep_capacity = false;
	g.expect_cap = ZONED_UNSET;
	validate(&v, &g, z, 5);
	EXPECT_EQ(0U, v.total);
	EXPECT_EQ((uint64_t)ZS, v.stats.max_cap);
}

TEST(write_pointer_conditions_of_conventional_and_sequential_zones)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[0].cond = BLK_ZONE_COND_EMPTY;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_CONV_WP, 1);

	good_report(z);
	z[1].cond = BLK_ZONE_COND_NOT_WP;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_SEQ_NOT_WP, 1);
}

TEST(zone_type_against_the_model)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[3].type = BLK_ZONE_TYPE_SEQWRITE_PREF;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_MODEL_TYPE, 1);

	/* A host-aware device has sequential-write-preferred zones, all of them. */
	g.model = ZONED_HOST_AWARE;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_MODEL_TYPE, 3);
}

TEST(conventional_zones_where_expected)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	g.expect_conv = 2;
	validate(&v, &g, z, 5);
	EXPECT_EQ(1U, v.count[ZP_CONV_PLACE]); /* zone 1 should be conventional */
	EXPECT_EQ(1U, v.count[ZP_CONV_COUNT]);
	EXPECT_EQ(2U, v.total);

	good_report(z);
	z[2] = conv_zone(2 * ZS); /* a conventional zone among sequential ones */
	g = geometry(5);
	validate(&v, &g, z, 5);
	EXPECT_EQ(1U, v.count[ZP_CONV_PLACE]);
	EXPECT_EQ(2U, v.kept[0].zone);

	/* With no expectation, any layout of conventional zones is fine. */
	g.expect_conv = ZONED_UNSET;
	validate(&v, &g, z, 5);
	EXPECT_EQ(0U, v.total);
}

TEST(write_pointer_outside_its_zone)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[2].wp = z[2].start - 8;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_WP_OUTSIDE, 1);

	good_report(z);
	z[4].wp = z[4].start + ZS + 8;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_WP_OUTSIDE, 1);
}

TEST(write_pointer_past_capacity_of_an_open_zone)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[2].wp = z[2].start + CAP + 8;
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_WP_PAST_CAP, 1);
}

TEST(write_pointer_disagrees_with_condition)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[1].wp = z[1].start + 8; /* empty, but written */
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_WP_COND, 1);

	good_report(z);
	z[3].wp = z[3].start + CAP; /* closed at its capacity: it is full */
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_WP_COND, 1);

	good_report(z);
	z[4].wp = z[4].start + CAP - 8; /* full below its capacity */
	validate(&v, &g, z, 5);
	EXPECT_ONLY(&v, ZP_WP_COND, 1);

	/* Full at the capacity (null_blk after writes) and at the end (after finish) are fine. */
	good_report(z);
	z[4].wp = z[4].start + CAP;
	validate(&v, &g, z, 5);
	EXPECT_EQ(0U, v.total);
}

TEST(undefined_write_pointer_of_read_only_and_offline_zones)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;

	good_report(z);
	z[2].cond = BLK_ZONE_COND_READONLY;
	z[2].wp = UINT64_MAX;
	z[3].cond = BLK_ZONE_COND_OFFLINE;
	z[3].wp = 0;
	validate(&v, &g, z, 5);
	EXPECT_EQ(0U, v.total);
}

TEST(many_findings_keep_a_few_and_count_all)
{
	static struct blk_zone z[1000];
	struct zone_geometry g = geometry(1000);
	struct zone_validator v;

	for (int i = 0; i < 1000; i++)
		z[i] = seq_zone((uint64_t)i * ZS, BLK_ZONE_COND_EMPTY, (uint64_t)i * ZS + 8);
	g.expect_conv = 0;
	validate(&v, &g, z, 1000);
	EXPECT_EQ(1000U, v.count[ZP_WP_COND]);
	EXPECT_EQ(1000U, v.total);
	EXPECT_EQ((size_t)ZONE_KEEP_PER_PROBLEM, v.nkept);
}

TEST(messages_name_zone_seen_and_expected)
{
	struct blk_zone z[5];
	struct zone_geometry g = geometry(5);
	struct zone_validator v;
	char msg[384];

	good_report(z);
	z[1].wp = z[1].start + 8;
	validate(&v, &g, z, 5);
	ASSERT_EQ(1U, v.nkept);
	zone_finding_format(&v.kept[0], msg, sizeof(msg));
	EXPECT_STREQ("zone 1 (sector 8192, seq-write-required, empty): the write pointer disagrees "
		     "with the zone condition: write pointer sector 8200, expected 8192",
		     msg);

	good_report(z);
	g.nr_zones = 7;
	validate(&v, &g, z, 5);
	ASSERT_EQ(1U, v.nkept);
	zone_finding_format(&v.kept[0], msg, sizeof(msg));
	EXPECT_STREQ("the report's number of zones differs from nr_zones (BLKGETNRZONES): zones 5, "
		     "expected 7",
		     msg);

	good_report(z);
	z[4].wp = z[4].start + CAP - 8;
	g = geometry(5);
	validate(&v, &g, z, 5);
	zone_finding_format(&v.kept[0], msg, sizeof(msg));
	EXPECT_STREQ("zone 4 (sector 32768, seq-write-required, full): the write pointer "
		     "disagrees with the zone condition: write pointer sector 38904, expected at "
		     "least 38912",
		     msg);
}

TEST_HARNESS_MAIN
