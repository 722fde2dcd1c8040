// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.write_pointer: destructive, on scratch devices only. Reset, sequential
 * writes, writes off the write pointer, explicit open/close/finish, and the
 * open and active zone limits, each held against the zoned model.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scratch.h"

#define SECTORS(bytes) ((uint64_t)(bytes) / 512)

/* A write at the write pointer moves it by exactly the bytes written, twice. */
static bool sequential_writes(struct zoned_scratch *s)
{
	size_t len = s->buflen / 2;
	uint64_t start = s->seq[0];

	for (int k = 1; k <= 2; k++) {
		uint64_t at = start + (k - 1) * SECTORS(len);
		int r = scratch_write(s, 0, at, len);
		char after[96];

		if (r < 0) {
			check_fail(s->ctx,
				   "%s: a %zu-byte write at the write pointer (sector %llu) "
				   "failed: %s",
				   s->who, len, (unsigned long long)at, zoned_error_words(r));
			return false;
		}
		snprintf(after, sizeof(after), "%zu bytes written at the write pointer", len);
		if (!scratch_expect(s, 0, BLK_ZONE_COND_IMP_OPEN, at + SECTORS(len), after))
			return false;
	}
	check_note(s->ctx,
		   "%s: reset zone at sector %llu: empty; 2 writes of %zu bytes at the "
		   "write pointer: it moved by %llu sectors each time",
		   s->who, (unsigned long long)start, len, (unsigned long long)SECTORS(len));
	return true;
}

/* Host-managed zones refuse a write that is not at the write pointer; host-aware take it. */
static void off_pointer_write(struct zoned_scratch *s)
{
	size_t len = s->buflen / 2;
	uint64_t wp = s->seq[0] + 2 * SECTORS(len), at = wp + SECTORS(s->gran);
	int r = scratch_write(s, 0, at, s->gran);

	if (s->q.model == ZONED_HOST_AWARE) {
		if (r < 0)
			check_fail(s->ctx,
				   "%s: a write %zu bytes past the write pointer failed (%s): "
				   "a host-aware zone must accept writes anywhere",
				   s->who, s->gran, zoned_error_words(r));
		else
			check_note(s->ctx,
				   "%s: host-aware: a write %zu bytes past the write pointer "
				   "was accepted, as the model allows",
				   s->who, s->gran);
		return;
	}
	if (r == 0) {
		check_fail(s->ctx,
			   "%s: a write %zu bytes past the write pointer (sector %llu, "
			   "pointer at %llu) succeeded: a host-managed zone must reject it; "
			   "the device does not enforce sequential writes",
			   s->who, s->gran, (unsigned long long)at, (unsigned long long)wp);
		return;
	}
	if (scratch_expect(s, 0, BLK_ZONE_COND_IMP_OPEN, wp, "a rejected write"))
		check_note(s->ctx,
			   "%s: a write %zu bytes past the write pointer was rejected (%s) "
			   "and the pointer stayed",
			   s->who, s->gran, zoned_error_words(r));
}

/* Explicit open, close, finish and reset move the zone through its conditions. */
static void conditions(struct zoned_scratch *s)
{
	static const struct {
		unsigned long op;
		unsigned int cond;
		bool at_end; /* the write pointer at the capacity (or beyond), not where it was */
	} steps[] = {
		{ BLKOPENZONE, BLK_ZONE_COND_EXP_OPEN, false },
		{ BLKCLOSEZONE, BLK_ZONE_COND_CLOSED, false },
		{ BLKFINISHZONE, BLK_ZONE_COND_FULL, true },
	};
	uint64_t wp = s->seq[0] + SECTORS(s->gran);
	struct blk_zone z;
	int r;

	if (!scratch_reset(s, 0))
		return;
	r = scratch_write(s, 0, s->seq[0], s->gran);
	if (r < 0) {
		check_fail(s->ctx, "%s: a write at the start of an empty zone failed: %s", s->who,
			   zoned_error_words(r));
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		char after[32];

		snprintf(after, sizeof(after), "a zone %s", zone_mgmt_name(steps[i].op));
		r = scratch_mgmt(s, steps[i].op, 0);
		if (r < 0) {
			check_fail(s->ctx, "%s: zone %s of the zone at sector %llu failed: %s",
				   s->who, zone_mgmt_name(steps[i].op),
				   (unsigned long long)s->seq[0], zoned_error_words(r));
			return;
		}
		if (!scratch_expect(s, 0, steps[i].cond, steps[i].at_end ? ZONED_UNSET : wp, after))
			return;
	}
	/* Drivers put a full zone's pointer at its capacity or at its end. */
	if (zone_report_one(s->fd, s->seq[0], &z) == 0 &&
	    (z.wp < s->seq[0] + s->zone_cap || z.wp > s->seq[0] + s->zone_len))
		check_fail(s->ctx,
			   "%s: after a zone finish the write pointer is at +%llu, expected "
			   "between the capacity +%llu and the zone end +%llu",
			   s->who, (unsigned long long)(z.wp - s->seq[0]),
			   (unsigned long long)s->zone_cap, (unsigned long long)s->zone_len);
	if (s->q.model == ZONED_HOST_MANAGED &&
	    scratch_write(s, 0, s->seq[0] + s->zone_cap - SECTORS(s->gran), s->gran) == 0)
		check_fail(s->ctx,
			   "%s: a write into a full zone succeeded: a host-managed zone "
			   "must reject it",
			   s->who);
	if (scratch_reset(s, 0))
		check_note(s->ctx,
			   "%s: implicitly open -> open: explicitly open -> close: closed "
			   "-> finish: full%s -> reset: empty",
			   s->who, s->q.model == ZONED_HOST_MANAGED ? " (writes refused)" : "");
}

static bool reset_first(struct zoned_scratch *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!scratch_reset(s, i))
			return false;
	return true;
}

/* Open max_open zones explicitly; one more must fail. */
static void open_limit(struct zoned_scratch *s)
{
	uint64_t max = s->q.max_open;
	int r;

	if (!max || max == ZONED_UNSET) {
		check_note(s->ctx, "%s: no open zone limit advertised: nothing to enforce", s->who);
		return;
	}
	if (s->nseq <= max) {
		check_note(s->ctx,
			   "%s: open zone limit %llu not tested: only %zu sequential zones "
			   "at hand",
			   s->who, (unsigned long long)max, s->nseq);
		return;
	}
	if (!reset_first(s, max + 1))
		return;
	for (size_t i = 0; i < max; i++) {
		r = scratch_mgmt(s, BLKOPENZONE, i);
		if (r < 0) {
			check_fail(s->ctx,
				   "%s: opening zone %zu of the advertised %llu open zones "
				   "failed: %s: the device allows fewer than max_open_zones",
				   s->who, i + 1, (unsigned long long)max, zoned_error_words(r));
			return;
		}
	}
	r = scratch_mgmt(s, BLKOPENZONE, max);
	if (r == 0)
		check_fail(s->ctx,
			   "%s: zone %llu opened although max_open_zones is %llu: the open "
			   "zone limit is not enforced as advertised",
			   s->who, (unsigned long long)max + 1, (unsigned long long)max);
	else
		check_note(s->ctx,
			   "%s: open zone limit %llu enforced: opening one more failed (%s)",
			   s->who, (unsigned long long)max, zoned_error_words(r));
	reset_first(s, max + 1);
}

/* Make max_active zones active (written, then closed); writing one more must fail. */
static void active_limit(struct zoned_scratch *s)
{
	uint64_t max = s->q.max_active;
	int r;

	if (!max || max == ZONED_UNSET) {
		check_note(s->ctx, "%s: no active zone limit advertised: nothing to enforce",
			   s->who);
		return;
	}
	if (s->nseq <= max) {
		check_note(s->ctx,
			   "%s: active zone limit %llu not tested: only %zu sequential "
			   "zones at hand",
			   s->who, (unsigned long long)max, s->nseq);
		return;
	}
	if (!reset_first(s, max + 1))
		return;
	for (size_t i = 0; i < max; i++) {
		/* Closed after a write keeps the zone active but frees its open resource. */
		r = scratch_write(s, i, s->seq[i], s->gran);
		if (r == 0)
			r = scratch_mgmt(s, BLKCLOSEZONE, i);
		if (r < 0) {
			check_fail(s->ctx,
				   "%s: making zone %zu of the advertised %llu active zones "
				   "active failed: %s: the device allows fewer than "
				   "max_active_zones",
				   s->who, i + 1, (unsigned long long)max, zoned_error_words(r));
			return;
		}
	}
	r = scratch_write(s, max, s->seq[max], s->gran);
	if (r == 0)
		check_fail(s->ctx,
			   "%s: a write made zone %llu active although max_active_zones is "
			   "%llu: the active zone limit is not enforced as advertised",
			   s->who, (unsigned long long)max + 1, (unsigned long long)max);
	else
		check_note(s->ctx,
			   "%s: active zone limit %llu enforced: a write to one more empty "
			   "zone failed (%s)",
			   s->who, (unsigned long long)max, zoned_error_words(r));
	reset_first(s, max + 1);
}

static const char *write_pointer_tests(struct zoned_scratch *s)
{
	if (scratch_reset(s, 0) && sequential_writes(s))
		off_pointer_write(s);
	conditions(s);
	open_limit(s);
	active_limit(s);
	return NULL;
}

int check_zoned_write_pointer(struct check_ctx *ctx)
{
	zoned_for_each_scratch(ctx, "the write-pointer tests", write_pointer_tests);
	return 0;
}
