// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JUnit XML in the shape Jenkins' and GitLab's importers expect (the Ant
 * junit schema): <testsuites><testsuite><properties/><testcase/>...
 * <system-out/><system-err/></testsuite></testsuites>.
 *
 * Every string is run through ktap_sanitize() first: libxml2's writer
 * escapes markup but passes control bytes and broken UTF-8 through, and
 * either makes the whole file unreadable to a CI server.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "cleanup.h"
#include "errmsg.h"
#include "write_file.h"

#include "report/report.h"

/* A writer with a sticky error, so the document reads top to bottom. */
struct xw {
	xmlTextWriterPtr w;
	int err;
};

static void check(struct xw *x, int rc)
{
	if (rc < 0 && !x->err)
		x->err = -EIO;
}

static void start(struct xw *x, const char *element)
{
	if (!x->err)
		check(x, xmlTextWriterStartElement(x->w, BAD_CAST element));
}

static void end(struct xw *x)
{
	if (!x->err)
		check(x, xmlTextWriterEndElement(x->w));
}

/* A sanitised copy of n bytes of s, or NULL (error recorded) when out of memory. */
static char *clean(struct xw *x, const char *s, size_t n)
{
	char *c = strndup(s, n);

	if (!c) {
		x->err = -ENOMEM;
		return NULL;
	}
	ktap_sanitize(c, strlen(c));
	return c;
}

static void attrn(struct xw *x, const char *name, const char *value, size_t n)
{
	_cleanup_free_ char *c = NULL;

	if (x->err)
		return;
	c = clean(x, value, n);
	if (c)
		check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST c));
}

static void attr(struct xw *x, const char *name, const char *value)
{
	attrn(x, name, value ? value : "", value ? strlen(value) : 0);
}

static void attr_count(struct xw *x, const char *name, size_t n)
{
	if (!x->err)
		check(x, xmlTextWriterWriteFormatAttribute(x->w, BAD_CAST name, "%zu", n));
}

static void text(struct xw *x, const char *value)
{
	_cleanup_free_ char *c = NULL;

	if (x->err || !value)
		return;
	c = clean(x, value, strlen(value));
	if (c)
		check(x, xmlTextWriterWriteString(x->w, BAD_CAST c));
}

/* Seconds with a '.' whatever LC_NUMERIC says: the schema wants a decimal. */
static void attr_seconds(struct xw *x, const char *name, double s)
{
	long long ms = s > 0 && s < 1e12 ? (long long)(s * 1000.0 + 0.5) : 0;
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld.%03lld", ms / 1000, ms % 1000);
	attr(x, name, buf);
}

/* The schema's timestamp has no zone suffix: keep "YYYY-MM-DDTHH:MM:SS" only. */
static void attr_timestamp(struct xw *x, const char *iso)
{
	if (strlen(iso) < 19 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' ||
	    iso[13] != ':' || iso[16] != ':')
		return;
	attrn(x, "timestamp", iso, 19);
}

static void property(struct xw *x, const char *name, const char *value)
{
	start(x, "property");
	attr(x, "name", name);
	attr(x, "value", value);
	end(x);
}

static void diagnostics(struct xw *x, const struct ktap_test *t)
{
	char note[96];

	text(x, t->diagnostics);
	if (t->diag_dropped) {
		snprintf(note, sizeof(note), "%s[%zu more diagnostic bytes dropped]",
			 t->diagnostics ? "\n" : "", t->diag_dropped);
		text(x, note);
	}
}

/* A <failure>: the judgement on a declared failure, else the guest's own line. */
static void failure(struct xw *x, const struct test_judgement *j, const char *judged)
{
	const struct ktap_test *t = j->test;
	const char *line = NULL;
	size_t len = 0;
	char msg[KTAP_MAX_NAME + 64];

	start(x, "failure");
	attr(x, "type", ktap_status_name(j->verdict));
	if (t)
		line = ktap_failure_line(t, &len);
	if (judged) {
		attr(x, "message", judged);
	} else if (t->status == KTAP_XPASS) {
		snprintf(msg, sizeof(msg), "unexpected pass (XPASS)%s%.200s", t->reason ? ": " : "",
			 t->reason ? t->reason : "");
		attr(x, "message", msg);
	} else if (line) {
		attrn(x, "message", line, len);
	} else {
		attr(x, "message", t->reason ? t->reason : "failed");
	}
	if (t)
		diagnostics(x, t);
	end(x);
}

/* What a CI server shows beside a passing case that failed on purpose. */
static void expected_failure_properties(struct xw *x, const struct run_result *r,
					const struct test_judgement *j)
{
	char where[sizeof(r->scenario_path) + 16];

	snprintf(where, sizeof(where), "%s:%d", r->scenario_path, j->expect->line);
	start(x, "properties");
	property(x, "expected_failure", j->expect->reason ? j->expect->reason : "declared");
	property(x, "declared_at", where);
	for (size_t d = 0; d < j->expect->ndiagnoses; d++)
		property(x, "diagnosis", j->expect->diagnosis[d]);
	end(x);
}

/*
 * How many tests before test i bear its name. CI servers key a case by
 * (classname, name) (GitLab: with the suite's name, one case per key and
 * status, a later one replacing an earlier), so a name a guest sends twice
 * would lose a case: the second is written "NAME#2".
 */
static size_t same_name_before(const struct run_result *r, size_t i, const char *name)
{
	struct test_judgement k;
	size_t n = 0;

	for (size_t m = 0; m < i; m++) {
		run_result_judge(r, m, &k);
		n += k.name && name && !strcmp(k.name, name);
	}
	return n;
}

static void testcase(struct xw *x, const char *classname, const struct run_result *r, size_t i)
{
	struct test_judgement j;
	_cleanup_free_ char *judged = NULL;
	const struct ktap_test *t;
	char name[KTAP_MAX_NAME + 24];
	size_t before;

	run_result_judge(r, i, &j);
	t = j.test;
	judged = test_judgement_text(r, &j);
	start(x, "testcase");
	attr(x, "classname", classname);
	before = same_name_before(r, i, j.name);
	if (before) {
		snprintf(name, sizeof(name), "%.*s#%zu", KTAP_MAX_NAME, j.name ? j.name : "",
			 before + 1);
		attr(x, "name", name);
	} else {
		attr(x, "name", j.name);
	}
	if (j.expect && j.verdict == KTAP_XFAIL)
		expected_failure_properties(x, r, &j);
	switch (j.verdict) {
	case KTAP_FAIL:
	case KTAP_XPASS:
		failure(x, &j, judged);
		break;
	case KTAP_SKIP:
		start(x, "skipped");
		attr(x, "message", t->reason ? t->reason : "skipped");
		end(x);
		break;
	case KTAP_NOT_RUN:
		start(x, "error");
		attr(x, "type", "not-run");
		attr(x, "message", judged ? judged : "not run: the guest never reported this test");
		end(x);
		break;
	default:
		break;
	}
	/* Failures carry their diagnostics already; everyone else's go here. */
	if (j.verdict != KTAP_FAIL && j.verdict != KTAP_XPASS &&
	    (t->diagnostics || t->diag_dropped || j.verdict == KTAP_XFAIL)) {
		start(x, "system-out");
		if (j.verdict == KTAP_XFAIL) {
			text(x, "expected failure (XFAIL): ");
			text(x, judged ? judged : t->reason ? t->reason : "no reason given");
			text(x, t->diagnostics ? "\n" : "");
		}
		diagnostics(x, t);
		end(x);
	}
	end(x);
}

static void infra_testcase(struct xw *x, const struct run_result *r, const char *classname)
{
	start(x, "testcase");
	attr(x, "classname", classname);
	attr(x, "name", "infrastructure");
	start(x, "error");
	attr(x, "type", "infrastructure");
	attr(x, "message", r->infra_error[0] ? r->infra_error : "infrastructure error");
	end(x);
	start(x, "system-out");
	text(x, r->console_tail);
	end(x);
	end(x);
}

/* What the stream itself lost or could not read, for the suite's <system-out>. */
static void stream_notes(struct xw *x, const struct ktap_run *run)
{
	char note[256];

	text(x, run->agent_log);
	snprintf(note, sizeof(note),
		 "%s[stream: %zu lines, %zu bytes, %zu garbage, %zu cut, %zu results and %zu "
		 "announcements past the %d-test limit, %zu agent-log bytes dropped, %s]",
		 run->agent_log ? "\n" : "", run->lines, run->bytes, run->garbage_lines,
		 run->overlong_lines, run->dropped_tests, run->dropped_announcements,
		 KTAP_MAX_TESTS, run->agent_log_dropped,
		 run->saw_end ? "ended normally" : "no end line");
	text(x, note);
}

static void document(struct xw *x, const struct run_result *r)
{
	static const struct ktap_run empty = { .plan = -1 };
	const struct ktap_run *run = r->ktap ? r->ktap : &empty;
	struct run_counts c = run_result_count(r);
	bool infra = r->verdict == VERDICT_INFRA;
	size_t tests = c.total + infra, errors = c.not_run + infra, failures = c.failed + c.xpass;
	char classname[sizeof(r->scenario) + 16];
	char host[256] = "localhost";
	size_t i;

	snprintf(classname, sizeof(classname), "guestcheck.%s", r->scenario);
	gethostname(host, sizeof(host) - 1);

	check(x, xmlTextWriterSetIndent(x->w, 1));
	check(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	start(x, "testsuites");
	attr(x, "name", "guestcheck");
	attr_count(x, "tests", tests);
	attr_count(x, "failures", failures);
	attr_count(x, "errors", errors);
	attr_seconds(x, "time", r->total_seconds);

	start(x, "testsuite");
	attr(x, "name", r->scenario);
	attr(x, "id", "0");
	attr(x, "package", "guestcheck");
	attr(x, "hostname", host);
	attr_count(x, "tests", tests);
	attr_count(x, "failures", failures);
	attr_count(x, "errors", errors);
	attr_count(x, "skipped", c.skipped);
	attr_seconds(x, "time", r->total_seconds);
	attr_timestamp(x, r->started_at);

	start(x, "properties");
	property(x, "accel", r->accel);
	property(x, "accel_reason", r->accel_reason);
	property(x, "kernel", r->kernel);
	property(x, "qemu", r->qemu);
	property(x, "qemu_version", r->qemu_version);
	property(x, "guest_kernel", run->guest_kernel);
	property(x, "agent_version", run->agent_version);
	end(x);

	for (i = 0; i < c.total; i++)
		testcase(x, classname, r, i);
	if (infra)
		infra_testcase(x, r, classname);

	start(x, "system-out");
	stream_notes(x, run);
	end(x);
	start(x, "system-err");
	end(x);

	end(x); /* testsuite */
	end(x); /* testsuites */
	if (!x->err)
		check(x, xmlTextWriterEndDocument(x->w));
}

int report_junit_write(const struct run_result *r, const char *path, char *err, size_t errsize)
{
	struct xw x = { 0 };
	xmlBufferPtr buf = xmlBufferCreate();
	int rc;

	if (!buf)
		return errmsg(err, errsize, -ENOMEM,
			      "%s: cannot build the JUnit report: out of memory", path);
	x.w = xmlNewTextWriterMemory(buf, 0);
	if (!x.w) {
		xmlBufferFree(buf);
		return errmsg(err, errsize, -ENOMEM,
			      "%s: cannot build the JUnit report: out of memory", path);
	}
	document(&x, r);
	/* Freeing the writer flushes it into buf. */
	xmlFreeTextWriter(x.w);

	rc = x.err;
	if (rc)
		errmsg(err, errsize, rc, "%s: cannot build the JUnit report: %s", path,
		       strerror(-rc));
	else if ((rc = write_file(path, xmlBufferContent(buf), xmlBufferLength(buf))))
		errmsg(err, errsize, rc, "%s: cannot write the JUnit report: %s", path,
		       strerror(-rc));
	xmlBufferFree(buf);
	return rc;
}
