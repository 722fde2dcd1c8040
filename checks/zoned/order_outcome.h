/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zoned.write_order, its pure part: one burst of sequential writes to one
 * zone, many in flight, judged (kept in order or not) and put in words. Apart
 * from the I/O so a unit test holds the verdict and the wording.
 */
#ifndef GUESTCHECK_ZONED_ORDER_OUTCOME_H
#define GUESTCHECK_ZONED_ORDER_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct order_run {
	unsigned int writes, depth; /* submitted in order, at most depth in flight */
	size_t bytes;		    /* of each write */
	unsigned int failed;	    /* completed with an error */
	int first_error;	    /* -errno of the first failure */
	uint64_t wp_off, want_off;  /* the zone's write pointer after, and where it should be */
	unsigned int burst, bursts; /* this was burst `burst` of at most `bursts` (the last run) */
};

/* Every write landed and the pointer is right behind the last one. */
bool order_kept(const struct order_run *o);
/*
 * "scheduler none, bursts of 96 writes of 512 bytes, 32 in flight, every 7th
 * command bounced host-busy: burst 2 of 6: 12 failed (first EIO), the write
 * pointer at +40 of +96: the block layer reordered them". busy_nth 0:
 * nothing injected.
 */
const char *order_words(const struct order_run *o, const char *sched, unsigned int busy_nth,
			char *buf, size_t size);
/* What to do when the device's own scheduler did not keep the order. */
const char *order_advice(const char *sched, const char *release, const char *queue, char *buf,
			 size_t size);

#endif
