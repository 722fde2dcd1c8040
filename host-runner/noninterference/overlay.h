/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copy-on-write overlays (qcow2, via qemu-img) between a guest and the
 * images it must not change. QEMU opens the backing file read-only, so the
 * pristine image cannot be written; every guest write lands in the overlay,
 * even one that rewrites identical bytes, and `qemu-img map` shows where.
 * OVERLAY_EXACT (512-byte clusters) makes the map exact to the sector.
 */
#ifndef GUESTCHECK_OVERLAY_H
#define GUESTCHECK_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#define OVERLAY_MAX_RANGES 32

struct overlay_range {
	uint64_t offset, length;
};

struct overlay_map {
	struct overlay_range ranges[OVERLAY_MAX_RANGES]; /* merged, in order */
	size_t nranges;					 /* all of them, may exceed the array */
	uint64_t bytes;					 /* written bytes in total */
};

/* $GUESTCHECK_QEMU_IMG, else qemu-img. */
const char *overlay_qemu_img(void);

#define OVERLAY_EXACT 512u   /* cluster size: where every write is located */
#define OVERLAY_FAST  65536u /* qcow2's default: for disks that are meant to be written */

/*
 * qemu-img create -f qcow2 -o cluster_size=CLUSTER -b BACKING -F FORMAT
 * OVERLAY. 0 or -errno, message in err.
 */
int overlay_create(const char *backing, const char *backing_format, const char *overlay,
		   unsigned int cluster, char *err, size_t errsize);

/* What the overlay itself holds (not its backing chain). 0 or -errno, message in err. */
int overlay_map(const char *overlay, struct overlay_map *m, char *err, size_t errsize);

/* Parse `qemu-img map --output=json` text: exposed for the unit test. */
int overlay_map_parse(const char *json, struct overlay_map *m, char *err, size_t errsize);

/* "4096 bytes at 1048576 (1 range)" / "1 MiB in 3 ranges: 0+512, ..." */
void overlay_map_describe(const struct overlay_map *m, char *buf, size_t size);

#endif
