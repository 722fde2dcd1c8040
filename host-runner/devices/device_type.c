// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "devices/device_type.h"
#include "units.h"

static const struct device_type *const device_types[] = {
	&sd_card_device,  &nvme_zns_device,   &usb_net_device,
	&null_blk_device, &scsi_debug_device, &hdd_device,
};

const struct device_type *device_type_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(device_types); i++)
		if (!strcmp(device_types[i]->name, name))
			return device_types[i];
	return NULL;
}

const char *device_type_names(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(device_types) && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				device_types[i]->name);
	return buf;
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
	snprintf(err, errsize, "%s:%d: [device %s]: %s", s->path, device_key_line(dev, key),
		 dev->name, what);
	return -EINVAL;
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
