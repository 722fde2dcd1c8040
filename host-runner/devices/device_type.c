// SPDX-License-Identifier: GPL-2.0-or-later
#include "devices/device_type.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "units.h"

const struct device_type *const device_types[] = {
#define DEVICE_TYPE(id, ...) &id##_device,
#include "device_types.def"
#undef DEVICE_TYPE
};

const size_t device_types_count = ARRAY_SIZE(device_types);

const struct device_type *device_type_find(const char *name)
{
	const struct device_kind *kind = device_kind_find(name);

	for (size_t i = 0; kind && i < device_types_count; i++)
		if (device_types[i]->kind == kind)
			return device_types[i];
	return NULL;
}

const char *device_type_names(char *buf, size_t size)
{
	return device_kind_names(buf, size);
}

const char *device_key(const struct scenario_device *dev, const char *key)
{
	const struct config_entry *e = config_entry(dev->section, key);

	return e ? e->value : NULL;
}

int device_key_line(const struct scenario_device *dev, const char *key)
{
	const struct config_entry *e = config_entry(dev->section, key);

	return e ? e->line : dev->line;
}

int device_key_error(char *err, size_t errsize, const struct scenario *s,
		     const struct scenario_device *dev, const char *key, const char *what)
{
	return errmsg(err, errsize, -EINVAL, "%s:%d: [device %s]: %s", s->path,
		      device_key_line(dev, key), dev->name, what);
}

uint64_t device_key_number(const struct scenario_device *dev, const char *key, bool size,
			   uint64_t fallback)
{
	const char *v = device_key(dev, key);
	uint64_t n;

	if (!v || (size ? parse_size(v, &n) : parse_u64(v, &n)) < 0)
		return fallback;
	return n;
}
