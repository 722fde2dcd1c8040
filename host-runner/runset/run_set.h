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

#include "cli/run_options.h"

struct set_job {
	/* the scenario's name, "@RELEASE" in a kernel matrix, "@qemu-VERSION" in a QEMU one */
	char name[192];
	char scenario[PATH_MAX]; /* its file */
	const char *kernel;	 /* NULL: the default kernel */
	char release[128];
	const char *qemu;      /* its --qemu FILE; NULL: $GUESTCHECK_QEMU or the default */
	char qemu_version[32]; /* "10.0.2"; "" when not known before it ran */
	char dir[PATH_MAX];    /* the job's results folder */
	int verdict;	       /* enum run_verdict of the last attempt; -1 until it ends */
	unsigned int attempts;
	double seconds; /* all attempts */

	/* While it runs */
	pid_t pid;
	int fd;	 /* its stdout and stderr */
	int log; /* DIR/runner.log */
	double started;
	char line[256]; /* the partial line being read */
	size_t len;
	char status[160]; /* its last progress line, for the live display */
	char error[320];  /* its last "guestcheck: " line: why it did not run */
};

/*
 * A job's name: SCENARIO, then "@RELEASE" when the set has several kernels
 * and "@qemu-VERSION" when it has several QEMUs (either NULL to leave it out):
 * default@6.12.117+deb12-amd64@qemu-10.0.2. Pure.
 */
void set_job_name(char *buf, size_t size, const char *scenario, const char *release,
		  const char *qemu_version);

/* One scenario on one kernel, into o->results_dir (cmd_run.c). The verdict. */
int run_single(const struct run_options *o);

/* Several: the exit status of the worst job. */
int run_set(const struct run_options *o);

#endif
