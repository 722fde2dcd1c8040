/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The destructive checks' common ground: a zoned device the scenario marks
 * `scratch = yes`, opened for direct writes, with the first sequential zones
 * at hand. Every device not so marked is refused, by name, before anything
 * opens it for writing; the zones a test touched are reset when it ends.
 */
#ifndef GUESTCHECK_ZONED_SCRATCH_H
#define GUESTCHECK_ZONED_SCRATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zone_io.h"
#include "zoned.h"

#define SCRATCH_ZONES 64 /* the first sequential zones looked at; enough for the limits */

struct zoned_scratch {
	struct check_ctx *ctx;
	const struct zoned_target *t;
	struct zoned_queue q;
	char who[128];
	int fd;			     /* O_RDWR | O_DIRECT */
	uint64_t seq[SCRATCH_ZONES]; /* start sectors of the first sequential zones */
	size_t nseq;
	uint64_t zone_len, zone_cap; /* of those zones, sectors */
	size_t gran;		     /* bytes: the smallest aligned write */
	size_t used;		     /* seq[0..used) were touched and are reset at the end */
	void *buf;		     /* a few granules of pattern, page-aligned */
	size_t buflen;
};

/*
 * The tests on one scratch device: NULL when they ran, or why they could not
 * (already noted), e.g. "zone append is not offered to user space here".
 */
typedef const char *(*scratch_fn)(struct zoned_scratch *s);

/*
 * Run `fn` on every zoned scratch device of the scenario. Devices not marked
 * scratch are refused with a note; when none could be tested the check is
 * skipped saying why. `what` names the tests in those messages.
 */
void zoned_for_each_scratch(struct check_ctx *ctx, const char *what, scratch_fn fn);

/* Read zone seq[i] and compare: cond, and wp unless ZONED_UNSET. false (reported) on mismatch. */
bool scratch_expect(struct zoned_scratch *s, size_t i, unsigned int cond, uint64_t wp,
		    const char *after);
/* A zone management operation on zone seq[i]; 0 or -errno (not reported). */
int scratch_mgmt(struct zoned_scratch *s, unsigned long op, size_t i);
/* Reset zone seq[i] and see it empty. false (reported) when not. */
bool scratch_reset(struct zoned_scratch *s, size_t i);
/* Write `len` bytes (<= buflen) at `sector` of zone seq[i]. 0 or -errno (not reported). */
int scratch_write(struct zoned_scratch *s, size_t i, uint64_t sector, size_t len);

#endif
