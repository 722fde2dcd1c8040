/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent.ini `guestcheck run` writes for a shipped scenario, for unit tests
 * that run checks against captured guests with the real configuration.
 */
#ifndef GUESTCHECK_TEST_SHIPPED_AGENT_INI_H
#define GUESTCHECK_TEST_SHIPPED_AGENT_INI_H

#include <stdio.h>
#include <stdlib.h>

#include "vm/qemu_argv.h"
#include "scenario/scenario.h"
#include "source_path.h"

/* scenarios/NAME's agent.ini as text (free it), or NULL. */
static inline char *shipped_agent_ini(const char *name)
{
	char path[PATH_MAX], rel[128], err[512];
	struct scenario s;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(rel, sizeof(rel), "scenarios/%s", name);
	source_path(path, sizeof(path), rel);
	if (scenario_load(&s, path, err, sizeof(err)) < 0)
		return NULL;
	f = open_memstream(&text, &len);
	if (f) {
		agent_config_write(&s, f);
		fclose(f);
	}
	scenario_free(&s);
	return text;
}

#endif
