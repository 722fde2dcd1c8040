/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zone operations on an open zoned block device (linux/blkzoned.h ioctls and
 * direct I/O). Sectors are 512 bytes. Every function returns 0 or -errno.
 */
#ifndef GUESTCHECK_ZONED_ZONE_IO_H
#define GUESTCHECK_ZONED_ZONE_IO_H

#include <linux/blkzoned.h>
#include <stddef.h>
#include <stdint.h>

/* Zones per BLKREPORTZONE call: 256 KiB of descriptors, a few calls for 65,536 zones. */
#define ZONE_REPORT_BATCH 4096

/* A report buffer with room for `max` zones (free() it). NULL on ENOMEM. */
struct blk_zone_report *zone_report_alloc(unsigned int max);
/*
 * One BLKREPORTZONE call from `sector` for up to `max` zones (no more than
 * the buffer holds): the kernel fills rep->zones, rep->nr_zones, rep->flags.
 */
int zone_report(int fd, struct blk_zone_report *rep, uint64_t sector, unsigned int max);
/* The zone that starts at (or holds) `sector`. -ENODATA when the report is empty. */
int zone_report_one(int fd, uint64_t sector, struct blk_zone *zone);

/* BLKRESETZONE, BLKOPENZONE, BLKCLOSEZONE or BLKFINISHZONE over whole zones. */
int zone_mgmt(int fd, unsigned long op, uint64_t sector, uint64_t nr_sectors);
/* "reset", "open", "close", "finish" */
const char *zone_mgmt_name(unsigned long op);

/* pwrite() of `len` bytes at `sector`; a short write is -EIO. */
int zone_write(int fd, uint64_t sector, const void *buf, size_t len);

/* A page-aligned buffer of `len` bytes for O_DIRECT, filled with a pattern. NULL on ENOMEM. */
void *zone_io_buffer(size_t len);

#endif
