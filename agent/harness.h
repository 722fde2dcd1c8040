/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks of checks/registry.def, run as kselftest harness tests. The
 * harness keeps its test list in static variables, so this one file holds
 * every TEST; the rest of the agent sees only these functions.
 */
#ifndef GUESTCHECK_AGENT_HARNESS_H
#define GUESTCHECK_AGENT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"

struct harness_test {
	const char *name; /* "area.name" */
	const char *summary;
	int timeout_s;
};

/* Every registered check, in run order. */
const struct harness_test *harness_tests(size_t *count);

/*
 * Whether a test runs under the --only filters: "area" selects an area,
 * "area.name" one test; no filter selects everything.
 */
bool harness_selected(const char *name, char *const *only, size_t nonly);

/*
 * Run the selected tests, KTAP on stdout. Exits the process (the harness
 * calls exit()): call it in a forked child, never in PID 1.
 */
void harness_run_and_exit(const struct check_env *env, char *const *only, size_t nonly)
	__attribute__((noreturn));

#endif
