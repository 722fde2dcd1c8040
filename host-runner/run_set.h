/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run set: several scenarios, or one on several kernels, each job a forked
 * copy of the runner with its own results folder (a crash in one job cannot
 * take the others down), at most -j at a time, with a live display, retries
 * reported as flaky, and one summary, junit.xml, results.json and
 * report.html for the whole set.
 */
#ifndef GUESTCHECK_RUN_SET_H
#define GUESTCHECK_RUN_SET_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include "run_options.h"

struct set_job {
	char name[192];          /* the scenario's name, "@RELEASE" in a kernel matrix */
	char scenario[PATH_MAX]; /* its file */
	const char *kernel;      /* NULL: the default kernel */
	char release[128];
	char dir[PATH_MAX]; /* the job's results folder */
	int verdict;        /* enum run_verdict of the last attempt; -1 until it ends */
	unsigned int attempts;
	double seconds; /* all attempts */

	/* While it runs */
	pid_t pid;
	int fd;  /* its stdout and stderr */
	int log; /* DIR/runner.log */
	double started;
	char line[256]; /* the partial line being read */
	size_t len;
	char status[160]; /* its last progress line, for the live display */
};

/* One scenario on one kernel, into o->results_dir (cmd_run.c). The verdict. */
int run_single(const struct run_options *o);

/* Several: the exit status of the worst job. */
int run_set(const struct run_options *o);

#endif
