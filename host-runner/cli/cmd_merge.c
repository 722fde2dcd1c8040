// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guestcheck merge -o OUT SETDIR...: one junit.xml, results.json and
 * report.html from the run sets of several shards (--shard I/N), as a CI
 * matrix collects them: each job is found in its set's folder wherever the
 * artifacts were put.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "report/report_set.h"
#include "session/run_result.h"

#define MAX_MERGED 4096

/*
 * One SETDIR's jobs, appended to the n already read: 0, or VERDICT_USAGE with
 * the message. worst becomes the worst verdict seen.
 */
static int read_set(const char *setdir, struct set_job *jobs, size_t *n, int *worst)
{
	int r = report_set_read(setdir, jobs + *n, MAX_MERGED - *n);

	if (r < 0) {
		fprintf(stderr,
			"guestcheck merge: %s: no run set results.json there: name "
			"the -o folder of a `guestcheck run` set\n",
			setdir);
		return VERDICT_USAGE;
	}
	for (int k = 0; k < r; k++) {
		struct set_job *j = &jobs[*n + k];
		char base[PATH_MAX];

		/* The set's folder may have moved: find the job beside its results.json. */
		snprintf(base, sizeof(base), "%s", j->dir);
		snprintf(j->dir, sizeof(j->dir), "%s/%s", setdir, basename(base));
		for (size_t m = 0; m < *n; m++)
			if (!strcmp(jobs[m].name, j->name)) {
				fprintf(stderr,
					"guestcheck merge: job %s is in two sets (%s "
					"and %s): merge each shard once\n",
					j->name, jobs[m].dir, j->dir);
				return VERDICT_USAGE;
			}
		if (j->verdict > *worst)
			*worst = j->verdict;
	}
	*n += r;
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option options[] = { { "output", required_argument, NULL, 'o' },
						 { "help", no_argument, NULL, 'h' },
						 { 0 } };
	const char *out = NULL;
	char err[PATH_MAX + 256];
	struct set_job *jobs;
	size_t n = 0;
	int c, worst = VERDICT_PASS;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'h') {
			printf("Usage: guestcheck merge -o OUT SETDIR...\n\nOne junit.xml, "
			       "results.json and report.html in OUT from the results of\nseveral "
			       "`guestcheck run --shard I/N` sets.\n");
			return 0;
		} else {
			fprintf(stderr, "guestcheck merge: unknown option: see --help\n");
			return VERDICT_USAGE;
		}
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "guestcheck merge: name -o OUT and at least one SETDIR\n");
		return VERDICT_USAGE;
	}
	jobs = calloc(MAX_MERGED, sizeof(*jobs));
	if (!jobs)
		return VERDICT_INFRA;
	for (int i = optind; i < argc; i++) {
		if (read_set(argv[i], jobs, &n, &worst)) {
			free(jobs);
			return VERDICT_USAGE;
		}
	}
	if (mkdir(out, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "guestcheck merge: %s: %s\n", out, strerror(errno));
		free(jobs);
		return VERDICT_USAGE;
	}
	/* A merged report that cannot be written fails the merge, after the summary. */
	/* The shards ran apart: no wall time for the whole (the reports give the jobs' sum). */
	if (report_set_write(jobs, n, out, -1, stdout, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck merge: %s\n", err);
		worst = VERDICT_INFRA;
	}
	free(jobs);
	return worst < 0 ? VERDICT_INFRA : worst;
}
