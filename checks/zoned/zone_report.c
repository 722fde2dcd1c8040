// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.zone_report: read each zoned device's zone report with BLKREPORTZONE
 * in batches (the device is opened read-only) and hold it against the queue
 * attributes, BLKGETNRZONES, BLKGETZONESZ and the scenario (validate.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "clock.h"
#include "units.h"
#include "validate.h"
#include "zone_io.h"
#include "zoned.h"

/* Read the whole report in batches into the validator. 0, or -errno from the ioctl. */
static int read_report(int fd, struct zone_validator *v, size_t *batches)
{
	_cleanup_free_ struct blk_zone_report *rep = zone_report_alloc(ZONE_REPORT_BATCH);
	uint64_t sector = 0;
	int r;

	if (!rep)
		return -ENOMEM;
	while (sector < v->geo.capacity) {
		const struct blk_zone *last;

		r = zone_report(fd, rep, sector, ZONE_REPORT_BATCH);
		if (r < 0)
			return r;
		if (!rep->nr_zones)
			break; /* zone_validate_finish() names the uncovered end */
		if (!*batches)
			v->geo.rep_capacity = rep->flags & BLK_ZONE_REP_CAPACITY;
		(*batches)++;
		zone_validate_batch(v, rep->zones, rep->nr_zones);
		last = &rep->zones[rep->nr_zones - 1];
		/* A report that does not move forward would loop for ever. */
		if (last->start + last->len <= sector)
			break;
		sector = last->start + last->len;
	}
	return 0;
}

static void report_findings(struct check_ctx *ctx, const char *who, const struct zone_validator *v)
{
	char msg[384];

	for (size_t i = 0; i < v->nkept; i++) {
		zone_finding_format(&v->kept[i], msg, sizeof(msg));
		check_fail(ctx, "%s: %s", who, msg);
	}
	for (int p = 0; p < ZP_NR; p++) {
		uint64_t shown = 0;

		for (size_t i = 0; i < v->nkept; i++)
			shown += v->kept[i].problem == (enum zone_problem)p;
		if (v->count[p] > shown)
			check_fail(ctx, "%s: and %llu more zones where %s", who,
				   (unsigned long long)(v->count[p] - shown), zone_problem_text(p));
	}
}

static void summary(struct check_ctx *ctx, const char *who, const struct zone_validator *v,
		    size_t batches, double ms)
{
	const struct zone_stats *s = &v->stats;
	char conds[256] = "", cap[32], zone[32];
	size_t len = 0;

	for (unsigned int c = 0; c < ARRAY_SIZE(s->by_cond); c++)
		if (s->by_cond[c] && len < sizeof(conds))
			len += snprintf(conds + len, sizeof(conds) - len, "%s%llu %s",
					len ? ", " : "", (unsigned long long)s->by_cond[c],
					zone_cond_name(c));
	check_note(ctx,
		   "%s: %llu zones (%llu conventional, %llu %s) of %s; %s; sequential zone "
		   "capacity %s%s; validated in %.1f ms (%zu batch%s of up to %d)",
		   who, (unsigned long long)s->zones,
		   (unsigned long long)s->by_type[BLK_ZONE_TYPE_CONVENTIONAL],
		   (unsigned long long)(s->by_type[BLK_ZONE_TYPE_SEQWRITE_REQ] +
					s->by_type[BLK_ZONE_TYPE_SEQWRITE_PREF]),
		   v->geo.model == ZONED_HOST_AWARE ? "sequential-write-preferred"
						    : "sequential-write-required",
		   format_size(v->geo.zone_sectors * 512, zone, sizeof(zone)), conds,
		   format_size(s->min_cap * 512, cap, sizeof(cap)),
		   v->geo.rep_capacity ? " (BLK_ZONE_REP_CAPACITY)" : " (no capacity field)", ms,
		   batches, batches == 1 ? "" : "es", ZONE_REPORT_BATCH);
}

static void check_one(struct check_ctx *ctx, const struct zoned_target *t)
{
	const struct zoned_expect *e = &t->expect;
	uint32_t nr = 0, zsz = 0;
	struct zone_geometry geo = { 0 };
	struct zone_validator v;
	struct zoned_queue q;
	_cleanup_close_ int fd = -1;
	char who[128];
	size_t batches = 0;
	double start;
	int r;

	snprintf(who, sizeof(who), "%s (/dev/%s)", t->dev.name, t->node);
	if (!zoned_target_has_zones(ctx, t, zoned_queue_read(ctx->env->root, t->node, &q), &q, who,
				    "no zone report", "no zones to report"))
		return;
	fd = zoned_open(ctx->env->root, t->node, O_RDONLY);
	if (fd < 0) {
		check_fail(ctx, "%s: open for reading failed: %s", who, strerror(-fd));
		return;
	}
	if (ioctl(fd, BLKGETNRZONES, &nr) < 0 || ioctl(fd, BLKGETZONESZ, &zsz) < 0) {
		check_fail(ctx,
			   "%s: BLKGETNRZONES/BLKGETZONESZ failed: %s: the kernel does not "
			   "treat the device as zoned",
			   who, strerror(errno));
		return;
	}
	if (nr != q.nr_zones && q.nr_zones != ZONED_UNSET)
		check_fail(ctx, "%s: BLKGETNRZONES says %u zones, queue/nr_zones %llu", who, nr,
			   (unsigned long long)q.nr_zones);
	if (zsz != q.chunk_sectors && q.chunk_sectors != ZONED_UNSET)
		check_fail(ctx, "%s: BLKGETZONESZ says %u sectors, queue/chunk_sectors %llu", who,
			   zsz, (unsigned long long)q.chunk_sectors);
	geo.capacity = q.size_sectors;
	geo.zone_sectors = zsz;
	geo.nr_zones = nr;
	geo.model = q.model;
	geo.expect_conv = e->conv_zones;
	geo.expect_cap = e->cap_bytes == ZONED_UNSET ? ZONED_UNSET : e->cap_bytes / 512;
	zone_validate_init(&v, &geo);
	start = now_s();
	r = read_report(fd, &v, &batches);
	if (r < 0) {
		check_fail(ctx, "%s: BLKREPORTZONE failed after %llu zones: %s", who,
			   (unsigned long long)v.stats.zones, strerror(-r));
		return;
	}
	zone_validate_finish(&v);
	report_findings(ctx, who, &v);
	summary(ctx, who, &v, batches, (now_s() - start) * 1e3);
}

int check_zoned_zone_report(struct check_ctx *ctx)
{
	struct zoned_target targets[ZONED_MAX_TARGETS];
	size_t n = zoned_targets(ctx->env, targets, ZONED_MAX_TARGETS);

	if (n == 0) {
		check_skip(ctx, "the scenario names no zoned devices (nvme-zns, null-blk, "
				"scsi-debug, or expect_zoned)");
		return 0;
	}
	for (size_t i = 0; i < n && i < ZONED_MAX_TARGETS; i++) {
		if (targets[i].error[0])
			check_fail(ctx, "%s", targets[i].error);
		else
			check_one(ctx, &targets[i]);
	}
	return 0;
}
