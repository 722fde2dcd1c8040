// SPDX-License-Identifier: GPL-2.0-or-later
#include "checklist.h"

#include <string.h>

static const struct agent_check all_checks[] = {
#define AREA(area)
#define CHECK(area, name, timeout, fn, flags, summary)                                             \
	{ #area "." #name, #area, summary, timeout, flags, fn },
#include "registry.def"
#undef AREA
#undef CHECK
};

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
