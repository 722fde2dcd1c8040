// SPDX-License-Identifier: GPL-2.0-or-later
#include "views.h"

#include <stdio.h>
#include <string.h>

#include "units.h"

/* How a field's values read, and what the numbers count. */
enum view_value { VV_NUM, VV_SECTOR, VV_SIZE, VV_TYPE, VV_COND, VV_LIMIT };

static const struct {
	const char *name;
	const char *unit;
	enum view_value value;
} fields[VF_NR] = {
	[VF_TYPE] = { "zone type", "", VV_TYPE },
	[VF_COND] = { "zone condition", "", VV_COND },
	[VF_START] = { "zone start", "", VV_SECTOR },
	[VF_LEN] = { "zone length", " sectors", VV_SIZE },
	[VF_CAP] = { "zone capacity", " sectors", VV_SIZE },
	[VF_WP] = { "write pointer", "", VV_SECTOR },
	[VF_NR_ZONES] = { "number of zones", "", VV_NUM },
	[VF_ZONE_SIZE] = { "zone size", " sectors", VV_SIZE },
	[VF_ZONE_CAP] = { "zone capacity of the first sequential zone", " sectors", VV_SIZE },
	[VF_SIZE] = { "device capacity", " sectors", VV_SIZE },
	[VF_BLOCK_SIZE] = { "logical block size", " bytes", VV_NUM },
	[VF_MAX_OPEN] = { "open zone limit", "", VV_LIMIT },
	[VF_MAX_ACTIVE] = { "active zone limit", "", VV_LIMIT },
};

static const char *const view_names[VIEW_NR] = {
	[VIEW_DEVICE] = NULL, /* the device's own: zone_views.device_source */
	[VIEW_REPORT] = "BLKREPORTZONE",
	[VIEW_IOCTL] = "BLKGETNRZONES/BLKGETZONESZ",
	[VIEW_SYSFS] = "sysfs",
	[VIEW_HEAD] = "sysfs of the multipath head",
	[VIEW_SCENARIO] = "the scenario",
};

/* Where sysfs states each field, so a message can name the attribute. */
static const char *const sysfs_attr[VF_NR] = {
	[VF_NR_ZONES] = "queue/nr_zones",
	[VF_ZONE_SIZE] = "queue/chunk_sectors",
	[VF_SIZE] = "size",
	[VF_BLOCK_SIZE] = "queue/logical_block_size",
	[VF_MAX_OPEN] = "queue/max_open_zones",
	[VF_MAX_ACTIVE] = "queue/max_active_zones",
};

void zone_views_init(struct zone_views *v, const char *device_source)
{
	*v = (struct zone_views){ .device_source = device_source };
	for (int i = 0; i < VIEW_NR; i++)
		for (int f = 0; f < VF_NR; f++)
			v->geo[i].v[f] = VIEW_UNSTATED;
}

struct view_zone view_zone_from_blk(const struct blk_zone *z, bool rep_capacity)
{
	return (struct view_zone){ .start = z->start,
				   .len = z->len,
				   .capacity = rep_capacity ? z->capacity : z->len,
				   .wp = z->wp,
				   .type = z->type,
				   .cond = z->cond };
}

static void keep(struct zone_views *v, const struct view_finding *f)
{
	v->total++;
	if (v->count[f->field]++ < VIEW_KEEP_PER_FIELD && v->nkept < VIEW_KEEP_MAX)
		v->kept[v->nkept++] = *f;
}

static void differ(struct zone_views *v, enum view_field field, uint64_t i,
		   const struct view_zone *k, uint64_t kv, uint64_t dv)
{
	struct view_finding f = { .field = field,
				  .zone = i,
				  .start = k->start,
				  .a = VIEW_REPORT,
				  .b = VIEW_DEVICE,
				  .va = kv,
				  .vb = dv };

	if (kv != VIEW_UNSTATED && dv != VIEW_UNSTATED && kv != dv)
		keep(v, &f);
}

/* The conditions in which ZNS and ZBC define a write pointer. */
static bool wp_defined(const struct view_zone *z)
{
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return false;
	switch (z->cond) {
	case BLK_ZONE_COND_EMPTY:
	case BLK_ZONE_COND_IMP_OPEN:
	case BLK_ZONE_COND_EXP_OPEN:
	case BLK_ZONE_COND_CLOSED:
		return true;
	default: /* full, read-only, offline: the kernel puts a full zone's at its end */
		return false;
	}
}

static void first_sequential(struct zone_views *v, enum view_id id, const struct view_zone *z)
{
	uint64_t *g = v->geo[id].v;

	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL || g[VF_ZONE_CAP] != VIEW_UNSTATED)
		return;
	g[VF_ZONE_CAP] = z->capacity;
	if (g[VF_ZONE_SIZE] == VIEW_UNSTATED)
		g[VF_ZONE_SIZE] = z->len;
}

static void compare_zone(struct zone_views *v, const struct view_zone *k, const struct view_zone *d)
{
	uint64_t i = v->zones++;

	first_sequential(v, VIEW_REPORT, k);
	first_sequential(v, VIEW_DEVICE, d);
	differ(v, VF_START, i, k, k->start, d->start);
	differ(v, VF_TYPE, i, k, k->type, d->type);
	differ(v, VF_COND, i, k, k->cond, d->cond);
	differ(v, VF_LEN, i, k, k->len, d->len);
	if (k->type != BLK_ZONE_TYPE_CONVENTIONAL)
		differ(v, VF_CAP, i, k, k->capacity, d->capacity);
	/* Where one view has no pointer to give, the other's is not compared. */
	if (wp_defined(k) && wp_defined(d))
		differ(v, VF_WP, i, k, k->wp, d->wp);
}

void zone_views_zones(struct zone_views *v, const struct view_zone *kernel,
		      const struct view_zone *device, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (device) {
			compare_zone(v, &kernel[i], &device[i]);
			continue;
		}
		first_sequential(v, VIEW_REPORT, &kernel[i]);
		v->zones++;
	}
}

void zone_views_finish(struct zone_views *v)
{
	for (int f = VF_FIRST_DEVICE_FIELD; f < VF_NR; f++) {
		int ref = -1;

		for (int id = 0; id < VIEW_NR; id++) {
			uint64_t val = v->geo[id].v[f];
			struct view_finding finding = { .field = f };

			if (val == VIEW_UNSTATED)
				continue;
			if (ref < 0) {
				ref = id;
				continue;
			}
			if (val == v->geo[ref].v[f])
				continue;
			finding.a = ref;
			finding.va = v->geo[ref].v[f];
			finding.b = id;
			finding.vb = val;
			if (id == VIEW_HEAD)
				v->head[v->nhead++] = finding;
			else
				keep(v, &finding);
		}
	}
}

const char *view_field_name(enum view_field f)
{
	return f < VF_NR ? fields[f].name : "unknown field";
}

const char *view_name(const struct zone_views *v, enum view_id id)
{
	if (id == VIEW_DEVICE)
		return v->device_source ? v->device_source : "the device";
	return id < VIEW_NR ? view_names[id] : "unknown view";
}

static void format_value(enum view_field f, uint64_t value, char *buf, size_t size)
{
	char bytes[32];

	switch (fields[f].value) {
	case VV_TYPE:
		snprintf(buf, size, "%s", zone_type_name(value));
		break;
	case VV_COND:
		snprintf(buf, size, "%s", zone_cond_name(value));
		break;
	case VV_LIMIT:
		if (!value) {
			snprintf(buf, size, "none");
			break;
		}
		/* fall through */
	case VV_NUM:
		snprintf(buf, size, "%llu%s", (unsigned long long)value, fields[f].unit);
		break;
	case VV_SECTOR:
		snprintf(buf, size, "sector %llu", (unsigned long long)value);
		break;
	case VV_SIZE: /* sectors, and what they make: "8192 sectors (4 MiB)" */
		snprintf(buf, size, "%llu sectors (%s)", (unsigned long long)value,
			 format_size(value * 512, bytes, sizeof(bytes)));
		break;
	}
}

/* "sysfs (queue/chunk_sectors)", "BLKREPORTZONE" */
static void source(const struct zone_views *v, enum view_id id, enum view_field f, char *buf,
		   size_t size)
{
	if ((id == VIEW_SYSFS || id == VIEW_HEAD) && sysfs_attr[f])
		snprintf(buf, size, "%s (%s)", view_name(v, id), sysfs_attr[f]);
	else if (id == VIEW_IOCTL && f == VF_NR_ZONES)
		snprintf(buf, size, "BLKGETNRZONES");
	else if (id == VIEW_IOCTL && f == VF_ZONE_SIZE)
		snprintf(buf, size, "BLKGETZONESZ");
	else
		snprintf(buf, size, "%s", view_name(v, id));
}

/* What a view does with a value: a scenario expects it, the others state it. */
static const char *verb(enum view_id id)
{
	return id == VIEW_SCENARIO ? "expects" : "says";
}

void view_finding_format(const struct zone_views *v, const struct view_finding *f, char *buf,
			 size_t size)
{
	char a[64], b[64], sa[96], sb[96], where[64] = "";

	format_value(f->field, f->va, a, sizeof(a));
	format_value(f->field, f->vb, b, sizeof(b));
	source(v, f->a, f->field, sa, sizeof(sa));
	source(v, f->b, f->field, sb, sizeof(sb));
	if (f->field < VF_FIRST_DEVICE_FIELD)
		snprintf(where, sizeof(where),
			 "zone %llu (sector %llu): ", (unsigned long long)f->zone,
			 (unsigned long long)f->start);
	snprintf(buf, size, "%s%s: %s %s %s, %s %s %s", where, fields[f->field].name, sa,
		 verb(f->a), a, sb, verb(f->b), b);
}
