// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.queue_model: each zoned device's queue attributes (zoned model,
 * zone size and count, limits, block sizes, scheduler) against the scenario.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "units.h"
#include "zoned.h"

/* Before 6.10 (zone write plugging) only mq-deadline kept a zone's writes in order. */
#define ZONE_WRITE_PLUGGING_VERSION 6010

struct model_ctx {
	struct check_ctx *ctx;
	const struct zoned_target *t;
	const struct zoned_queue *q;
	const char *who; /* "zns0 (/dev/nvme0n1)" */
};

static void compare_u64(const struct model_ctx *m, const char *what, const char *attr,
			uint64_t expected, uint64_t seen, const char *fix)
{
	if (expected == ZONED_UNSET)
		return;
	if (seen == ZONED_UNSET) {
		check_fail(m->ctx,
			   "%s: expected %s %llu, but this kernel has no queue/%s: it "
			   "cannot show it; drop the expectation or use a newer guest kernel",
			   m->who, what, (unsigned long long)expected, attr);
		return;
	}
	if (expected != seen)
		check_fail(m->ctx, "%s: expected %s %llu, saw %llu (queue/%s): %s", m->who, what,
			   (unsigned long long)expected, (unsigned long long)seen, attr, fix);
}

static bool check_model(const struct model_ctx *m)
{
	const struct zoned_expect *e = &m->t->expect;
	enum zoned_model seen = m->q->model;

	if (seen == ZONED_MODEL_UNKNOWN) {
		check_fail(m->ctx,
			   "%s: queue/zoned is '%s', which this agent does not know: "
			   "expected one of none, host-aware, host-managed",
			   m->who, m->q->zoned);
		return false;
	}
	if (e->model < 0 || (int)seen == e->model)
		return true;
	if (seen == ZONED_NONE)
		/* The trap: the zoned model did not survive the way to the guest. */
		check_fail(m->ctx,
			   "%s: expected %s, saw a regular disk (queue/zoned = none): the "
			   "zoned model was lost on the way to the guest: pass a zoned disk "
			   "through with scsi-block or scsi-generic (scsi-hd hides zones, "
			   "virtio-blk does before QEMU 8.1), or create the device with its "
			   "zoned parameters",
			   m->who, zoned_model_words(e->model));
	else
		check_fail(m->ctx,
			   "%s: expected %s, saw %s (queue/zoned = %s): check the zoned "
			   "model the host gives the device",
			   m->who, zoned_model_words(e->model), zoned_model_words(seen),
			   m->q->zoned);
	return false;
}

static void check_geometry(const struct model_ctx *m)
{
	const struct zoned_expect *e = &m->t->expect;
	const struct zoned_queue *q = m->q;
	char want[32], saw[32];
	uint64_t zone = q->chunk_sectors * 512;

	if (e->zone_bytes != ZONED_UNSET && zone != e->zone_bytes)
		check_fail(m->ctx,
			   "%s: expected zone size %s, saw %s (queue/chunk_sectors %llu): "
			   "check the zone size the host gives the device (zone_size)",
			   m->who, format_size(e->zone_bytes, want, sizeof(want)),
			   format_size(zone, saw, sizeof(saw)),
			   (unsigned long long)q->chunk_sectors);
	compare_u64(m, "zone count", "nr_zones", e->nr_zones, q->nr_zones,
		    "check the device size and zone size the host gives");
	/* The kernel's own arithmetic: zones of chunk_sectors cover the disk, the last may be
	 * short. */
	if (q->chunk_sectors && q->chunk_sectors != ZONED_UNSET && q->size_sectors != ZONED_UNSET &&
	    q->nr_zones != ZONED_UNSET &&
	    q->nr_zones != (q->size_sectors + q->chunk_sectors - 1) / q->chunk_sectors)
		check_fail(m->ctx,
			   "%s: queue/nr_zones %llu does not cover size %llu sectors in "
			   "zones of %llu sectors: the driver reports an inconsistent geometry",
			   m->who, (unsigned long long)q->nr_zones,
			   (unsigned long long)q->size_sectors,
			   (unsigned long long)q->chunk_sectors);
	compare_u64(m, "open zone limit", "max_open_zones", e->max_open, q->max_open,
		    "check the open zone limit the host gives (max_open)");
	compare_u64(m, "active zone limit", "max_active_zones", e->max_active, q->max_active,
		    "check the active zone limit the host gives (max_active)");
	if (q->zone_append_max_bytes == 0)
		check_fail(m->ctx,
			   "%s: queue/zone_append_max_bytes is 0: a zoned device must "
			   "accept zone append; the driver did not set its limit",
			   m->who);
	if (q->zone_write_granularity != ZONED_UNSET && q->logical_block_size != ZONED_UNSET &&
	    (q->zone_write_granularity < q->logical_block_size ||
	     q->zone_write_granularity % q->logical_block_size))
		check_fail(m->ctx,
			   "%s: queue/zone_write_granularity %llu is not a multiple of the "
			   "logical block size %llu",
			   m->who, (unsigned long long)q->zone_write_granularity,
			   (unsigned long long)q->logical_block_size);
}

static void check_blocks(const struct model_ctx *m)
{
	const struct zoned_queue *q = m->q;

	compare_u64(m, "logical block size", "logical_block_size", m->t->expect.block_size,
		    q->logical_block_size, "check the block size the host gives (block_size)");
	if (q->physical_block_size != ZONED_UNSET && q->logical_block_size != ZONED_UNSET &&
	    q->physical_block_size < q->logical_block_size)
		check_fail(m->ctx, "%s: physical block size %llu is smaller than the logical %llu",
			   m->who, (unsigned long long)q->physical_block_size,
			   (unsigned long long)q->logical_block_size);
}

static void check_scheduler(const struct model_ctx *m, unsigned int kernel, const char *release)
{
	const char *want = m->t->expect.scheduler;
	/* A multipath head queues nothing itself: its path's queue has the scheduler. */
	const char *queue = m->t->path[0] ? m->t->path : m->t->node;

	if (!m->q->schedulers[0]) {
		if (want[0])
			check_fail(m->ctx,
				   "%s: expected I/O scheduler %s, but /sys/block/%s has no "
				   "queue/scheduler: its queue is bio-based and takes no "
				   "scheduler: drop expect_scheduler or name the device below it",
				   m->who, want, queue);
		return;
	}
	if (want[0]) {
		if (strcmp(want, m->q->scheduler))
			check_fail(m->ctx,
				   "%s: expected I/O scheduler %s, saw %s (/sys/block/%s/queue/"
				   "scheduler '%s'): echo %s > /sys/block/%s/queue/scheduler",
				   m->who, want, m->q->scheduler, queue, m->q->schedulers, want,
				   queue);
		return;
	}
	/* The trap: without zone write locking, writes to one zone may be reordered. */
	if (m->q->model == ZONED_HOST_MANAGED && !strcmp(m->q->scheduler, "none") && kernel &&
	    kernel < ZONE_WRITE_PLUGGING_VERSION)
		check_fail(m->ctx,
			   "%s: I/O scheduler none on Linux %s: before 6.10 only "
			   "mq-deadline keeps the writes of a zone in order (zone write "
			   "locking), so sequential writes may fail as unaligned: echo "
			   "mq-deadline > /sys/block/%s/queue/scheduler, or set "
			   "expect_scheduler = none if ordering is the application's job",
			   m->who, release, queue);
}

/* A multipath head: say where limits and scheduler were read, and when the head disagrees. */
static void check_mpath_head(const struct model_ctx *m, const struct zoned_queue *head)
{
	const struct zoned_target *t = m->t;

	if (!t->path[0])
		return;
	if (head->max_open == m->q->max_open && head->max_active == m->q->max_active) {
		check_note(m->ctx,
			   "%s: an NVMe multipath head of %s: its I/O goes through %s, whose "
			   "zone limits and I/O scheduler are checked",
			   m->who, t->subsys, t->path);
		return;
	}
	check_note(m->ctx,
		   "%s: an NVMe multipath head of %s: its I/O goes through %s, whose zone limits "
		   "(max open %llu, max active %llu) and I/O scheduler are checked; the head's "
		   "own queue says max open %llu, max active %llu: this kernel does not pass the "
		   "controller's zone limits up to the head, so software that reads them there "
		   "(zonefs, f2fs, btrfs) may open more zones than the device takes",
		   m->who, t->subsys, t->path, (unsigned long long)m->q->max_open,
		   (unsigned long long)m->q->max_active, (unsigned long long)head->max_open,
		   (unsigned long long)head->max_active);
}

/* The kernel has no host-aware model: the disk is a regular one here, and says so. */
static void check_host_aware_as_regular(const struct model_ctx *m)
{
	char cap[32];

	zoned_host_aware_note(m->ctx, m->t, "a regular disk (queue/zoned none), as expected here");
	if (zoned_scsi_zoned_cap(m->ctx->env->root, m->t->node, cap, sizeof(cap)) < 0)
		return;
	if (!strcmp(cap, "host-aware"))
		check_note(m->ctx,
			   "%s: the SCSI disk driver reports zoned_cap host-aware: the disk "
			   "reached the guest as host-aware",
			   m->who);
	else
		/* 6.8's scsi_debug reports its host-aware disks as plain ones too. */
		check_note(m->ctx,
			   "%s: the SCSI disk driver reports zoned_cap %s: from 6.8 scsi_debug "
			   "describes a host-aware disk as a plain one; a real host-aware disk "
			   "passed through with scsi-block still says host-aware here",
			   m->who, cap);
}

static void summary(const struct model_ctx *m)
{
	const struct zoned_queue *q = m->q;
	char zone[32], append[32];

	if (q->model == ZONED_NONE) {
		check_note(m->ctx, "%s: a regular disk (queue/zoned none), as expected", m->who);
		return;
	}
	check_note(m->ctx,
		   "%s: %s, %llu zones of %s, max open %llu, max active %llu, zone append up to "
		   "%s, write granularity %llu, blocks %llu/%llu, scheduler %s",
		   m->who, q->zoned, (unsigned long long)q->nr_zones,
		   format_size(q->chunk_sectors * 512, zone, sizeof(zone)),
		   (unsigned long long)q->max_open, (unsigned long long)q->max_active,
		   format_size(q->zone_append_max_bytes, append, sizeof(append)),
		   (unsigned long long)q->zone_write_granularity,
		   (unsigned long long)q->logical_block_size,
		   (unsigned long long)q->physical_block_size,
		   q->schedulers[0] ? q->scheduler : "(none: no queue/scheduler)");
}

int check_zoned_queue_model(struct check_ctx *ctx)
{
	struct zoned_target targets[ZONED_MAX_TARGETS];
	size_t n = zoned_targets(ctx->env, targets, ZONED_MAX_TARGETS);
	char release[64];
	unsigned int kernel = zoned_kernel_version(ctx->env->root, release, sizeof(release));

	if (n == 0) {
		check_skip(ctx, "the scenario names no zoned devices (nvme-zns, null-blk, "
				"scsi-debug, or expect_zoned)");
		return 0;
	}
	if (n > ZONED_MAX_TARGETS)
		check_fail(ctx,
			   "the scenario names %zu zoned devices, only the first %d are checked", n,
			   ZONED_MAX_TARGETS);
	for (size_t i = 0; i < n && i < ZONED_MAX_TARGETS; i++) {
		const struct zoned_target *t = &targets[i];
		struct zoned_queue q, head;
		char who[128];
		struct model_ctx m = { .ctx = ctx, .t = t, .q = &q, .who = who };

		if (t->error[0]) {
			check_fail(ctx, "%s", t->error);
			continue;
		}
		snprintf(who, sizeof(who), "%s (/dev/%s)", t->dev.name, t->node);
		if (zoned_target_queue(ctx->env->root, t, &q, &head) < 0) {
			check_fail(ctx,
				   "%s: no /sys/class/block/%s/queue: the device is missing: "
				   "see devices.present",
				   who, t->node);
			continue;
		}
		check_blocks(&m);
		if (!check_model(&m))
			continue;
		if (q.model == ZONED_NONE) {
			if (t->host_aware_as_regular)
				check_host_aware_as_regular(&m);
			else
				summary(&m);
			continue;
		}
		check_mpath_head(&m, &head);
		check_geometry(&m);
		check_scheduler(&m, kernel, release);
		summary(&m);
	}
	return 0;
}
