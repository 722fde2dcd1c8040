// SPDX-License-Identifier: GPL-2.0-or-later
/* The device kinds of lib/device_types.def, as structs and one table. */
#include "device_kind.h"

#include <stdio.h>
#include <string.h>

#define DEVICE_TYPE(id, name_, find_, node, driver_, modules_, made)                               \
	const struct device_kind id##_kind = {                                                     \
		.name = name_,                                                                     \
		.find = DEVICE_FIND_##find_,                                                       \
		.default_node = node,                                                              \
		.driver = driver_,                                                                 \
		.modules = modules_,                                                               \
		.made_in_guest = made,                                                             \
	};
#include "device_types.def"
#undef DEVICE_TYPE

const struct device_kind *const device_kinds[] = {
#define DEVICE_TYPE(id, ...) &id##_kind,
#include "device_types.def"
#undef DEVICE_TYPE
};

const size_t device_kinds_count = sizeof(device_kinds) / sizeof(device_kinds[0]);

const struct device_kind *device_kind_find(const char *name)
{
	for (size_t i = 0; name && i < device_kinds_count; i++)
		if (!strcmp(device_kinds[i]->name, name))
			return device_kinds[i];
	return NULL;
}

const char *device_kind_names(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < device_kinds_count && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				device_kinds[i]->name);
	return buf;
}
