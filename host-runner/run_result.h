/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What one scenario run produced: everything a report writer needs, and
 * nothing it must compute again. Filled by the session, read by report_*.c.
 */
#ifndef GUESTCHECK_RUN_RESULT_H
#define GUESTCHECK_RUN_RESULT_H

#include <stdbool.h>
#include "ktap_parse.h"

/* Exit status of `guestcheck run`, also the verdict of one run. */
enum run_verdict {
	VERDICT_PASS = 0,  /* every test passed or was skipped */
	VERDICT_FAIL = 1,  /* a test failed or never ran */
	VERDICT_USAGE = 2, /* bad usage or scenario */
	VERDICT_INFRA = 3, /* infrastructure: no boot, no hello, timeout, QEMU died */
};

const char *run_verdict_name(enum run_verdict v); /* "PASS", "FAIL", "USAGE", "ERROR" */

struct run_result {
	char scenario[128];     /* scenario name */
	char scenario_path[512];
	char accel[16];         /* "tcg" or "kvm": what the guest ran under */
	char accel_reason[256]; /* why that accelerator */
	char kernel[512];       /* kernel image path on the host */

	enum run_verdict verdict;
	char infra_error[512]; /* one line, set when verdict == VERDICT_INFRA */
	char *console_tail;    /* last lines of the serial console, or NULL */

	double boot_seconds;  /* QEMU start to hello, -1 if none */
	double total_seconds; /* QEMU start to verdict */
	char started_at[32];  /* ISO 8601 UTC */

	const struct ktap_run *ktap; /* parsed stream, may be empty but never NULL */
};

/* Decide the verdict from the KTAP results (does not override USAGE/INFRA). */
enum run_verdict run_result_verdict(const struct run_result *r);

#endif
