/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What one scenario run produced: everything a report writer needs, and
 * nothing it must compute again. Filled by the session, read by report_*.c.
 */
#ifndef GUESTCHECK_RUN_RESULT_H
#define GUESTCHECK_RUN_RESULT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "scenario/scenario.h"
#include "session/ktap_parse.h"

/* Exit status of `guestcheck run`, also the verdict of one run. */
enum run_verdict {
	VERDICT_PASS = 0,  /* every test passed or was skipped */
	VERDICT_FAIL = 1,  /* a test failed or never ran */
	VERDICT_USAGE = 2, /* bad usage or scenario */
	VERDICT_INFRA = 3, /* infrastructure: no boot, no hello, timeout, QEMU died */
};

const char *run_verdict_name(enum run_verdict v); /* "PASS", "FAIL", "USAGE", "ERROR" */

struct run_result {
	char scenario[128]; /* scenario name */
	char scenario_path[512];
	char accel[16];		/* "tcg" or "kvm": what the guest ran under */
	char accel_reason[512]; /* why that accelerator: a KVM attempt's failure is told in it */
	char kernel[512];	/* kernel image path on the host */
	char qemu[512];		/* the QEMU binary run */
	char qemu_version[32];	/* what its -version said: "10.0.2"; "" if unknown */

	enum run_verdict verdict;
	char infra_error[512]; /* one line, set when verdict == VERDICT_INFRA */
	int interrupted;       /* the signal that stopped the run (SIGINT...), 0 if none */
	/* ktap.log or console.log cut by a write error (vm_log_error()): the run exits 3. */
	char log_error[PATH_MAX + 128];
	char *console_tail; /* last lines of the serial console, or NULL */
	/*
	 * The first file the boot wrote into the results folder that could not
	 * be written (agent.ini, qemu-cmdline.txt, an area's own from
	 * session/area.h's at_end or report): a report failure like junit.xml's,
	 * so the command exits 3. 0 and "" when none.
	 */
	int boot_file_status;
	char boot_file_error[1024];

	double boot_seconds;  /* QEMU start to hello, -1 if none */
	double total_seconds; /* QEMU start to verdict */
	/* --accel auto fell back: its KVM attempt's start to the TCG boot's. 0: it did not. */
	double accel_fallback_seconds;
	char started_at[32]; /* ISO 8601 UTC */

	const struct ktap_run *ktap; /* parsed stream, may be empty but never NULL */

	/* The scenario's declared failures ([expect CHECK]), or none. */
	const struct scenario_expect *expects;
	size_t nexpects;
};

/*
 * Decide the verdict from the KTAP results judged against the declared
 * failures (does not override USAGE/INFRA): FAIL when a test failed other
 * than declared, passed though declared to fail (XPASS), never ran, or a
 * declaration names no test that ran.
 */
enum run_verdict run_result_verdict(const struct run_result *r);

/*
 * The host's view of one test: the guest's result judged against the
 * scenario's [expect] for it. verdict is the guest's status when nothing is
 * declared; with a declaration it is
 *   KTAP_XFAIL   failed, each diagnosis matched a failure line and each
 *                failure line a diagnosis: the declared failure, a pass
 *   KTAP_XPASS   passed (or reported XPASS): the declared failure is gone
 *   KTAP_FAIL    failed otherwise, was skipped, or no test of the name ran
 *   KTAP_NOT_RUN announced but never reported
 * Pointers point into the run and the scenario: valid while both are.
 */
struct test_judgement {
	const char *name;
	const struct ktap_test *test;	      /* NULL: a declaration no test answered */
	const struct scenario_expect *expect; /* NULL: nothing declared */
	enum ktap_status verdict;
	/* The first failure line each diagnosis matched (not NUL-terminated), or NULL. */
	const char *seen[EXPECT_MAX_DIAGNOSES];
	size_t seen_len[EXPECT_MAX_DIAGNOSES];
	/* A failure line no diagnosis matched, or NULL. */
	const char *undeclared;
	size_t undeclared_len;
	const char *closest; /* no test ran by the name: the run's nearest name, or NULL */
};

/* The guest's tests, then one per declaration no test answered (none after INFRA). */
size_t run_result_ntests(const struct run_result *r);
void run_result_judge(const struct run_result *r, size_t i, struct test_judgement *j);

/*
 * One line saying what was declared and what was seen, naming FILE:LINE of
 * the declaration; NULL when nothing is declared (or out of memory). Free it.
 */
char *test_judgement_text(const struct run_result *r, const struct test_judgement *j);

/* By host verdict, each test counted once: total is the sum. */
struct run_counts {
	size_t total, passed, failed, skipped, not_run, xfail, xpass;
};
struct run_counts run_result_count(const struct run_result *r);

#endif
