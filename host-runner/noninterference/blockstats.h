/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QEMU's own count of a drive's writes (QMP query-blockstats), the host's side. */
#ifndef GUESTCHECK_BLOCKSTATS_H
#define GUESTCHECK_BLOCKSTATS_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/qmp.h"

struct blockstats {
	bool valid;
	uint64_t wr_operations, wr_bytes, wr_highest_offset;
	uint64_t unmap_operations, unmap_bytes; /* discards */
	uint64_t flush_operations;
	char error[192]; /* why not valid */
};

/* The stats of the drive with id `device` (the -drive id). 0 or -errno, b->error set. */
int blockstats_query(struct qmp *q, const char *device, struct blockstats *b);

/* Parse one query-blockstats reply: exposed for the unit test. */
int blockstats_from_reply(json_object *ret, const char *device, struct blockstats *b);

#endif
