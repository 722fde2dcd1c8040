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

#include "errmsg.h"
#include "write_file.h"
#include "cleanup.h"
#include "report/report.h"

/* A test name as KTAP can carry it: " #" would start a directive. */
static void put_name(FILE *f, const char *name)
{
	for (const char *p = name; *p; p++)
		fputc(*p == '#' ? '_' : *p, f);
}

static void put_diagnostics(FILE *f, const char *text)
{
	size_t n;

	for (; text && *text; text += n + (text[n] == '\n')) {
		n = strcspn(text, "\n");
		fprintf(f, n ? "# %.*s\n" : "#\n", (int)n, text);
	}
}

/* The text after a directive: one clean line, no '#' to start another. */
static void put_reason(FILE *f, const char *reason)
{
	_cleanup_free_ char *c = strndup(reason, strcspn(reason, "\n"));

	if (!c)
		return;
	ktap_sanitize(c, strlen(c));
	for (char *p = c; *p; p++)
		fputc(*p == '#' ? '_' : *p, f);
}

static void put_test(FILE *f, const struct run_result *r, size_t i, size_t number)
{
	struct test_judgement j;
	_cleanup_free_ char *judged = NULL;
	const char *reason = NULL;
	char declared[EXPECT_MAX_CHECK + 32];

	run_result_judge(r, i, &j);
	if (j.test)
		put_diagnostics(f, j.test->diagnostics);
	if (j.test && j.test->diag_dropped)
		fprintf(f, "# guestcheck: %zu more diagnostic bytes dropped\n",
			j.test->diag_dropped);
	judged = test_judgement_text(r, &j);
	if (judged)
		fprintf(f, "# guestcheck: %s\n", judged);
	if (j.verdict == KTAP_NOT_RUN)
		fputs("# guestcheck: not run: the guest announced it but never reported a result\n",
		      f);

	fprintf(f, "%s %zu ",
		j.verdict == KTAP_PASS || j.verdict == KTAP_SKIP || j.verdict == KTAP_XFAIL
			? "ok"
			: "not ok",
		number);
	put_name(f, j.name);
	if (j.expect) {
		snprintf(declared, sizeof(declared), "declared in [expect %s]", j.expect->check);
		reason = j.expect->reason ?: declared;
	} else if (j.test) {
		reason = j.test->reason;
	}
	switch (j.verdict) {
	case KTAP_SKIP:
		fputs(" # SKIP ", f);
		break;
	case KTAP_XFAIL:
		fputs(" # XFAIL ", f);
		break;
	case KTAP_XPASS:
		fputs(" # XPASS ", f);
		break;
	default:
		reason = NULL;
		break;
	}
	if (reason)
		put_reason(f, reason);
	fputc('\n', f);
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
	fprintf(f, "KTAP version 1\n1..%zu\n", n + infra);
	fputs("# guestcheck: the host's verdicts on scenario ", f);
	put_reason(f, r->scenario);
	fputs(" (the guest's own stream is ktap.log)\n", f);
	for (size_t i = 0; i < n; i++)
		put_test(f, r, i, i + 1);
	if (infra) {
		fputs("# guestcheck: ", f);
		put_reason(f, r->infra_error[0] ? r->infra_error : "infrastructure error");
		fprintf(f, "\nnot ok %zu infrastructure\n", n + 1);
	}
	rc = fclose_checked(f);
out:
	if (rc)
		errmsg(err, errsize, rc, "%s: cannot write the KTAP report: %s", path,
		       strerror(-rc));
	return rc;
}
