// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the checks meet the user's booted image: the agent goes in through
 * the guest's own QEMU guest agent, as `guestcheck check --qga` does, and the
 * reports and the exit status are check's.
 */
#include <stdio.h>

#include "cli/run_options.h"
#include "guestagent/check_run.h"
#include "session/run_result.h"
#include "userdisk/disk_run.h"

int disk_run_checks(const struct run_options *o, const struct guest *g, const char *qga_socket)
{
	struct check_options c = { .qga_socket = qga_socket,
				   .scenario_path = g->scenario.path,
				   .connect_ms = CHECK_CONNECT_MS, /* it answered the boot probe */
				   .quiet = o->quiet };

	snprintf(c.results_dir, sizeof(c.results_dir), "%s", o->results_dir);
	return check_run(&c);
}
