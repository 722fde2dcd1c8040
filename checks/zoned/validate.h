/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zone report consistency, as pure logic: zone descriptors (struct blk_zone,
 * as BLKREPORTZONE returns them) go in, findings come out. The report is fed
 * in batches, in order, so a device with tens of thousands of zones never
 * needs them all in memory; nothing here touches a device, so unit tests feed
 * it crafted reports.
 */
#ifndef GUESTCHECK_ZONED_VALIDATE_H
#define GUESTCHECK_ZONED_VALIDATE_H

#include <linux/blkzoned.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zoned.h"

/* Each inconsistency a report can have; zone_problem_text() words them. */
enum zone_problem {
	ZP_START,	/* a zone does not start where the previous one ended */
	ZP_LEN,		/* a zone's length is not the zone size (only the last may be shorter) */
	ZP_PAST_END,	/* a zone reaches past the device's capacity */
	ZP_TYPE,	/* an undefined zone type */
	ZP_COND,	/* an undefined zone condition */
	ZP_CAP_LEN,	/* capacity larger than the zone's length, or 0 */
	ZP_CAP,		/* capacity differs from the expected zone capacity */
	ZP_CONV_WP,	/* a conventional zone with a write pointer condition */
	ZP_SEQ_NOT_WP,	/* a sequential zone reported as having no write pointer */
	ZP_MODEL_TYPE,	/* a sequential zone type the device's model does not have */
	ZP_CONV_PLACE,	/* a conventional zone where the scenario expects none, or the reverse */
	ZP_WP_OUTSIDE,	/* the write pointer lies outside its zone */
	ZP_WP_PAST_CAP, /* the write pointer of a zone that is not full lies past its capacity */
	ZP_WP_COND,	/* the write pointer disagrees with the condition */
	ZP_COUNT,	/* the number of zones differs from nr_zones / BLKGETNRZONES */
	ZP_COVERAGE,	/* the zones do not cover the device's capacity */
	ZP_CONV_COUNT,	/* the number of conventional zones differs from the expectation */
	ZP_NR
};

/* What the report must agree with. Sectors are 512 bytes, as in struct blk_zone. */
struct zone_geometry {
	uint64_t capacity;     /* device size in sectors (sysfs size) */
	uint64_t zone_sectors; /* BLKGETZONESZ / chunk_sectors; 0 = unknown */
	uint64_t nr_zones;     /* BLKGETNRZONES */
	enum zoned_model model;
	bool rep_capacity;    /* BLK_ZONE_REP_CAPACITY: the capacity field is valid */
	uint64_t expect_conv; /* conventional zones, at the start; ZONED_UNSET = any */
	uint64_t expect_cap;  /* zone capacity in sectors; ZONED_UNSET = any */
};

/* How `seen` should relate to `expected`. */
enum zone_relation { ZR_EQUAL, ZR_BELOW, ZR_AT_LEAST, ZR_AT_MOST };

struct zone_finding {
	enum zone_problem problem;
	enum zone_relation rel;
	uint64_t zone;	/* index in the report */
	uint64_t start; /* the zone's start sector */
	uint64_t expected, seen;
	uint8_t type, cond;
};

struct zone_stats {
	uint64_t zones;
	uint64_t by_type[4];	   /* indexed by zone type (1..3); [0] counts undefined ones */
	uint64_t by_cond[16];	   /* indexed by condition */
	uint64_t min_cap, max_cap; /* over sequential zones, sectors */
};

#define ZONE_KEEP_PER_PROBLEM 3
#define ZONE_KEEP_MAX	      24

struct zone_validator {
	struct zone_geometry geo;
	uint64_t next_start; /* where the next zone must start */
	bool short_pending;  /* the previous zone was shorter than the zone size */
	struct zone_finding short_zone;
	struct zone_stats stats;
	/* The first few findings of each problem, and how many there were in all. */
	struct zone_finding kept[ZONE_KEEP_MAX];
	size_t nkept;
	uint64_t count[ZP_NR];
	uint64_t total;
};

void zone_validate_init(struct zone_validator *v, const struct zone_geometry *geo);
/* The next `n` zones of the report, in order. */
void zone_validate_batch(struct zone_validator *v, const struct blk_zone *zones, size_t n);
/* After the last batch: count and coverage. */
void zone_validate_finish(struct zone_validator *v);

/* "zone 3 (sector 24576): length 4096 sectors, expected 8192 (the zone size)" */
void zone_finding_format(const struct zone_finding *f, char *buf, size_t size);
/* The problem in a few words, for "... and N more: <text>". */
const char *zone_problem_text(enum zone_problem p);

#endif
