// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the checks meet the user's booted image: the one function to join
 * with `guestcheck check --qga` (host-runner/guestagent/check_run.h) once
 * both are in one tree.
 */
#include <stdio.h>

#include "cli/run_options.h"
#include "session/run_result.h"
#include "userdisk/disk_run.h"

int disk_run_checks(const struct run_options *o, const struct guest *g, const char *qga_socket)
{
	fprintf(stderr,
		"guestcheck: %s: the image booted and its guest agent answers on %s, but this "
		"build cannot run the checks through it: build guestcheck with `guestcheck "
		"check --qga` (host-runner/guestagent)\n",
		g->scenario.name, qga_socket);
	return VERDICT_INFRA;
}
