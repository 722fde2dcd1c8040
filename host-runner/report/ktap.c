// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * results.ktap: the host's verdicts as KTAP, for tools that read KTAP or TAP
 * (the kernel's kunit.py, prove, CI plugins). ktap.log stays exactly what the
 * guest sent; this document is written from the parsed, sanitised run, with
 * the scenario's declared failures applied:
 *
 *   expected failure   ok N NAME # XFAIL REASON     (kselftest's own form:
 *                      kunit.py and TAP consumers count it as passing)
 *   unexpected pass    not ok N NAME # XPASS REASON
 *   other diagnosis,   not ok N NAME, the judgement as the diagnostic line
 *   no such test ran   before it
 *
 * Numbers run 1..N in order, whatever the guest numbered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "errmsg.h"
#include "write_file.h"

#include "report/ktap_lines.h"
#include "report/report.h"

/* The directive a verdict carries on its result line, or NULL. */
static const char *directive(enum ktap_status verdict)
{
	switch (verdict) {
	case KTAP_SKIP:
		return "SKIP";
	case KTAP_XFAIL:
		return "XFAIL";
	case KTAP_XPASS:
		return "XPASS";
	default:
		return NULL;
	}
}

static void put_test(FILE *f, const struct run_result *r, size_t i, size_t number)
{
	struct test_judgement j;
	_cleanup_free_ char *judged = NULL;
	const char *reason = NULL;
	char declared[EXPECT_MAX_CHECK + 32];

	run_result_judge(r, i, &j);
	if (j.test)
		ktap_put_diagnostics(f, j.test->diagnostics);
	if (j.test && j.test->diag_dropped)
		fprintf(f, "# guestcheck: %zu more diagnostic bytes dropped\n",
			j.test->diag_dropped);
	judged = test_judgement_text(r, &j);
	if (judged)
		fprintf(f, "# guestcheck: %s\n", judged);
	if (j.verdict == KTAP_NOT_RUN)
		fputs("# guestcheck: not run: the guest announced it but never reported a result\n",
		      f);

	if (j.expect) {
		snprintf(declared, sizeof(declared), "declared in [expect %s]", j.expect->check);
		reason = j.expect->reason ?: declared;
	} else if (j.test) {
		reason = j.test->reason;
	}
	ktap_put_result(f,
			j.verdict == KTAP_PASS || j.verdict == KTAP_SKIP || j.verdict == KTAP_XFAIL,
			number, j.name, directive(j.verdict), reason);
}

int report_ktap_write(const struct run_result *r, const char *path, char *err, size_t errsize)
{
	size_t n = run_result_ntests(r);
	bool infra = r->verdict == VERDICT_INFRA;
	FILE *f = fopen(path, "we");
	int rc = 0;

	if (!f) {
		rc = -errno;
		goto out;
	}
	ktap_put_header(f, "KTAP version 1", n + infra);
	fputs("# guestcheck: the host's verdicts on scenario ", f);
	ktap_put_reason(f, r->scenario);
	fputs(" (the guest's own stream is ktap.log)\n", f);
	for (size_t i = 0; i < n; i++)
		put_test(f, r, i, i + 1);
	if (infra) {
		fputs("# guestcheck: ", f);
		ktap_put_reason(f, r->infra_error[0] ? r->infra_error : "infrastructure error");
		fputc('\n', f);
		ktap_put_result(f, false, n + 1, "infrastructure", NULL, NULL);
	}
	rc = fclose_checked(f);
out:
	if (rc)
		errmsg(err, errsize, rc, "%s: cannot write the KTAP report: %s", path,
		       strerror(-rc));
	return rc;
}
