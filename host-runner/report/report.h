/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Report writers. Each returns 0 or -errno with one sentence in err naming
 * the file and what failed ("DIR/junit.xml: cannot write the JUnit report:
 * No space left on device"); the caller adds the fix, which depends on how the
 * folder was chosen. They never read the guest's bytes directly: only the
 * sanitised struct run_result.
 */
#ifndef GUESTCHECK_REPORT_H
#define GUESTCHECK_REPORT_H

#include <stdio.h>

#include "session/run_result.h"

/* JUnit XML (Jenkins, GitLab): one <testsuite> per run, one <testcase> per test. */
int report_junit_write(const struct run_result *r, const char *path, char *err, size_t errsize);

/* results.json: the whole run_result as JSON. */
int report_json_write(const struct run_result *r, const char *path, char *err, size_t errsize);

/*
 * results.ktap: the host's verdicts as one KTAP document, beside the guest's
 * own ktap.log (kept byte-exact): a declared failure that happened is
 * "ok N NAME # XFAIL", as kselftest writes it, so the kernel's kunit.py and
 * TAP consumers count it as passing; everything else as the verdict says.
 */
int report_ktap_write(const struct run_result *r, const char *path, char *err, size_t errsize);

/*
 * junit.xml, results.json and results.ktap of r in dir, each attempted
 * whatever failed before it (a CI server may still read the others): 0, or
 * the first failure's -errno with its message, naming the file, in err
 * (run_files.c). The caller adds the fix (report_write_fix()).
 */
int report_write_run_files(const struct run_result *r, const char *dir, char *err, size_t errsize);

/*
 * The fix for a report that could not be written into dir (run, set or merge
 * output), added to the writer's message in err: "free space in DIR or pass
 * -o elsewhere" for a full disk or quota, else "check that DIR exists and is
 * writable, or pass -o elsewhere". Returns code (report_fix.c).
 */
int report_write_fix(char *err, size_t errsize, int code, const char *dir);

/* The per-test table people read in a terminal. 0, or -errno when out could not take it. */
int report_terminal_print(const struct run_result *r, FILE *out);

#endif
