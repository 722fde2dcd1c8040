/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Views of one zoned device, held against each other, as pure logic: the
 * kernel's zone report (BLKREPORTZONE), its ioctls (BLKGETNRZONES,
 * BLKGETZONESZ), the sysfs queue attributes, the device's own report read
 * around the block layer (NVMe Report Zones, SCSI REPORT ZONES), and the
 * scenario's expectations. Zones are fed in batches, pairwise and in order,
 * so 65,536 zones never need to be in memory at once. Nothing here touches
 * a device: unit tests feed it crafted zones.
 */
#ifndef GUESTCHECK_ZONED_VIEWS_H
#define GUESTCHECK_ZONED_VIEWS_H

#include <linux/blkzoned.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zoned.h"

/* A value a view does not state (NVMe zone descriptors carry no length). */
#define VIEW_UNSTATED UINT64_MAX

/*
 * One zone as one view states it, in 512-byte sectors whatever the device's
 * block size. Types and conditions use the block layer's codes, which NVMe
 * ZNS and ZBC share (BLK_ZONE_TYPE_*, BLK_ZONE_COND_*).
 */
struct view_zone {
	uint64_t start, len, capacity, wp; /* each VIEW_UNSTATED when not stated */
	uint8_t type, cond;
};

/* Where a value came from; view_name() words it. */
enum view_id {
	VIEW_DEVICE, /* the device's own answer, around the block layer */
	VIEW_REPORT, /* BLKREPORTZONE */
	VIEW_IOCTL,  /* BLKGETNRZONES, BLKGETZONESZ */
	VIEW_SYSFS, /* /sys/class/block/NODE/(queue/)...: for a multipath head, its path's limits */
	VIEW_HEAD,  /* an NVMe multipath head's own queue: advisory (see zone_views_finish) */
	VIEW_SCENARIO, /* what the scenario asks for */
	VIEW_NR
};

/* The whole-device facts each view may state; VIEW_UNSTATED where it does not. */
enum view_field {
	VF_TYPE,
	VF_COND,
	VF_START,
	VF_LEN,
	VF_CAP,
	VF_WP, /* the per-zone fields end here */
	VF_NR_ZONES,
	VF_ZONE_SIZE, /* sectors */
	VF_ZONE_CAP,  /* sectors, of the first sequential zone */
	VF_SIZE,      /* the device's capacity, sectors */
	VF_BLOCK_SIZE,
	VF_MAX_OPEN,
	VF_MAX_ACTIVE,
	VF_NR
};

#define VF_FIRST_DEVICE_FIELD VF_NR_ZONES

struct view_geometry {
	uint64_t v[VF_NR]; /* indexed by the fields from VF_NR_ZONES on */
};

struct view_finding {
	enum view_field field;
	uint64_t zone;	/* index, for per-zone fields */
	uint64_t start; /* the zone's start sector in the kernel's report */
	enum view_id a, b;
	uint64_t va, vb;
};

#define VIEW_KEEP_PER_FIELD 3
#define VIEW_KEEP_MAX	    24

struct zone_views {
	const char *device_source; /* "NVMe Report Zones via /dev/ng0n1", for messages */
	bool rep_capacity;	   /* the kernel's report had BLK_ZONE_REP_CAPACITY */
	uint64_t zones;		   /* pairs compared */
	struct view_geometry geo[VIEW_NR];
	struct view_finding kept[VIEW_KEEP_MAX];
	size_t nkept;
	/* Where the head alone differs: named, not failed (the path is where I/O goes). */
	struct view_finding head[VF_NR];
	size_t nhead;
	uint64_t count[VF_NR];
	uint64_t total;
};

/* Every geometry value unstated; `device_source` must outlive the comparison. */
void zone_views_init(struct zone_views *v, const char *device_source);

/*
 * A zone of BLKREPORTZONE as a view. Without BLK_ZONE_REP_CAPACITY the
 * capacity field is not filled, and a tool reads the length instead: that is
 * what this view then says (the trap of tools built against older headers).
 */
struct view_zone view_zone_from_blk(const struct blk_zone *z, bool rep_capacity);

/*
 * The next `n` zones of the kernel's report and of the device's, pair by
 * pair, in order. The first sequential zone's capacity and length become the
 * two views' VF_ZONE_CAP and VF_ZONE_SIZE where not stated yet. `device`
 * NULL: a device with no report of its own; the kernel's zones are counted.
 */
void zone_views_zones(struct zone_views *v, const struct view_zone *kernel,
		      const struct view_zone *device, size_t n);

/*
 * After the last batch: every whole-device field two views state is compared
 * with the first view that states it (in enum view_id order: the device
 * first), one finding per view that differs. A multipath head's own
 * attributes (VIEW_HEAD) go to v->head instead: I/O goes through its path,
 * whose attributes VIEW_SYSFS holds, but software reading the head sees the
 * head's.
 */
void zone_views_finish(struct zone_views *v);

/* "zone 3 (sector 24576): condition: BLKREPORTZONE says empty, the device ... says full" */
void view_finding_format(const struct zone_views *v, const struct view_finding *f, char *buf,
			 size_t size);
const char *view_field_name(enum view_field f);
const char *view_name(const struct zone_views *v, enum view_id id);

#endif
