/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's KTAP, line for line what the kselftest harness printed when it
 * ran the checks (Linux 6.12's kselftest_harness.h), so reports, golden
 * files and `kunit.py parse` see the same stream:
 *
 *   TAP version 13
 *   1..N
 *   # Starting N tests from M test cases.
 *   #  RUN           area.name ...
 *   # (the check's diagnostics)
 *   #      SKIP      why                      (a skip)
 *   # name: Test failed                       (a failure the runner saw)
 *   #            OK  area.name                (or "#          FAIL  area.name")
 *   ok 1 area.name # SKIP why                 (or "not ok 1 area.name")
 *   # PASSED: N / N tests passed.             (or "# FAILED: ...")
 *   # Totals: pass:P fail:F xfail:0 xpass:0 skip:S error:0
 *
 * After each result the agent adds AGENT_LINE_PREFIX "ran area.name
 * start=S end=S": when the check ran, in seconds from the first start.
 */
#ifndef GUESTCHECK_AGENT_KTAP_OUT_H
#define GUESTCHECK_AGENT_KTAP_OUT_H

#include <stdbool.h>
#include <stddef.h>

/* A check child's exit status: kselftest's KSFT_PASS, KSFT_FAIL, KSFT_SKIP. */
#define CHECK_EXIT_PASS 0
#define CHECK_EXIT_FAIL 1
#define CHECK_EXIT_SKIP 4

enum check_result { CHECK_RESULT_PASS, CHECK_RESULT_FAIL, CHECK_RESULT_SKIP };

struct check_outcome {
	enum check_result result;
	char cause[96];	   /* why the runner failed it ("Test failed"), or "" */
	char reason[256];  /* a skip's reason */
	char timeout[320]; /* a timed-out check's own failure line, or "" */
};

/*
 * The outcome of a check child from its wait status: timed_out when the
 * runner killed it at its timeout; skip_reason is what the child left for a
 * skip (empty: "unknown", as the harness said).
 */
void check_outcome_from_wait(int status, bool timed_out, const char *skip_reason,
			     struct check_outcome *o);

/*
 * A check killed at its timeout: a failure line of its own ("FAIL timed out
 * after N s while <doing>"), printed among its diagnostics so the runner on
 * the host shows it as the reason; doing is check_doing()'s last words.
 */
void check_outcome_timed_out(unsigned int timeout_s, const char *doing, struct check_outcome *o);

/* A check that never started: error is the errno of fork or memfd_create. */
void check_outcome_not_started(int error, struct check_outcome *o);

struct ktap_totals {
	size_t pass, fail, skip;
};

void ktap_out_header(int fd, size_t ntests, size_t nareas);
void ktap_out_run(int fd, const char *name);
/* The lines after the check's own output; counts it in t. */
void ktap_out_result(int fd, size_t number, const char *name, const struct check_outcome *o,
		     struct ktap_totals *t);
void ktap_out_ran(int fd, const char *name, double start, double end);
void ktap_out_totals(int fd, const struct ktap_totals *t);

#endif
