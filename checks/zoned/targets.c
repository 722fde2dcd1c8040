// SPDX-License-Identifier: GPL-2.0-or-later
/* The scenario's zoned devices and what each must look like in the guest. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_devices.h"
#include "units.h"
#include "zoned.h"

#include "devices/locate.h"

/*
 * How each zoned device type states its geometry. The keys have the same
 * names in every type (zone_size, zone_capacity, conv_zones, max_open,
 * max_active, block_size); a type without one of them has a fixed value.
 */
struct zoned_type {
	const struct device_kind *kind;
	const char *model_key; /* NULL: always `model`; "zoned": yes/no; "model": a model name */
	enum zoned_model model;
	uint64_t zone_size;
	uint64_t block_size;
};

static const struct zoned_type zoned_types[] = {
	{ &nvme_zns_kind, NULL, ZONED_HOST_MANAGED, NVME_ZNS_ZONE_SIZE, NVME_ZNS_BLOCK_SIZE },
	{ &null_blk_kind, "zoned", ZONED_HOST_MANAGED, GUEST_ZONED_ZONE_SIZE,
	  GUEST_ZONED_BLOCK_SIZE },
	{ &scsi_debug_kind, "model", ZONED_HOST_MANAGED, GUEST_ZONED_ZONE_SIZE,
	  GUEST_ZONED_BLOCK_SIZE },
};

static const struct zoned_type *zoned_type_of(const struct device_kind *kind)
{
	for (size_t i = 0; kind && i < ARRAY_SIZE(zoned_types); i++)
		if (zoned_types[i].kind == kind)
			return &zoned_types[i];
	return NULL;
}

/* 1 when the key is there, 0 when absent, -EINVAL (message in t->error) when unreadable. */
static int key_number(struct zoned_target *t, const char *key, bool size, uint64_t *out)
{
	const char *v = check_device_get(&t->dev, key);

	if (!v)
		return 0;
	if ((size ? parse_size(v, out) : parse_u64(v, out)) == 0)
		return 1;
	snprintf(t->error, sizeof(t->error), "%s: %s = '%s' is not %s: fix the scenario",
		 t->dev.name, key, v, size ? "a size (e.g. 4M)" : "a whole number");
	return -EINVAL;
}

/* expect_KEY, else the type's KEY, else `fallback`. */
static uint64_t expectation(struct zoned_target *t, const char *key, bool size, bool type_key,
			    uint64_t fallback)
{
	char name[64];
	uint64_t v;

	snprintf(name, sizeof(name), "expect_%s", key);
	if (key_number(t, name, size, &v) == 1)
		return v;
	if (type_key && key_number(t, key, size, &v) == 1)
		return v;
	return fallback;
}

static int model_of(struct zoned_target *t, const struct zoned_type *type)
{
	const char *v = check_device_get(&t->dev, "expect_zoned");
	int yes;

	if (!v && type && type->model_key)
		v = check_device_get(&t->dev, type->model_key);
	if (!v)
		return type ? (int)type->model : -1;
	if (type && type->model_key && !strcmp(type->model_key, "zoned") &&
	    !check_device_get(&t->dev, "expect_zoned")) {
		if (parse_bool(v, &yes) == 0)
			return yes ? ZONED_HOST_MANAGED : ZONED_NONE;
	} else if (zoned_model_parse(v) != ZONED_MODEL_UNKNOWN) {
		return zoned_model_parse(v);
	}
	snprintf(t->error, sizeof(t->error),
		 "%s: zoned model '%s' is not one of host-managed, host-aware, none: fix the "
		 "scenario",
		 t->dev.name, v);
	return -1;
}

static void fill_expect(struct zoned_target *t, const struct zoned_type *type, unsigned int kernel)
{
	struct zoned_expect *e = &t->expect;
	bool typed = type != NULL, zoned;
	const char *sched = check_device_get(&t->dev, "expect_scheduler");
	const char *scratch = check_device_get(&t->dev, "scratch");
	uint64_t size = ZONED_UNSET;
	int yes = 0;

	e->model = model_of(t, type);
	if (e->model == ZONED_HOST_AWARE && kernel >= ZONED_NO_HOST_AWARE_VERSION) {
		e->model = ZONED_NONE;
		t->host_aware_as_regular = true;
	}
	zoned = e->model == ZONED_HOST_MANAGED || e->model == ZONED_HOST_AWARE;
	/* A regular disk has no zone geometry to expect. */
	if (!zoned && e->model != -1)
		typed = false;
	e->zone_bytes =
		expectation(t, "zone_size", true, typed, typed ? type->zone_size : ZONED_UNSET);
	e->cap_bytes = expectation(t, "zone_capacity", true, typed, e->zone_bytes);
	e->conv_zones = expectation(t, "conv_zones", false, typed, typed ? 0 : ZONED_UNSET);
	/* Host-aware disks advertise no limits: the kernel reports 0 for them. */
	e->max_open = expectation(t, "max_open", false, typed && e->model != ZONED_HOST_AWARE,
				  typed ? 0 : ZONED_UNSET);
	e->max_active = expectation(t, "max_active", false, typed && e->model != ZONED_HOST_AWARE,
				    typed ? 0 : ZONED_UNSET);
	e->block_size = expectation(t, "block_size", true, type != NULL,
				    type ? type->block_size : ZONED_UNSET);
	key_number(t, "size", true, &size); /* bytes in agent.ini, "64M" in a scenario */
	e->nr_zones = expectation(t, "nr_zones", false, false, ZONED_UNSET);
	if (e->nr_zones == ZONED_UNSET && typed && size != ZONED_UNSET && e->zone_bytes &&
	    e->zone_bytes != ZONED_UNSET)
		e->nr_zones = (size + e->zone_bytes - 1) / e->zone_bytes;
	snprintf(e->scheduler, sizeof(e->scheduler), "%s", sched ?: "");
	if (scratch && parse_bool(scratch, &yes) < 0)
		snprintf(t->error, sizeof(t->error), "%s: scratch = '%s': write yes or no",
			 t->dev.name, scratch);
	e->scratch = yes;
}

size_t zoned_targets(const struct check_env *env, struct zoned_target *out, size_t max)
{
	struct check_device devs[ZONED_MAX_TARGETS * 2];
	size_t n = check_devices(env, NULL, devs, ARRAY_SIZE(devs)), count = 0;
	char release[64];
	unsigned int kernel = zoned_kernel_version(env->root, release, sizeof(release));

	if (n > ARRAY_SIZE(devs))
		n = ARRAY_SIZE(devs);
	for (size_t i = 0; i < n; i++) {
		const struct zoned_type *type = zoned_type_of(devs[i].kind);
		struct located_device loc;
		struct zoned_target *t;

		if (!type && !check_device_get(&devs[i], "expect_zoned"))
			continue;
		if (count++ >= max)
			continue;
		t = &out[count - 1];
		*t = (struct zoned_target){ .dev = devs[i] };
		snprintf(t->release, sizeof(t->release), "%s", release);
		fill_expect(t, type, kernel);
		/* agent.ini always names the node; a scenario file given to --config may not. */
		if (device_locate(env, &devs[i], &loc) != -EPROTONOSUPPORT && loc.node[0]) {
			snprintf(t->node, sizeof(t->node), "%s", loc.node);
			snprintf(t->path, sizeof(t->path), "%s", loc.path);
			snprintf(t->subsys, sizeof(t->subsys), "%s", loc.subsys);
		} else if (!t->error[0])
			snprintf(t->error, sizeof(t->error),
				 "%s (%s): no node = in the configuration: name the guest's block "
				 "device, e.g. node = sda",
				 t->dev.name, t->dev.type);
	}
	return count;
}

static void read_u64_or_unset(const struct sysroot *root, const char *node, const char *attr,
			      uint64_t *out)
{
	if (sysroot_read_u64(root, out, "/sys/class/block/%s/queue/%s", node, attr) < 0)
		*out = ZONED_UNSET;
}

int zoned_queue_read(const struct sysroot *root, const char *node, struct zoned_queue *q)
{
	char *open, *close;

	*q = (struct zoned_queue){ 0 };
	if (!sysroot_exists(root, "/sys/class/block/%s/queue", node))
		return -ENOENT;
	/* Kernels before 4.10 have no queue/zoned: such a kernel sees no zones at all. */
	if (sysroot_read_line(root, q->zoned, sizeof(q->zoned), "/sys/class/block/%s/queue/zoned",
			      node) < 0)
		snprintf(q->zoned, sizeof(q->zoned), "none");
	q->model = zoned_model_parse(q->zoned);
	if (sysroot_read_u64(root, &q->size_sectors, "/sys/class/block/%s/size", node) < 0)
		q->size_sectors = ZONED_UNSET;
	read_u64_or_unset(root, node, "nr_zones", &q->nr_zones);
	read_u64_or_unset(root, node, "chunk_sectors", &q->chunk_sectors);
	read_u64_or_unset(root, node, "zone_append_max_bytes", &q->zone_append_max_bytes);
	read_u64_or_unset(root, node, "max_open_zones", &q->max_open);
	read_u64_or_unset(root, node, "max_active_zones", &q->max_active);
	read_u64_or_unset(root, node, "zone_write_granularity", &q->zone_write_granularity);
	read_u64_or_unset(root, node, "logical_block_size", &q->logical_block_size);
	read_u64_or_unset(root, node, "physical_block_size", &q->physical_block_size);
	sysroot_read_line(root, q->schedulers, sizeof(q->schedulers),
			  "/sys/class/block/%s/queue/scheduler", node);
	open = strchr(q->schedulers, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close)
		snprintf(q->scheduler, sizeof(q->scheduler), "%.*s", (int)(close - open - 1),
			 open + 1);
	else /* "none" alone is written without brackets */
		snprintf(q->scheduler, sizeof(q->scheduler), "%s", q->schedulers);
	return 0;
}

int zoned_target_queue(const struct sysroot *root, const struct zoned_target *t,
		       struct zoned_queue *q, struct zoned_queue *head)
{
	struct zoned_queue own, path;
	int r = zoned_queue_read(root, t->node, &own);

	if (r < 0)
		return r;
	*q = own;
	if (head)
		*head = own;
	if (!t->path[0] || zoned_queue_read(root, t->path, &path) < 0)
		return 0;
	q->max_open = path.max_open;
	q->max_active = path.max_active;
	snprintf(q->scheduler, sizeof(q->scheduler), "%s", path.scheduler);
	snprintf(q->schedulers, sizeof(q->schedulers), "%s", path.schedulers);
	return 0;
}

int zoned_scsi_zoned_cap(const struct sysroot *root, const char *node, char *buf, size_t size)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	int r = sysroot_path(root, path, sizeof(path), "/sys/class/block/%s/device/scsi_disk",
			     node);

	if (r < 0)
		return r;
	dir = opendir(path);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.' &&
		    sysroot_read_line(root, buf, size,
				      "/sys/class/block/%s/device/scsi_disk/%s/zoned_cap", node,
				      de->d_name) == 0)
			return 0;
	return -ENOENT;
}

void zoned_host_aware_note(struct check_ctx *ctx, const struct zoned_target *t, const char *what)
{
	check_note(ctx,
		   "%s (/dev/%s): %s: the scenario expects a host-aware disk, and Linux %s "
		   "treats host-aware disks as regular ones (since 6.8 the block layer has no "
		   "host-aware model: queue/zoned is host-managed or none)",
		   t->dev.name, t->node, what, t->release);
}

unsigned int zoned_kernel_version(const struct sysroot *root, char *release, size_t size)
{
	unsigned int major, minor;

	if (sysroot_read_line(root, release, size, "/proc/sys/kernel/osrelease") < 0) {
		snprintf(release, size, "unknown");
		return 0;
	}
	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return 0;
	return major * 1000 + minor;
}

int zoned_open(const struct sysroot *root, const char *node, int flags)
{
	char path[PATH_MAX];
	int r = sysroot_path(root, path, sizeof(path), "/dev/%s", node), fd;

	if (r < 0)
		return r;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

bool zoned_target_has_zones(struct check_ctx *ctx, const struct zoned_target *t, int r,
			    const struct zoned_queue *q, const char *who, const char *fail_words,
			    const char *note_words)
{
	const struct zoned_expect *e = &t->expect;

	if (r < 0) {
		check_fail(ctx,
			   "%s: no /sys/class/block/%s/queue: the device is missing: see "
			   "devices.present",
			   who, t->node);
		return false;
	}
	if (q->model != ZONED_NONE)
		return true;
	if (e->model == ZONED_HOST_MANAGED || e->model == ZONED_HOST_AWARE)
		check_fail(ctx,
			   "%s: %s: expected %s, the guest sees a regular disk (see "
			   "zoned.queue_model)",
			   who, fail_words, zoned_model_words(e->model));
	else if (t->host_aware_as_regular)
		zoned_host_aware_note(ctx, t, note_words);
	else
		check_note(ctx, "%s: a regular disk: %s", who, note_words);
	return false;
}
