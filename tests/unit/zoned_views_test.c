// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks/zoned/views.c over crafted views: agreeing views have no finding,
 * whole and in batches; each field a view can disagree on is caught once,
 * naming the zone, both views and both values; values a view leaves
 * undefined (a full zone's write pointer, NVMe's zone length) are not held
 * against it; the whole-device facts are compared with the device's.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "zoned/views.h"

#define ZS  8192 /* zone size, sectors */
#define CAP 6144 /* zone capacity, sectors */
#define N   4

static struct view_zone zone(uint64_t i, uint8_t cond, uint64_t written)
{
	return (struct view_zone){ .start = i * ZS,
				   .len = ZS,
				   .capacity = CAP,
				   .wp = i * ZS + written,
				   .type = BLK_ZONE_TYPE_SEQWRITE_REQ,
				   .cond = cond };
}

/* Empty, open, closed, full: the same in both views, lengths unstated by the device (NVMe). */
static void views(struct view_zone *k, struct view_zone *d)
{
	k[0] = zone(0, BLK_ZONE_COND_EMPTY, 0);
	k[1] = zone(1, BLK_ZONE_COND_IMP_OPEN, 16);
	k[2] = zone(2, BLK_ZONE_COND_CLOSED, 64);
	k[3] = zone(3, BLK_ZONE_COND_FULL, ZS); /* the kernel puts it at the zone's end */
	memcpy(d, k, N * sizeof(*d));
	for (int i = 0; i < N; i++)
		d[i].len = VIEW_UNSTATED;
	d[3].wp = 3 * ZS + CAP; /* the device at the capacity: both are what drivers do */
}

static void geometry(struct zone_views *v)
{
	for (int id = 0; id < VIEW_SCENARIO; id++) {
		v->geo[id].v[VF_NR_ZONES] = N;
		v->geo[id].v[VF_ZONE_SIZE] = ZS;
	}
	v->geo[VIEW_DEVICE].v[VF_SIZE] = v->geo[VIEW_SYSFS].v[VF_SIZE] = N * ZS;
	v->geo[VIEW_DEVICE].v[VF_MAX_OPEN] = v->geo[VIEW_SYSFS].v[VF_MAX_OPEN] = 4;
	v->geo[VIEW_SCENARIO].v[VF_ZONE_CAP] = CAP;
}

static void compare(struct zone_views *v, const struct view_zone *k, const struct view_zone *d,
		    size_t batch)
{
	zone_views_init(v, "the device (NVMe Report Zones via /dev/ng0n1)");
	geometry(v);
	for (size_t i = 0; i < N; i += batch)
		zone_views_zones(v, k + i, d ? d + i : NULL, batch < N - i ? batch : N - i);
	zone_views_finish(v);
}

TEST(agreeing_views_have_no_finding_in_any_batching)
{
	struct view_zone k[N], d[N];
	struct zone_views v;

	views(k, d);
	for (size_t batch = 1; batch <= N; batch++) {
		compare(&v, k, d, batch);
		EXPECT_EQ(0U, v.total);
		EXPECT_EQ((uint64_t)N, v.zones);
		EXPECT_EQ((uint64_t)CAP, v.geo[VIEW_REPORT].v[VF_ZONE_CAP]);
		EXPECT_EQ((uint64_t)CAP, v.geo[VIEW_DEVICE].v[VF_ZONE_CAP]);
	}
}

FIXTURE(one_difference)
{
	struct view_zone k[N], d[N];
	struct zone_views v;
	char msg[512];
};

FIXTURE_VARIANT(one_difference)
{
	enum view_field field;
	int zone;
	uint64_t value; /* the device's, in the zone's own terms */
	const char *says;
};

FIXTURE_VARIANT_ADD(one_difference, condition){
	.field = VF_COND,
	.zone = 1,
	.value = BLK_ZONE_COND_CLOSED,
	.says = "zone 1 (sector 8192): zone condition: BLKREPORTZONE says implicitly-open, the "
		"device (NVMe Report Zones via /dev/ng0n1) says closed",
};

FIXTURE_VARIANT_ADD(one_difference, type){
	.field = VF_TYPE,
	.zone = 0,
	.value = BLK_ZONE_TYPE_SEQWRITE_PREF,
	.says = "zone 0 (sector 0): zone type: BLKREPORTZONE says seq-write-required, the device "
		"(NVMe Report Zones via /dev/ng0n1) says seq-write-preferred",
};

FIXTURE_VARIANT_ADD(one_difference, write_pointer){
	.field = VF_WP,
	.zone = 2,
	.value = 2 * ZS + 72,
	.says = "zone 2 (sector 16384): write pointer: BLKREPORTZONE says sector 16448, the "
		"device (NVMe Report Zones via /dev/ng0n1) says sector 16456",
};

FIXTURE_VARIANT_ADD(one_difference, capacity){
	.field = VF_CAP,
	.zone = 3,
	.value = ZS,
	.says = "zone 3 (sector 24576): zone capacity: BLKREPORTZONE says 6144 sectors (3 MiB), "
		"the device (NVMe Report Zones via /dev/ng0n1) says 8192 sectors (4 MiB)",
};

FIXTURE_VARIANT_ADD(one_difference, start){
	.field = VF_START,
	.zone = 2,
	.value = 2 * ZS + ZS / 2,
	.says = "zone 2 (sector 16384): zone start: BLKREPORTZONE says sector 16384, the device "
		"(NVMe Report Zones via /dev/ng0n1) says sector 20480",
};

FIXTURE_VARIANT_ADD(one_difference, length){
	.field = VF_LEN,
	.zone = 0,
	.value = ZS / 2,
	.says = "zone 0 (sector 0): zone length: BLKREPORTZONE says 8192 sectors (4 MiB), the "
		"device (NVMe Report Zones via /dev/ng0n1) says 4096 sectors (2 MiB)",
};

FIXTURE_SETUP(one_difference)
{
	views(self->k, self->d);
}

FIXTURE_TEARDOWN(one_difference)
{
}

static void set_field(struct view_zone *z, enum view_field f, uint64_t value)
{
	switch (f) {
	case VF_COND:
		z->cond = value;
		break;
	case VF_TYPE:
		z->type = value;
		break;
	case VF_WP:
		z->wp = value;
		break;
	case VF_CAP:
		z->capacity = value;
		break;
	case VF_START:
		z->start = value;
		break;
	case VF_LEN:
		z->len = value;
		break;
	default:
		break;
	}
}

TEST_F(one_difference, is_caught_once_and_named)
{
	set_field(&self->d[variant->zone], variant->field, variant->value);
	compare(&self->v, self->k, self->d, 3);
	ASSERT_EQ(1U, self->v.total);
	EXPECT_EQ(1U, self->v.count[variant->field]);
	EXPECT_EQ((uint64_t)variant->zone, self->v.kept[0].zone);
	view_finding_format(&self->v, &self->v.kept[0], self->msg, sizeof(self->msg));
	EXPECT_NE(NULL, strstr(self->msg, variant->says))
	TH_LOG("%s", self->msg);
}

TEST(undefined_write_pointers_and_unstated_lengths_are_not_compared)
{
	struct view_zone k[N], d[N];
	struct zone_views v;

	views(k, d);
	d[3].wp = 0; /* a full zone's pointer: undefined (ZNS, ZBC) */
	k[0].type = d[0].type = BLK_ZONE_TYPE_CONVENTIONAL;
	k[0].cond = d[0].cond = BLK_ZONE_COND_NOT_WP;
	k[0].wp = UINT64_MAX; /* a conventional zone's: undefined too */
	d[0].capacity = 1;    /* and its capacity is not a sequential zone's */
	compare(&v, k, d, N);
	EXPECT_EQ(0U, v.total);
	/* The first sequential zone states the capacity. */
	EXPECT_EQ((uint64_t)CAP, v.geo[VIEW_DEVICE].v[VF_ZONE_CAP]);
}

TEST(many_differences_are_counted_and_a_few_kept)
{
	struct view_zone k[N], d[N];
	struct zone_views v;

	views(k, d);
	for (int i = 0; i < N; i++)
		d[i].capacity = ZS; /* the capacity trap: every zone */
	compare(&v, k, d, 1);
	EXPECT_EQ((uint64_t)N, v.count[VF_CAP]);
	/* The first sequential zone's: the kernel and the scenario against the device. */
	EXPECT_EQ(2U, v.count[VF_ZONE_CAP]);
	EXPECT_EQ((size_t)VIEW_KEEP_PER_FIELD + 2, v.nkept);
}

TEST(a_kernel_without_the_capacity_flag_reads_the_length)
{
	struct blk_zone b = { .start = ZS,
			      .len = ZS,
			      .capacity = CAP,
			      .wp = ZS,
			      .type = BLK_ZONE_TYPE_SEQWRITE_REQ,
			      .cond = BLK_ZONE_COND_EMPTY };
	struct view_zone with = view_zone_from_blk(&b, true),
			 without = view_zone_from_blk(&b, false);

	EXPECT_EQ((uint64_t)CAP, with.capacity);
	EXPECT_EQ((uint64_t)ZS, without.capacity);
}

TEST(whole_device_facts_name_each_view_that_differs)
{
	struct view_zone k[N], d[N];
	struct zone_views v;
	char msg[512];

	views(k, d);
	zone_views_init(&v, "the device (SCSI REPORT ZONES via SG_IO on /dev/sda)");
	geometry(&v);
	v.geo[VIEW_SYSFS].v[VF_ZONE_SIZE] = ZS / 2; /* a stale chunk_sectors */
	v.geo[VIEW_IOCTL].v[VF_NR_ZONES] = N + 1;
	v.geo[VIEW_SCENARIO].v[VF_ZONE_CAP] = ZS; /* the scenario expects no capacity below size */
	zone_views_zones(&v, k, d, N);
	zone_views_finish(&v);
	ASSERT_EQ(3U, v.total);
	view_finding_format(&v, &v.kept[0], msg, sizeof(msg));
	EXPECT_STREQ(
		"number of zones: the device (SCSI REPORT ZONES via SG_IO on /dev/sda) says 4, "
		"BLKGETNRZONES says 5",
		msg);
	view_finding_format(&v, &v.kept[1], msg, sizeof(msg));
	EXPECT_STREQ("zone size: the device (SCSI REPORT ZONES via SG_IO on /dev/sda) says 8192 "
		     "sectors (4 MiB), sysfs (queue/chunk_sectors) says 4096 sectors (2 MiB)",
		     msg);
	view_finding_format(&v, &v.kept[2], msg, sizeof(msg));
	EXPECT_STREQ(
		"zone capacity of the first sequential zone: the device (SCSI REPORT ZONES via "
		"SG_IO on /dev/sda) says 6144 sectors (3 MiB), the scenario expects 8192 sectors "
		"(4 "
		"MiB)",
		msg);
}

TEST(without_a_device_the_kernel_views_are_still_compared)
{
	struct view_zone k[N], d[N];
	struct zone_views v;

	views(k, d);
	zone_views_init(&v, NULL);
	v.geo[VIEW_SYSFS].v[VF_NR_ZONES] = N;
	v.geo[VIEW_REPORT].v[VF_NR_ZONES] = N - 1; /* the report ran short */
	zone_views_zones(&v, k, NULL, N);
	zone_views_finish(&v);
	EXPECT_EQ((uint64_t)N, v.zones);
	EXPECT_EQ(1U, v.count[VF_NR_ZONES]);
	EXPECT_EQ((int)VIEW_REPORT, (int)v.kept[0].a);
	EXPECT_EQ((int)VIEW_SYSFS, (int)v.kept[0].b);
}

TEST(a_multipath_head_that_differs_is_named_not_failed)
{
	struct view_zone k[N], d[N];
	struct zone_views v;
	char msg[512];

	views(k, d);
	zone_views_init(&v, "the device (NVMe Report Zones via /dev/ng0n1)");
	geometry(&v);
	v.geo[VIEW_HEAD].v[VF_MAX_OPEN] = 0; /* Linux 6.1 and 6.12 under QEMU 10.0 */
	zone_views_zones(&v, k, d, N);
	zone_views_finish(&v);
	EXPECT_EQ(0U, v.total);
	ASSERT_EQ(1U, v.nhead);
	view_finding_format(&v, &v.head[0], msg, sizeof(msg));
	EXPECT_STREQ("open zone limit: the device (NVMe Report Zones via /dev/ng0n1) says 4, sysfs "
		     "of the multipath head (queue/max_open_zones) says none",
		     msg);
}

TEST_HARNESS_MAIN
