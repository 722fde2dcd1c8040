// SPDX-License-Identifier: GPL-2.0-or-later
#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bytes written per step: a few write granules, so steps stay fast under TCG. */
#define SCRATCH_GRANULES 4

static void touch(struct zoned_scratch *s, size_t i)
{
	if (i + 1 > s->used)
		s->used = i + 1;
}

int scratch_mgmt(struct zoned_scratch *s, unsigned long op, size_t i)
{
	touch(s, i);
	return zone_mgmt(s->fd, op, s->seq[i], s->zone_len);
}

int scratch_write(struct zoned_scratch *s, size_t i, uint64_t sector, size_t len)
{
	touch(s, i);
	return zone_write(s->fd, sector, s->buf, len);
}

bool scratch_expect(struct zoned_scratch *s, size_t i, unsigned int cond, uint64_t wp,
		    const char *after)
{
	struct blk_zone z;
	int r = zone_report_one(s->fd, s->seq[i], &z);

	if (r < 0) {
		check_fail(s->ctx,
			   "%s: BLKREPORTZONE of the zone at sector %llu after %s failed: %s",
			   s->who, (unsigned long long)s->seq[i], after, zoned_error_words(r));
		return false;
	}
	if (z.cond == cond && (wp == ZONED_UNSET || z.wp == wp))
		return true;
	if (wp == ZONED_UNSET)
		check_fail(s->ctx,
			   "%s: zone at sector %llu after %s: expected %s, saw %s (write "
			   "pointer %llu)",
			   s->who, (unsigned long long)s->seq[i], after, zone_cond_name(cond),
			   zone_cond_name(z.cond), (unsigned long long)z.wp);
	else
		check_fail(s->ctx,
			   "%s: zone at sector %llu after %s: expected %s with the write "
			   "pointer at %llu (+%llu), saw %s at %llu (+%llu)",
			   s->who, (unsigned long long)s->seq[i], after, zone_cond_name(cond),
			   (unsigned long long)wp, (unsigned long long)(wp - s->seq[i]),
			   zone_cond_name(z.cond), (unsigned long long)z.wp,
			   (unsigned long long)(z.wp - s->seq[i]));
	return false;
}

bool scratch_reset(struct zoned_scratch *s, size_t i)
{
	int r = scratch_mgmt(s, BLKRESETZONE, i);

	if (r < 0) {
		check_fail(s->ctx, "%s: BLKRESETZONE of the zone at sector %llu failed: %s", s->who,
			   (unsigned long long)s->seq[i], zoned_error_words(r));
		return false;
	}
	return scratch_expect(s, i, BLK_ZONE_COND_EMPTY, s->seq[i], "a reset");
}

/* The first sequential zones, from one report batch. */
static int find_zones(struct zoned_scratch *s)
{
	_cleanup_free_ struct blk_zone_report *rep = zone_report_alloc(SCRATCH_ZONES * 2);
	int r;

	if (!rep)
		return -ENOMEM;
	r = zone_report(s->fd, rep, 0, SCRATCH_ZONES * 2);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < rep->nr_zones && s->nseq < SCRATCH_ZONES; i++) {
		const struct blk_zone *z = &rep->zones[i];

		if (z->type == BLK_ZONE_TYPE_CONVENTIONAL || z->cond == BLK_ZONE_COND_READONLY ||
		    z->cond == BLK_ZONE_COND_OFFLINE)
			continue;
		/* Zones of another length (a short last zone) would blur the arithmetic. */
		if (s->nseq && z->len != s->zone_len)
			break;
		if (!s->nseq) {
			s->zone_len = z->len;
			s->zone_cap = rep->flags & BLK_ZONE_REP_CAPACITY ? z->capacity : z->len;
		}
		s->seq[s->nseq++] = z->start;
	}
	return 0;
}

/* 1 ready; 0 skipped with a note; -errno reported as a failure. */
static int scratch_open(struct check_ctx *ctx, const struct zoned_target *t,
			struct zoned_scratch *s)
{
	int r;

	*s = (struct zoned_scratch){ .ctx = ctx, .t = t, .fd = -1 };
	snprintf(s->who, sizeof(s->who), "%s (/dev/%s)", t->dev.name, t->node);
	if (zoned_target_queue(ctx->env->root, t, &s->q, NULL) < 0 || s->q.model == ZONED_NONE ||
	    s->q.model == ZONED_MODEL_UNKNOWN) {
		if (t->host_aware_as_regular) {
			zoned_host_aware_note(ctx, t, "no zones to test");
			return 0;
		}
		check_note(ctx,
			   "%s: not a zoned device in this guest: nothing to test (see "
			   "zoned.queue_model)",
			   s->who);
		return 0;
	}
	s->gran = 512;
	if (s->q.logical_block_size != ZONED_UNSET && s->q.logical_block_size > s->gran)
		s->gran = s->q.logical_block_size;
	if (s->q.zone_write_granularity != ZONED_UNSET && s->q.zone_write_granularity > s->gran)
		s->gran = s->q.zone_write_granularity;
	s->buflen = s->gran * SCRATCH_GRANULES;
	s->buf = zone_io_buffer(s->buflen);
	if (!s->buf)
		return -ENOMEM;
	s->fd = zoned_open(ctx->env->root, t->node, O_RDWR | O_DIRECT);
	if (s->fd < 0) {
		check_fail(ctx, "%s: open for direct writes failed: %s", s->who, strerror(-s->fd));
		return s->fd;
	}
	r = find_zones(s);
	if (r < 0) {
		check_fail(ctx, "%s: BLKREPORTZONE failed: %s", s->who, zoned_error_words(r));
		return r;
	}
	if (!s->nseq || s->zone_cap * 512 < 4 * s->buflen) {
		check_note(ctx,
			   "%s: no sequential zone with room for %zu-byte writes: nothing to "
			   "test",
			   s->who, s->buflen);
		return 0;
	}
	return 1;
}

static void scratch_close(struct zoned_scratch *s)
{
	for (size_t i = 0; i < s->used; i++) {
		int r = zone_mgmt(s->fd, BLKRESETZONE, s->seq[i], s->zone_len);

		if (r < 0)
			check_fail(s->ctx,
				   "%s: cleanup: BLKRESETZONE of the zone at sector %llu "
				   "failed: %s: the device is left with written zones",
				   s->who, (unsigned long long)s->seq[i], zoned_error_words(r));
	}
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
}

void zoned_for_each_scratch(struct check_ctx *ctx, const char *what, scratch_fn fn)
{
	struct zoned_target targets[ZONED_MAX_TARGETS];
	size_t n = zoned_targets(ctx->env, targets, ZONED_MAX_TARGETS), tested = 0, refused = 0;
	const char *why = NULL;

	if (n == 0) {
		check_skip(ctx, "the scenario names no zoned devices (nvme-zns, null-blk, "
				"scsi-debug, or expect_zoned)");
		return;
	}
	for (size_t i = 0; i < n && i < ZONED_MAX_TARGETS; i++) {
		const struct zoned_target *t = &targets[i];
		struct zoned_scratch s;
		int r;

		if (t->error[0]) {
			check_fail(ctx, "%s", t->error);
			continue;
		}
		if (!t->expect.scratch) {
			check_note(ctx,
				   "%s (/dev/%s): refused: %s write to the device and it is not "
				   "marked scratch = yes; add that line only if its data may be "
				   "destroyed",
				   t->dev.name, t->node, what);
			refused++;
			continue;
		}
		r = scratch_open(ctx, t, &s);
		if (r > 0) {
			const char *not_run = fn(&s);

			if (not_run)
				why = not_run;
			else
				tested++;
		}
		scratch_close(&s);
	}
	if (tested || ctx->failed)
		return;
	if (!why)
		why = refused ? "refused on every zoned device: none is marked scratch = yes"
			      : "no zoned scratch device could be tested (see the notes)";
	check_skip(ctx, "%s: %s", what, why);
}
