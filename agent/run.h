/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One agent run: configuration, modules, devices, checks, results. */
#ifndef GUESTCHECK_AGENT_RUN_H
#define GUESTCHECK_AGENT_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct agent_options {
	bool pid1;		 /* started by the kernel as /init */
	const char *config_path; /* NULL: AGENT_CONFIG_PATH if it exists */
	const char *output; /* NULL: the agent port (PID 1) or stdout; "-", a port name, a file */
	char **only;	    /* --only filters */
	size_t nonly;
};

/* Returns 0 when every selected check passed, 1 otherwise (command mode). */
int agent_run(const struct agent_options *opt);

#endif
