/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Report writers. Each returns 0 or -errno, and names the file it could not
 * write on stderr. They never read the guest's bytes directly: only the
 * sanitised struct run_result.
 */
#ifndef GUESTCHECK_REPORT_H
#define GUESTCHECK_REPORT_H

#include <stdio.h>
#include "session/run_result.h"

/* JUnit XML (Jenkins, GitLab): one <testsuite> per run, one <testcase> per test. */
int report_junit_write(const struct run_result *r, const char *path);

/* results.json: the whole run_result as JSON. */
int report_json_write(const struct run_result *r, const char *path);

/*
 * results.ktap: the host's verdicts as one KTAP document, beside the guest's
 * own ktap.log (kept byte-exact): a declared failure that happened is
 * "ok N NAME # XFAIL", as kselftest writes it, so the kernel's kunit.py and
 * TAP consumers count it as passing; everything else as the verdict says.
 */
int report_ktap_write(const struct run_result *r, const char *path);

/* The per-test table people read in a terminal. */
void report_terminal_print(const struct run_result *r, FILE *out);

#endif
