/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The checks of checks/registry.def as one table, and the --only filter. */
#ifndef GUESTCHECK_AGENT_CHECKLIST_H
#define GUESTCHECK_AGENT_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"

/* registry.def's AREA line: which scenario devices the area's checks read. */
struct agent_area {
	const char *name;			/* "mmc" */
	bool every_device;			/* devices.present: all of them, of any kind */
	const struct device_kind *const *kinds; /* NULL-terminated, by pointer */
};

struct agent_check {
	const char *name;	       /* "area.name" */
	const struct agent_area *area; /* its AREA line: one per area, compared by pointer */
	const char *summary;
	int timeout_s;
	unsigned int flags; /* CHECK_ALONE */
	check_fn fn;
};

/* Whether the area reads devices of this kind (NULL: a kind this agent does not know). */
bool agent_area_reads(const struct agent_area *area, const struct device_kind *kind);

/* Every registered check, in registry (and report) order. */
const struct agent_check *checklist_all(size_t *count);

/*
 * Whether a check runs under the --only filters: "area" selects an area,
 * "area.name" one check; no filter selects everything.
 */
bool checklist_selected(const char *name, char *const *only, size_t nonly);

#endif
