/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reports of a run set, from its jobs' own results folders: one summary
 * on the terminal, results.json, a merged junit.xml (one <testsuite> per job)
 * and report.html. `guestcheck merge` writes the same from shards' sets.
 */
#ifndef GUESTCHECK_REPORT_SET_H
#define GUESTCHECK_REPORT_SET_H

#include <stdio.h>

#include "runset/run_set.h"

/*
 * Writes DIR/results.json, DIR/junit.xml, DIR/report.html and prints the
 * summary, each attempted whatever failed before it. wall: the set's wall
 * time, or -1 when unknown (a merge of shards: the reports then give the
 * jobs' sum). 0, or the first failure's -errno with err naming the file and
 * the fix.
 */
int report_set_write(const struct set_job *jobs, size_t n, const char *dir, double wall, FILE *out,
		     char *err, size_t errsize);

/* The jobs' own seconds (every attempt), summed. Pure. */
double set_job_seconds(const struct set_job *jobs, size_t n);

/*
 * How much the set got out of running jobs side by side, one line:
 * "7 jobs in 95 s wall, 160 s of job time: 1.68x", or without a wall time
 * (wall < 0) "7 jobs, 160 s of job time (wall time not known: merged)".
 * Pure.
 */
void set_speed_line(char *buf, size_t size, size_t n, double wall, double job_seconds);

/* Read a set's results.json back into jobs (for merge). Returns how many, or -errno. */
int report_set_read(const char *dir, struct set_job *jobs, size_t max);

/* The page itself, in report/html.c. 0 or -errno, with err naming the file. */
int report_html_write(const struct set_job *jobs, size_t n, const char *path, double seconds,
		      char *err, size_t errsize);

#endif
