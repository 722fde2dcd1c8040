// SPDX-License-Identifier: GPL-2.0-or-later
#include "validate.h"

#include <stdio.h>
#include <string.h>

/* How a finding's two values read: numbers, or decoded types and conditions. */
enum zone_value { ZV_NUM, ZV_TYPE, ZV_COND, ZV_CONV };

static const struct {
	const char *text;
	const char *unit; /* what the numbers count */
	enum zone_value value;
	bool per_zone; /* about one zone, else about the whole report */
} problems[ZP_NR] = {
	[ZP_START] = { "the zone does not start where the previous one ended", "start sector",
		       ZV_NUM, true },
	[ZP_LEN] = { "the zone length is not the zone size (only the last zone may be shorter)",
		     "sectors", ZV_NUM, true },
	[ZP_PAST_END] = { "the zone reaches past the end of the device", "end sector", ZV_NUM,
			  true },
	[ZP_TYPE] = { "undefined zone type", "type", ZV_NUM, true },
	[ZP_COND] = { "undefined zone condition", "condition", ZV_NUM, true },
	[ZP_CAP_LEN] = { "the zone capacity is 0 or larger than the zone", "capacity sectors",
			 ZV_NUM, true },
	[ZP_CAP] = { "the zone capacity is not the expected one", "capacity sectors", ZV_NUM,
		     true },
	[ZP_CONV_WP] = { "a conventional zone reports a write pointer condition", "condition",
			 ZV_COND, true },
	[ZP_SEQ_NOT_WP] = { "a sequential zone reports no write pointer", "condition", ZV_COND,
			    true },
	[ZP_MODEL_TYPE] = { "the zone type does not belong to the device's zoned model", "type",
			    ZV_TYPE, true },
	[ZP_CONV_PLACE] = { "conventional zones are not where the scenario puts them (the "
			    "first conv_zones zones)",
			    "zone", ZV_CONV, true },
	[ZP_WP_OUTSIDE] = { "the write pointer lies outside the zone", "write pointer sector",
			    ZV_NUM, true },
	[ZP_WP_PAST_CAP] = { "the write pointer of a zone that is not full lies past the zone "
			     "capacity",
			     "write pointer sector", ZV_NUM, true },
	[ZP_WP_COND] = { "the write pointer disagrees with the zone condition",
			 "write pointer sector", ZV_NUM, true },
	[ZP_COUNT] = { "the report's number of zones differs from nr_zones (BLKGETNRZONES)",
		       "zones", ZV_NUM, false },
	[ZP_COVERAGE] = { "the zones do not cover the device", "last zone end sector", ZV_NUM,
			  false },
	[ZP_CONV_COUNT] = { "the number of conventional zones differs from the expectation",
			    "conventional zones", ZV_NUM, false },
};

static const char *const relation_str[] = {
	[ZR_EQUAL] = "",
	[ZR_BELOW] = "below ",
	[ZR_AT_LEAST] = "at least ",
	[ZR_AT_MOST] = "at most ",
};

void zone_validate_init(struct zone_validator *v, const struct zone_geometry *geo)
{
	*v = (struct zone_validator){ .geo = *geo };
	v->stats.min_cap = UINT64_MAX;
}

static void keep(struct zone_validator *v, const struct zone_finding *f)
{
	v->total++;
	if (v->count[f->problem]++ < ZONE_KEEP_PER_PROBLEM && v->nkept < ZONE_KEEP_MAX)
		v->kept[v->nkept++] = *f;
}

static void add(struct zone_validator *v, enum zone_problem p, enum zone_relation rel,
		const struct blk_zone *z, uint64_t index, uint64_t expected, uint64_t seen)
{
	struct zone_finding f = {
		.problem = p, .rel = rel, .zone = index, .expected = expected, .seen = seen
	};

	if (z) {
		f.start = z->start;
		f.type = z->type;
		f.cond = z->cond;
	}
	keep(v, &f);
}

static bool model_type_ok(enum zoned_model model, unsigned int type, unsigned int *want)
{
	if (model == ZONED_HOST_MANAGED)
		*want = BLK_ZONE_TYPE_SEQWRITE_REQ;
	else if (model == ZONED_HOST_AWARE)
		*want = BLK_ZONE_TYPE_SEQWRITE_PREF;
	else
		return true;
	return type == *want;
}

/* Where the write pointer of a sequential zone may be, given its condition. */
static void check_write_pointer(struct zone_validator *v, const struct blk_zone *z, uint64_t i,
				uint64_t cap)
{
	uint64_t cap_end = z->start + cap, end = z->start + z->len;

	/* ZBC, ZAC and ZNS leave the write pointer undefined in these conditions. */
	if (z->cond == BLK_ZONE_COND_READONLY || z->cond == BLK_ZONE_COND_OFFLINE)
		return;
	if (z->wp < z->start) {
		add(v, ZP_WP_OUTSIDE, ZR_AT_LEAST, z, i, z->start, z->wp);
		return;
	}
	if (z->wp > end) {
		add(v, ZP_WP_OUTSIDE, ZR_AT_MOST, z, i, end, z->wp);
		return;
	}
	switch (z->cond) {
	case BLK_ZONE_COND_EMPTY:
		if (z->wp != z->start)
			add(v, ZP_WP_COND, ZR_EQUAL, z, i, z->start, z->wp);
		break;
	case BLK_ZONE_COND_IMP_OPEN:
	case BLK_ZONE_COND_EXP_OPEN:
	case BLK_ZONE_COND_CLOSED:
		if (z->wp > cap_end)
			add(v, ZP_WP_PAST_CAP, ZR_BELOW, z, i, cap_end, z->wp);
		else if (z->wp == cap_end) /* written to its capacity: it should be full */
			add(v, ZP_WP_COND, ZR_BELOW, z, i, cap_end, z->wp);
		break;
	case BLK_ZONE_COND_FULL:
		/* Drivers put a full zone's pointer at its capacity or at its end. */
		if (z->wp < cap_end)
			add(v, ZP_WP_COND, ZR_AT_LEAST, z, i, cap_end, z->wp);
		break;
	}
}

static void check_zone(struct zone_validator *v, const struct blk_zone *z)
{
	const struct zone_geometry *g = &v->geo;
	uint64_t i = v->stats.zones++, cap, end = z->start + z->len;
	bool conv = z->type == BLK_ZONE_TYPE_CONVENTIONAL;
	unsigned int want;

	/* A zone shorter than the zone size is allowed only last: this one follows it. */
	if (v->short_pending) {
		keep(v, &v->short_zone);
		v->short_pending = false;
	}
	if (z->start != v->next_start)
		add(v, ZP_START, ZR_EQUAL, z, i, v->next_start, z->start);
	/* Go on from this zone, so that one gap is one finding. */
	v->next_start = end;
	if (!z->len || (g->zone_sectors && z->len > g->zone_sectors)) {
		add(v, ZP_LEN, ZR_EQUAL, z, i, g->zone_sectors, z->len);
	} else if (g->zone_sectors && z->len < g->zone_sectors) {
		v->short_pending = true;
		v->short_zone = (struct zone_finding){ .problem = ZP_LEN,
						       .zone = i,
						       .start = z->start,
						       .expected = g->zone_sectors,
						       .seen = z->len,
						       .type = z->type,
						       .cond = z->cond };
	}
	if (end > g->capacity)
		add(v, ZP_PAST_END, ZR_AT_MOST, z, i, g->capacity, end);
	v->stats.by_type[zone_type_valid(z->type) ? z->type : 0]++;
	if (z->cond < ARRAY_SIZE(v->stats.by_cond))
		v->stats.by_cond[z->cond]++;
	if (!zone_type_valid(z->type)) {
		add(v, ZP_TYPE, ZR_EQUAL, z, i, 0, z->type);
		return;
	}
	if (!zone_cond_valid(z->cond)) {
		add(v, ZP_COND, ZR_EQUAL, z, i, 0, z->cond);
		return;
	}
	/* Without BLK_ZONE_REP_CAPACITY the field is not filled: capacity is length. */
	cap = g->rep_capacity ? z->capacity : z->len;
	if (!cap || cap > z->len) {
		add(v, ZP_CAP_LEN, ZR_AT_MOST, z, i, z->len, cap);
		cap = z->len;
	}
	if (g->expect_conv != ZONED_UNSET && conv != (i < g->expect_conv))
		add(v, ZP_CONV_PLACE, ZR_EQUAL, z, i, i < g->expect_conv, conv);
	if (conv) {
		if (z->cond != BLK_ZONE_COND_NOT_WP)
			add(v, ZP_CONV_WP, ZR_EQUAL, z, i, BLK_ZONE_COND_NOT_WP, z->cond);
		return;
	}
	if (z->cond == BLK_ZONE_COND_NOT_WP) {
		add(v, ZP_SEQ_NOT_WP, ZR_EQUAL, z, i, BLK_ZONE_COND_EMPTY, z->cond);
		return;
	}
	if (!model_type_ok(g->model, z->type, &want))
		add(v, ZP_MODEL_TYPE, ZR_EQUAL, z, i, want, z->type);
	if (cap < v->stats.min_cap)
		v->stats.min_cap = cap;
	if (cap > v->stats.max_cap)
		v->stats.max_cap = cap;
	if (g->expect_cap != ZONED_UNSET) {
		uint64_t exp = g->expect_cap < z->len ? g->expect_cap : z->len;

		if (cap != exp)
			add(v, ZP_CAP, ZR_EQUAL, z, i, exp, cap);
	}
	check_write_pointer(v, z, i, cap);
}

void zone_validate_batch(struct zone_validator *v, const struct blk_zone *zones, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_zone(v, &zones[i]);
}

void zone_validate_finish(struct zone_validator *v)
{
	const struct zone_geometry *g = &v->geo;

	if (v->stats.zones != g->nr_zones)
		add(v, ZP_COUNT, ZR_EQUAL, NULL, 0, g->nr_zones, v->stats.zones);
	if (v->next_start != g->capacity)
		add(v, ZP_COVERAGE, ZR_EQUAL, NULL, 0, g->capacity, v->next_start);
	if (g->expect_conv != ZONED_UNSET &&
	    v->stats.by_type[BLK_ZONE_TYPE_CONVENTIONAL] != g->expect_conv)
		add(v, ZP_CONV_COUNT, ZR_EQUAL, NULL, 0, g->expect_conv,
		    v->stats.by_type[BLK_ZONE_TYPE_CONVENTIONAL]);
	if (v->stats.min_cap == UINT64_MAX)
		v->stats.min_cap = 0;
}

static void format_value(enum zone_value kind, uint64_t value, char *buf, size_t size)
{
	switch (kind) {
	case ZV_TYPE:
		snprintf(buf, size, "%s", zone_type_name(value));
		break;
	case ZV_COND:
		snprintf(buf, size, "%s", zone_cond_name(value));
		break;
	case ZV_CONV:
		snprintf(buf, size, "%s", value ? "conventional" : "sequential");
		break;
	case ZV_NUM:
		snprintf(buf, size, "%llu", (unsigned long long)value);
		break;
	}
}

void zone_finding_format(const struct zone_finding *f, char *buf, size_t size)
{
	char seen[48], expected[48];
	enum zone_value kind = problems[f->problem].value;

	format_value(kind, f->seen, seen, sizeof(seen));
	format_value(kind, f->expected, expected, sizeof(expected));
	if (f->problem == ZP_TYPE || f->problem == ZP_COND) {
		snprintf(buf, size, "zone %llu (sector %llu): %s: saw %#llx",
			 (unsigned long long)f->zone, (unsigned long long)f->start,
			 problems[f->problem].text, (unsigned long long)f->seen);
		return;
	}
	if (!problems[f->problem].per_zone) {
		snprintf(buf, size, "%s: %s %s, expected %s%s", problems[f->problem].text,
			 problems[f->problem].unit, seen, relation_str[f->rel], expected);
		return;
	}
	snprintf(buf, size, "zone %llu (sector %llu, %s, %s): %s: %s %s, expected %s%s",
		 (unsigned long long)f->zone, (unsigned long long)f->start, zone_type_name(f->type),
		 zone_cond_name(f->cond), problems[f->problem].text, problems[f->problem].unit,
		 seen, relation_str[f->rel], expected);
}

const char *zone_problem_text(enum zone_problem p)
{
	return p < ZP_NR ? problems[p].text : "unknown problem";
}
