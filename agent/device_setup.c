// SPDX-License-Identifier: GPL-2.0-or-later
#include "device_setup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device_kind.h"
#include "errmsg.h"
#include "modules.h"
#include "units.h"

#include "zoned/guest_devices.h"

#define CONFIGFS_MOUNT "/sys/kernel/config"

/* A null-blk key and the configfs attribute it becomes. */
static const struct {
	const char *key, *attr;
	enum { NB_MIB, NB_UINT, NB_BOOL, NB_BYTES } kind;
	bool zoned_only;
} nullb_keys[] = {
	{ "size", "size", NB_MIB, false },
	{ "block_size", "blocksize", NB_BYTES, false },
	{ "no_sched", "no_sched", NB_BOOL, false },
	{ "zone_size", "zone_size", NB_MIB, true },
	{ "zone_capacity", "zone_capacity", NB_MIB, true },
	{ "conv_zones", "zone_nr_conv", NB_UINT, true },
	{ "max_open", "zone_max_open", NB_UINT, true },
	{ "max_active", "zone_max_active", NB_UINT, true },
};

static int add_attr(struct nullb_attr *out, size_t max, size_t *n, const char *name,
		    unsigned long long value)
{
	if (*n >= max)
		return -E2BIG;
	snprintf(out[*n].name, sizeof(out[*n].name), "%s", name);
	snprintf(out[*n].value, sizeof(out[*n].value), "%llu", value);
	(*n)++;
	return 0;
}

static const char *section_get(const struct config_section *sec, const char *key)
{
	const struct config_entry *e = config_entry(sec, key);

	return e ? e->value : NULL;
}

/* A key's value, the default when absent; -EINVAL with a message when unreadable. */
static int key_value(const struct config_section *sec, const char *key, int kind, uint64_t fallback,
		     uint64_t *out, char *err, size_t errsize)
{
	const char *v = section_get(sec, key);
	int b, r;

	*out = fallback;
	if (!v)
		return 0;
	if (kind == NB_BOOL) {
		r = parse_bool(v, &b);
		*out = b;
	} else if (kind == NB_UINT) {
		r = parse_u64(v, out);
	} else {
		r = parse_size(v, out);
		if (r == 0 && kind == NB_MIB && *out % GUEST_ZONED_SIZE_UNIT)
			r = -EINVAL;
	}
	if (r < 0)
		return errmsg(err, errsize, r, "%s = '%s' cannot be given to the driver%s", key, v,
			      kind == NB_MIB ? ": it takes whole MiB" : "");
	return 0;
}

int null_blk_attrs(const struct config_section *sec, struct nullb_attr *out, size_t max, char *err,
		   size_t errsize)
{
	uint64_t zoned, v;
	size_t n = 0;
	int r;

	r = key_value(sec, "zoned", NB_BOOL, 1, &zoned, err, errsize);
	if (r < 0)
		return r;
	if (!section_get(sec, "size"))
		return errmsg(err, errsize, -EINVAL,
			      "no size: the runner writes one for every null-blk");
	/* memory_backed: written data is kept, so what is written can be read back. */
	if (add_attr(out, max, &n, "memory_backed", 1) < 0 ||
	    add_attr(out, max, &n, "zoned", zoned) < 0)
		return -E2BIG;
	for (size_t i = 0; i < ARRAY_SIZE(nullb_keys); i++) {
		uint64_t fallback = 0;

		if (nullb_keys[i].zoned_only && !zoned)
			continue;
		if (!strcmp(nullb_keys[i].key, "zone_size"))
			fallback = GUEST_ZONED_ZONE_SIZE;
		else if (!strcmp(nullb_keys[i].key, "block_size"))
			fallback = GUEST_ZONED_BLOCK_SIZE;
		else if (!strcmp(nullb_keys[i].key, "zone_capacity") ||
			 !strcmp(nullb_keys[i].key, "no_sched"))
			if (!section_get(sec, nullb_keys[i].key))
				continue; /* the driver's default: capacity = zone size */
		r = key_value(sec, nullb_keys[i].key, nullb_keys[i].kind, fallback, &v, err,
			      errsize);
		if (r < 0)
			return r;
		if (nullb_keys[i].kind == NB_MIB)
			v /= GUEST_ZONED_SIZE_UNIT;
		if (add_attr(out, max, &n, nullb_keys[i].attr, v) < 0)
			return -E2BIG;
	}
	if (add_attr(out, max, &n, "power", 1) < 0)
		return -E2BIG;
	return n;
}

int scsi_debug_params(const struct config_section *sec, char *buf, size_t size, char *err,
		      size_t errsize)
{
	const char *model = section_get(sec, "model") ?: "host-managed";
	uint64_t bytes, bs, zone, conv, open, queues;
	size_t n;
	int r;

	if (!section_get(sec, "size"))
		return errmsg(err, errsize, -EINVAL,
			      "no size: the runner writes one for every scsi-debug");
	if ((r = key_value(sec, "size", NB_MIB, 0, &bytes, err, errsize)) < 0 ||
	    (r = key_value(sec, "block_size", NB_BYTES, GUEST_ZONED_BLOCK_SIZE, &bs, err,
			   errsize)) < 0 ||
	    (r = key_value(sec, "zone_size", NB_MIB, GUEST_ZONED_ZONE_SIZE, &zone, err, errsize)) <
		    0 ||
	    (r = key_value(sec, "conv_zones", NB_UINT, 0, &conv, err, errsize)) < 0 ||
	    (r = key_value(sec, "max_open", NB_UINT, 0, &open, err, errsize)) < 0 ||
	    (r = key_value(sec, "submit_queues", NB_UINT, 1, &queues, err, errsize)) < 0)
		return r;
	if (queues < 1 || queues > 8)
		return errmsg(err, errsize, -EINVAL, "submit_queues = %llu: use 1 to 8",
			      (unsigned long long)queues);
	if (strcmp(model, "host-managed") && strcmp(model, "host-aware") && strcmp(model, "none"))
		return errmsg(err, errsize, -EINVAL,
			      "model = '%s': use host-managed, host-aware or none", model);
	/* Every zoned parameter is given, so the disk never depends on the driver's defaults. */
	if (!strcmp(model, "none"))
		r = snprintf(buf, size, "dev_size_mb=%llu sector_size=%llu zbc=none",
			     (unsigned long long)(bytes / GUEST_ZONED_SIZE_UNIT),
			     (unsigned long long)bs);
	else
		r = snprintf(buf, size,
			     "dev_size_mb=%llu sector_size=%llu zbc=%s zone_size_mb=%llu "
			     "zone_nr_conv=%llu zone_max_open=%llu",
			     (unsigned long long)(bytes / GUEST_ZONED_SIZE_UNIT),
			     (unsigned long long)bs, model,
			     (unsigned long long)(zone / GUEST_ZONED_SIZE_UNIT),
			     (unsigned long long)conv, (unsigned long long)open);
	if (r < 0 || (size_t)r >= size)
		return -E2BIG;
	/* Only when asked: the parameter lines the tests compare stay as they were. */
	if (queues > 1) {
		n = r;
		r = snprintf(buf + n, size - n, " submit_queues=%llu", (unsigned long long)queues);
		if (r < 0 || (size_t)r >= size - n)
			return -E2BIG;
	}
	return 0;
}

static int write_attr(const char *dir, const struct nullb_attr *a)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	size_t len = strlen(a->value);

	snprintf(path, sizeof(path), "%s/%s", dir, a->name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, a->value, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	return 0;
}

/* One null_blk device through configfs, named after its guest node. */
static int make_null_blk(const struct config_section *sec, const char *name, struct module_load *m)
{
	struct nullb_attr attrs[16];
	const char *node = section_get(sec, "node") ?: name;
	char dir[PATH_MAX];
	char why[96];
	int n = null_blk_attrs(sec, attrs, ARRAY_SIZE(attrs), why, sizeof(why));

	if (n < 0) {
		snprintf(m->detail, sizeof(m->detail), "%s: %s", name, why);
		return n;
	}
	snprintf(dir, sizeof(dir), NULLB_CONFIGFS "/%s", node);
	if (mkdir(dir, 0755) < 0) {
		int r = -errno;

		snprintf(m->detail, sizeof(m->detail), "%s: mkdir %s failed: is configfs mounted?",
			 name, dir);
		return r;
	}
	for (int i = 0; i < n; i++) {
		int r = write_attr(dir, &attrs[i]);

		if (r < 0) {
			snprintf(m->detail, sizeof(m->detail),
				 "%s: %s/%s = %s refused: see the console for null_blk's reason",
				 name, dir, attrs[i].name, attrs[i].value);
			return r;
		}
	}
	return 0;
}

static size_t setup_null_blk(const struct config *cfg, const char *release, struct module_load *out,
			     size_t max)
{
	size_t n = 0;
	bool loaded = false;

	for (size_t i = 0; i < cfg->nsections && n < max; i++) {
		const struct config_section *sec = &cfg->sections[i];
		const char *name = config_section_suffix(sec, "device");
		const struct device_kind *kind = device_kind_find(section_get(sec, "type"));
		struct module_load m = { .name = "null_blk" };

		if (!name || kind != &null_blk_kind)
			continue;
		if (!loaded) {
			/* nr_devices=0: no default 250 GB nullb0, only the devices asked for. */
			if (module_load_params(release, "null_blk", "nr_devices=0", &out[n]) < 0)
				return n + 1;
			n++;
			loaded = true;
			if (mount("configfs", CONFIGFS_MOUNT, "configfs", 0, NULL) < 0 &&
			    errno != EBUSY) {
				snprintf(m.detail, sizeof(m.detail),
					 "mount configfs on %s failed: %s", CONFIGFS_MOUNT,
					 strerror(errno));
				m.error = -errno;
				out[n++] = m;
				return n;
			}
		}
		m.error = make_null_blk(sec, name, &m);
		if (m.error && n < max)
			out[n++] = m;
	}
	return n;
}

static size_t setup_scsi_debug(const struct config *cfg, const char *release,
			       struct module_load *out, size_t max)
{
	for (size_t i = 0; i < cfg->nsections && max; i++) {
		const struct config_section *sec = &cfg->sections[i];
		const char *name = config_section_suffix(sec, "device");
		const struct device_kind *kind = device_kind_find(section_get(sec, "type"));
		char params[256];

		if (!name || kind != &scsi_debug_kind)
			continue;
		*out = (struct module_load){ .name = "scsi_debug" };
		out->error = scsi_debug_params(sec, params, sizeof(params), out->detail,
					       sizeof(out->detail));
		if (!out->error)
			module_load_params(release, "scsi_debug", params, out);
		/* Its parameters hold for every disk it makes: the runner allows one. */
		return 1;
	}
	return 0;
}

size_t device_setup(const struct config *cfg, const char *release, struct module_load *out,
		    size_t max)
{
	size_t n = setup_null_blk(cfg, release, out, max);

	if (n < max)
		n += setup_scsi_debug(cfg, release, out + n, max - n);
	for (size_t i = 0; i < n; i++)
		if (out[i].error)
			fprintf(stderr, "guestcheck-agent: %s: %s: %s\n", out[i].name,
				strerror(-out[i].error), out[i].detail);
	return n;
}
