/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks' runner: each selected check in a forked child with its
 * timeout, areas side by side (agent/schedule.h), the KTAP results in
 * registry order (agent/ktap_out.h) written to `out` as soon as each can be.
 */
#ifndef GUESTCHECK_AGENT_RUNNER_H
#define GUESTCHECK_AGENT_RUNNER_H

#include <stddef.h>

#include "check.h"

/*
 * Run the checks the --only filters select, each area's once the devices it
 * reads are there or device_wait_ms is up (agent/device_wait.h). It reaps
 * every child of the process (waitpid(-1)): call it in a process of its
 * own, never in PID 1. Returns 0 when none failed, 1 otherwise.
 */
int runner_run(const struct check_env *env, int out, char *const *only, size_t nonly,
	       unsigned int device_wait_ms);

#endif
