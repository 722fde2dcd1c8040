// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.views: four views of each zoned device, one verdict. The kernel's
 * zone report (BLKREPORTZONE) and ioctls (BLKGETNRZONES, BLKGETZONESZ), the
 * sysfs queue attributes, and the device's own report read around the block
 * layer (native_report.h), zone by zone in batches, then the whole-device
 * facts, with the scenario's expectations beside them (views.c). Read-only:
 * every device is opened O_RDONLY and only reports are asked for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "clock.h"
#include "native_report.h"
#include "units.h"
#include "views.h"
#include "zone_io.h"
#include "zoned.h"

/* Which reader reads a node's own report; NULL with the reason where none can. */
static const struct {
	const char *prefix;
	const struct native_reader *reader;
	const char *none;
} readers[] = {
	{ "nvme", &native_reader_nvme, NULL },
	{ "sd", &native_reader_scsi, NULL },
	{ "nullb", NULL,
	  "null_blk has no device of its own (the driver answers the block layer from "
	  "memory): there is no report around the block layer to read" },
};

static const struct native_reader *reader_for(const char *node, const char **none)
{
	for (size_t i = 0; i < ARRAY_SIZE(readers); i++)
		if (!strncmp(node, readers[i].prefix, strlen(readers[i].prefix))) {
			*none = readers[i].none;
			return readers[i].reader;
		}
	*none = "no reader for this kind of device's own report (NVMe and SCSI only)";
	return NULL;
}

struct views_run {
	struct check_ctx *ctx;
	const struct zoned_target *t;
	const struct native_reader *reader; /* NULL: kernel views only */
	struct native_dev dev;
	struct zone_views v;
	const char *who;
	int fd;
	uint64_t size; /* sectors */
};

/* The views that need no zone walk: sysfs, the ioctls, the scenario. */
static void fixed_views(struct views_run *run, const struct zoned_queue *q,
			const struct zoned_queue *head, uint32_t nr, uint32_t zsz)
{
	const struct zoned_expect *e = &run->t->expect;
	uint64_t *sys = run->v.geo[VIEW_SYSFS].v, *io = run->v.geo[VIEW_IOCTL].v;
	uint64_t *sc = run->v.geo[VIEW_SCENARIO].v;

	/* ZONED_UNSET (not readable on this kernel) is VIEW_UNSTATED. */
	sys[VF_NR_ZONES] = q->nr_zones;
	sys[VF_ZONE_SIZE] = q->chunk_sectors;
	sys[VF_SIZE] = q->size_sectors;
	sys[VF_BLOCK_SIZE] = q->logical_block_size;
	sys[VF_MAX_OPEN] = q->max_open;
	sys[VF_MAX_ACTIVE] = q->max_active;
	if (run->t->path[0]) {
		uint64_t *h = run->v.geo[VIEW_HEAD].v;

		h[VF_MAX_OPEN] = head->max_open;
		h[VF_MAX_ACTIVE] = head->max_active;
	}
	io[VF_NR_ZONES] = nr;
	io[VF_ZONE_SIZE] = zsz;
	/*
	 * What the scenario asks of the zones themselves; its limits and
	 * scheduler are zoned.queue_model's to judge.
	 */
	sc[VF_NR_ZONES] = e->nr_zones;
	if (e->zone_bytes != ZONED_UNSET)
		sc[VF_ZONE_SIZE] = e->zone_bytes / 512;
	if (e->cap_bytes != ZONED_UNSET)
		sc[VF_ZONE_CAP] = e->cap_bytes / 512;
	sc[VF_BLOCK_SIZE] = e->block_size;
}

/* Both reports from sector 0 on, batch by batch, pair by pair. 0, or -errno (reported). */
static int walk(struct views_run *run, size_t *batches)
{
	_cleanup_free_ struct blk_zone_report *rep = zone_report_alloc(ZONE_REPORT_BATCH);
	_cleanup_free_ struct view_zone *kz = calloc(ZONE_REPORT_BATCH, sizeof(*kz));
	_cleanup_free_ struct view_zone *dz = calloc(ZONE_REPORT_BATCH, sizeof(*dz));
	bool device_done = !run->reader;
	uint64_t sector = 0, kernel_zones = 0;
	/* As many kernel zones per call as the device gives: none is read twice. */
	unsigned int batch = run->reader && run->dev.max_zones < ZONE_REPORT_BATCH
				     ? run->dev.max_zones
				     : ZONE_REPORT_BATCH;

	if (!batch)
		batch = 1; /* a queue that takes less than one descriptor: one at a time */
	int r;

	if (!rep || !kz || !dz)
		return -ENOMEM;
	while (sector < run->size) {
		size_t nk, nd = 0, m;

		r = zone_report(run->fd, rep, sector, batch);
		if (r < 0) {
			check_fail(run->ctx, "%s: BLKREPORTZONE from sector %llu failed: %s",
				   run->who, (unsigned long long)sector, strerror(-r));
			return r;
		}
		nk = rep->nr_zones;
		if (!*batches)
			run->v.rep_capacity = rep->flags & BLK_ZONE_REP_CAPACITY;
		for (size_t i = 0; i < nk; i++)
			kz[i] = view_zone_from_blk(&rep->zones[i], run->v.rep_capacity);
		if (!device_done && nk) {
			r = run->reader->report(&run->dev, sector, dz, nk, &nd);
			if (r < 0) {
				check_fail(run->ctx, "%s: %s", run->who, run->dev.why);
				return r;
			}
			/* The device ran out first: its count says so; the kernel's goes on. */
			device_done = !nd;
		}
		m = device_done || nd > nk ? nk : nd;
		if (!m)
			break;
		(*batches)++;
		zone_views_zones(&run->v, kz, device_done ? NULL : dz, m);
		kernel_zones += m;
		/* A report that does not move forward would loop for ever. */
		if (kz[m - 1].start + kz[m - 1].len <= sector)
			break;
		sector = kz[m - 1].start + kz[m - 1].len;
	}
	run->v.geo[VIEW_REPORT].v[VF_NR_ZONES] = kernel_zones;
	return 0;
}

static void report_findings(struct views_run *run)
{
	const struct zone_views *v = &run->v;
	char msg[512];

	for (size_t i = 0; i < v->nkept; i++) {
		view_finding_format(v, &v->kept[i], msg, sizeof(msg));
		check_fail(run->ctx, "%s: views disagree: %s", run->who, msg);
	}
	for (size_t i = 0; i < v->nhead; i++) {
		view_finding_format(v, &v->head[i], msg, sizeof(msg));
		check_note(run->ctx,
			   "%s: views disagree on the NVMe multipath head: %s; the verdict follows "
			   "its path %s, where the I/O goes, but software that reads the head's "
			   "attributes (zonefs, f2fs, btrfs) sees the head's",
			   run->who, msg, run->t->path);
	}
	for (int f = 0; f < VF_NR; f++) {
		uint64_t shown = 0;

		for (size_t i = 0; i < v->nkept; i++)
			shown += v->kept[i].field == (enum view_field)f;
		if (v->count[f] > shown)
			check_fail(run->ctx, "%s: and %llu more disagreements on the %s", run->who,
				   (unsigned long long)(v->count[f] - shown), view_field_name(f));
	}
}

/* Zone capacity below zone size, where a tool built against older headers sees none. */
static void capacity_trap(struct views_run *run)
{
	const uint64_t *k = run->v.geo[VIEW_REPORT].v, *d = run->v.geo[VIEW_DEVICE].v;
	char cap[32], size[32];
	uint64_t zcap = d[VF_ZONE_CAP] != VIEW_UNSTATED ? d[VF_ZONE_CAP] : k[VF_ZONE_CAP];
	uint64_t zsize = run->v.geo[VIEW_IOCTL].v[VF_ZONE_SIZE];

	if (zcap == VIEW_UNSTATED || zsize == VIEW_UNSTATED || zcap >= zsize)
		return;
	format_size(zcap * 512, cap, sizeof(cap));
	format_size(zsize * 512, size, sizeof(size));
	if (!run->v.rep_capacity) {
		check_fail(run->ctx,
			   "%s: the zones hold %s of %s, but BLKREPORTZONE sets no "
			   "BLK_ZONE_REP_CAPACITY: this kernel (before 5.9) cannot state zone "
			   "capacity, and every tool on it writes past it: use Linux 5.9 or later",
			   run->who, cap, size);
		return;
	}
	check_note(run->ctx,
		   "%s: zone capacity %s below zone size %s, stated by BLKREPORTZONE "
		   "(BLK_ZONE_REP_CAPACITY)%s; a tool built against linux/blkzoned.h before "
		   "5.9, or one that tests BLK_ZONE_REP_CAPACITY with #ifdef (it is an enum, not "
		   "a macro), reads the capacity as the zone size, %s, and its writes past %s fail",
		   run->who, cap, size, run->reader ? " and by the device" : "", size, cap);
}

static void summary(struct views_run *run, const char *none, size_t batches, double ms)
{
	const uint64_t *g = run->v.geo[VIEW_IOCTL].v, *s = run->v.geo[VIEW_SYSFS].v;
	char zone[32], cap[32], dev[32], open[24] = "none", active[24] = "none";
	uint64_t zcap = run->v.geo[VIEW_REPORT].v[VF_ZONE_CAP];

	format_size(g[VF_ZONE_SIZE] * 512, zone, sizeof(zone));
	format_size((zcap == VIEW_UNSTATED ? g[VF_ZONE_SIZE] : zcap) * 512, cap, sizeof(cap));
	format_size(s[VF_SIZE] * 512, dev, sizeof(dev));
	if (s[VF_MAX_OPEN] && s[VF_MAX_OPEN] != VIEW_UNSTATED)
		snprintf(open, sizeof(open), "%llu", (unsigned long long)s[VF_MAX_OPEN]);
	if (s[VF_MAX_ACTIVE] && s[VF_MAX_ACTIVE] != VIEW_UNSTATED)
		snprintf(active, sizeof(active), "%llu", (unsigned long long)s[VF_MAX_ACTIVE]);
	if (!run->reader)
		check_note(run->ctx, "%s: %s; the kernel's views only", run->who, none);
	check_note(run->ctx,
		   "%s: %s: %llu zones of %s (capacity %s), %s, blocks of %llu, max open %s, "
		   "max active %s; views: BLKREPORTZONE, BLKGETNRZONES/BLKGETZONESZ, sysfs%s%s; "
		   "%llu zones compared%s%s%s in %.1f ms (%zu batch%s)",
		   run->who, run->v.total ? "the views disagree (above)" : "the views agree",
		   (unsigned long long)g[VF_NR_ZONES], zone, cap, dev,
		   (unsigned long long)s[VF_BLOCK_SIZE], open, active, run->reader ? ", " : "",
		   run->reader ? run->dev.source : "", (unsigned long long)run->v.zones,
		   run->reader ? " one by one (" : "", run->reader ? run->reader->compared : "",
		   run->reader ? ")" : "", ms, batches, batches == 1 ? "" : "es");
}

static void compare(struct views_run *run, const struct zoned_queue *q,
		    const struct zoned_queue *head)
{
	uint32_t nr = 0, zsz = 0;
	const char *none = NULL;
	size_t batches = 0;
	double start = now_s();

	if (ioctl(run->fd, BLKGETNRZONES, &nr) < 0 || ioctl(run->fd, BLKGETZONESZ, &zsz) < 0) {
		check_fail(run->ctx,
			   "%s: BLKGETNRZONES/BLKGETZONESZ failed: %s: the kernel does not treat "
			   "the device as zoned",
			   run->who, strerror(errno));
		return;
	}
	zone_views_init(&run->v, NULL);
	fixed_views(run, q, head, nr, zsz);
	run->reader = reader_for(run->t->node, &none);
	if (run->reader) {
		if (run->reader->open(&run->dev, run->ctx->env->root, run->t->node) < 0 ||
		    run->reader->geometry(&run->dev, &run->v.geo[VIEW_DEVICE]) < 0) {
			check_fail(run->ctx,
				   "%s: the device's own report could not be read: %s: the "
				   "agent needs root, and for NVMe the generic device /dev/ngXnY",
				   run->who, run->dev.why);
			return;
		}
		run->v.device_source = run->dev.source;
	}
	if (walk(run, &batches) < 0)
		return;
	if (run->reader)
		/* Gap zones (ZBC-2) are listed by the device and left out by the kernel. */
		run->v.geo[VIEW_DEVICE].v[VF_NR_ZONES] = run->dev.listed - run->dev.gaps;
	zone_views_finish(&run->v);
	report_findings(run);
	summary(run, none, batches, (now_s() - start) * 1e3);
	capacity_trap(run);
}

static void check_one(struct check_ctx *ctx, const struct zoned_target *t)
{
	struct zoned_queue q, head;
	char who[128];
	struct views_run run = { .ctx = ctx, .t = t, .who = who, .dev = { .fd = -1 } };

	snprintf(who, sizeof(who), "%s (/dev/%s)", t->dev.name, t->node);
	if (!zoned_target_has_zones(ctx, t, zoned_target_queue(ctx->env->root, t, &q, &head), &q,
				    who, "no zones to compare", "no zones to compare"))
		return;
	run.size = q.size_sectors;
	run.fd = zoned_open(ctx->env->root, t->node, O_RDONLY);
	if (run.fd < 0) {
		check_fail(ctx, "%s: open for reading failed: %s", who, strerror(-run.fd));
		return;
	}
	compare(&run, &q, &head);
	if (run.reader)
		run.reader->close(&run.dev);
	close(run.fd);
}

int check_zoned_views(struct check_ctx *ctx)
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
