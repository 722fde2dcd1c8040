// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/blockstats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define QUERY_TIMEOUT_MS 5000

static uint64_t stat_u64(json_object *stats, const char *key)
{
	json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(stats, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	n = json_object_get_int64(v);
	return n < 0 ? 0 : n;
}

int blockstats_from_reply(json_object *ret, const char *device, struct blockstats *b)
{
	size_t n = json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;

	*b = (struct blockstats){ 0 };
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ret, i), *name, *stats;

		if (!json_object_object_get_ex(e, "device", &name) ||
		    strcmp(json_object_get_string(name) ?: "", device) ||
		    !json_object_object_get_ex(e, "stats", &stats))
			continue;
		b->wr_operations = stat_u64(stats, "wr_operations");
		b->wr_bytes = stat_u64(stats, "wr_bytes");
		b->wr_highest_offset = stat_u64(stats, "wr_highest_offset");
		b->unmap_operations = stat_u64(stats, "unmap_operations");
		b->unmap_bytes = stat_u64(stats, "unmap_bytes");
		b->flush_operations = stat_u64(stats, "flush_operations");
		b->valid = true;
		return 0;
	}
	snprintf(b->error, sizeof(b->error), "query-blockstats has no drive '%s'", device);
	return -ENOENT;
}

int blockstats_query(struct qmp *q, const char *device, struct blockstats *b)
{
	json_object *ret = NULL;
	int r;

	*b = (struct blockstats){ 0 };
	if (!q) {
		snprintf(b->error, sizeof(b->error), "QMP was not connected");
		return -ENOTCONN;
	}
	r = qmp_execute(q, "query-blockstats", NULL, QUERY_TIMEOUT_MS, &ret);
	if (r < 0) {
		snprintf(b->error, sizeof(b->error), "%s", qmp_error(q));
		return r;
	}
	r = blockstats_from_reply(ret, device, b);
	json_object_put(ret);
	return r;
}
