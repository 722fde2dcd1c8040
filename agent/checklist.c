// SPDX-License-Identifier: GPL-2.0-or-later
#include "checklist.h"

#include <string.h>

/* registry.def's AREA lines say which devices an area reads with these. */
#define NO_DEVICES                                                                                 \
	false, (const struct device_kind *const[])                                                 \
	{                                                                                          \
		NULL                                                                               \
	}
#define EVERY_DEVICE                                                                               \
	true, (const struct device_kind *const[])                                                  \
	{                                                                                          \
		NULL                                                                               \
	}
#define DEVICES(...)                                                                               \
	false, (const struct device_kind *const[])                                                 \
	{                                                                                          \
		__VA_ARGS__, NULL                                                                  \
	}

enum area_index {
#define AREA(area, devices) AREA_##area,
#define CHECK(area, name, timeout, fn, flags, summary)
#include "registry.def"
#undef AREA
#undef CHECK
};

static const struct agent_area all_areas[] = {
#define AREA(area, devices) { #area, devices },
#define CHECK(area, name, timeout, fn, flags, summary)
#include "registry.def"
#undef AREA
#undef CHECK
};

static const struct agent_check all_checks[] = {
#define AREA(area, devices)
#define CHECK(area, name, timeout, fn, flags, summary)                                             \
	{ #area "." #name, &all_areas[AREA_##area], summary, timeout, flags, fn },
#include "registry.def"
#undef AREA
#undef CHECK
};

bool agent_area_reads(const struct agent_area *area, const struct device_kind *kind)
{
	if (area->every_device)
		return true;
	for (size_t i = 0; kind && area->kinds[i]; i++)
		if (area->kinds[i] == kind)
			return true;
	return false;
}

const struct agent_check *checklist_all(size_t *count)
{
	*count = ARRAY_SIZE(all_checks);
	return all_checks;
}

bool checklist_selected(const char *name, char *const *only, size_t nonly)
{
	if (nonly == 0)
		return true;
	for (size_t i = 0; i < nonly; i++) {
		size_t n = strlen(only[i]);

		if (!strcmp(name, only[i]))
			return true;
		if (!strchr(only[i], '.') && !strncmp(name, only[i], n) && name[n] == '.')
			return true;
	}
	return false;
}
