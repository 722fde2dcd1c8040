// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * results.json: the whole run_result, for scripts. Multi-line text (agent
 * log, diagnostics) becomes arrays of lines so nobody has to split it, and
 * "absent" is null rather than "" or -1, so it cannot be mistaken for data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "errmsg.h"
#include "write_file.h"

#include "report/report.h"

/* A sanitised string, or null: json-c copies bytes verbatim, broken UTF-8 too. */
static json_object *jstr_n(const char *s, size_t n)
{
	_cleanup_free_ char *c = NULL;

	if (!s)
		return NULL;
	c = strndup(s, n);
	if (!c)
		return NULL;
	n = strlen(c);
	ktap_sanitize(c, n);
	return json_object_new_string_len(c, n);
}

static json_object *jstr(const char *s)
{
	return s ? jstr_n(s, strlen(s)) : NULL;
}

/* Empty fixed-size fields mean "not known". */
static json_object *jstr_or_null(const char *s)
{
	return s && *s ? jstr(s) : NULL;
}

/* Seconds to the millisecond with a '.' whatever LC_NUMERIC says; null if negative. */
static json_object *jseconds(double s)
{
	long long ms;
	char buf[32];

	if (!(s >= 0) || s > 1e12)
		return NULL;
	ms = (long long)(s * 1000.0 + 0.5);
	snprintf(buf, sizeof(buf), "%lld.%03lld", ms / 1000, ms % 1000);
	return json_object_new_double_s((double)ms / 1000.0, buf);
}

static json_object *jlines(const char *text)
{
	json_object *a = json_object_new_array();
	size_t n;

	for (; a && text && *text; text += n + (text[n] == '\n')) {
		n = strcspn(text, "\n");
		json_object_array_add(a, jstr_n(text, n));
	}
	return a;
}

/*
 * A declaration and what became of it: the scenario's words, the lines they
 * matched, and the one-line judgement.
 */
static json_object *jexpect(const struct run_result *r, const struct test_judgement *j)
{
	const struct scenario_expect *x = j->expect;
	json_object *o = json_object_new_object(), *diags = json_object_new_array();
	json_object *seen = json_object_new_array();
	_cleanup_free_ char *text = test_judgement_text(r, j);
	char where[sizeof(r->scenario_path) + 16];

	if (!o || !diags || !seen) {
		json_object_put(o);
		json_object_put(diags);
		json_object_put(seen);
		return NULL;
	}
	snprintf(where, sizeof(where), "%s:%d", r->scenario_path, x->line);
	json_object_object_add(o, "check", jstr(x->check));
	json_object_object_add(o, "declared_at", jstr(where));
	json_object_object_add(o, "result", json_object_new_string("fail"));
	json_object_object_add(o, "reason", jstr(x->reason));
	for (size_t d = 0; d < x->ndiagnoses; d++) {
		json_object_array_add(diags, jstr(x->diagnosis[d]));
		json_object_array_add(seen, j->seen[d] ? jstr_n(j->seen[d], j->seen_len[d]) : NULL);
	}
	json_object_object_add(o, "diagnosis", diags);
	json_object_object_add(o, "matched", seen);
	json_object_object_add(o, "undeclared",
			       j->undeclared ? jstr_n(j->undeclared, j->undeclared_len) : NULL);
	json_object_object_add(o, "test_ran", json_object_new_boolean(j->test != NULL));
	json_object_object_add(o, "verdict", json_object_new_string(ktap_status_name(j->verdict)));
	json_object_object_add(o, "met", json_object_new_boolean(j->verdict == KTAP_XFAIL));
	json_object_object_add(o, "message", jstr(text));
	return o;
}

static json_object *jtest(const struct run_result *r, size_t i)
{
	json_object *o = json_object_new_object();
	const struct ktap_test *t;
	struct test_judgement j;

	if (!o)
		return NULL;
	run_result_judge(r, i, &j);
	t = j.test;
	json_object_object_add(o, "name", jstr(t->name));
	json_object_object_add(o, "number", t->number ? json_object_new_int(t->number) : NULL);
	/* status: what the guest said; verdict: what counts, declarations applied. */
	json_object_object_add(o, "status", json_object_new_string(ktap_status_name(t->status)));
	json_object_object_add(o, "verdict", json_object_new_string(ktap_status_name(j.verdict)));
	json_object_object_add(o, "expectation", j.expect ? jexpect(r, &j) : NULL);
	json_object_object_add(o, "reason", jstr(t->reason));
	json_object_object_add(o, "diagnostics", jlines(t->diagnostics));
	json_object_object_add(o, "diag_dropped", json_object_new_uint64(t->diag_dropped));
	/* When it ran in the guest: seconds from the agent's first check. */
	json_object_object_add(o, "started_s",
			       t->ran ? json_object_new_double(t->ran_start) : NULL);
	json_object_object_add(o, "ended_s", t->ran ? json_object_new_double(t->ran_end) : NULL);
	return o;
}

static json_object *jktap(const struct run_result *r, const struct ktap_run *run)
{
	json_object *o = json_object_new_object();
	json_object *tests = json_object_new_array();
	size_t i;

	if (!o || !tests) {
		json_object_put(o);
		json_object_put(tests);
		return NULL;
	}
	json_object_object_add(o, "saw_hello", json_object_new_boolean(run->saw_hello));
	json_object_object_add(o, "agent_version", jstr_or_null(run->agent_version));
	json_object_object_add(o, "guest_kernel", jstr_or_null(run->guest_kernel));
	json_object_object_add(o, "saw_version", json_object_new_boolean(run->saw_version));
	json_object_object_add(o, "plan", run->plan >= 0 ? json_object_new_int(run->plan) : NULL);
	json_object_object_add(o, "saw_end", json_object_new_boolean(run->saw_end));
	json_object_object_add(o, "lines", json_object_new_uint64(run->lines));
	json_object_object_add(o, "bytes", json_object_new_uint64(run->bytes));
	json_object_object_add(o, "overlong_lines", json_object_new_uint64(run->overlong_lines));
	json_object_object_add(o, "garbage_lines", json_object_new_uint64(run->garbage_lines));
	json_object_object_add(o, "dropped_tests", json_object_new_uint64(run->dropped_tests));
	json_object_object_add(o, "dropped_announcements",
			       json_object_new_uint64(run->dropped_announcements));
	json_object_object_add(o, "agent_log", jlines(run->agent_log));
	json_object_object_add(o, "agent_log_dropped",
			       json_object_new_uint64(run->agent_log_dropped));
	for (i = 0; i < run->ntests; i++)
		json_object_array_add(tests, jtest(r, i));
	json_object_object_add(o, "tests", tests);
	return o;
}

/* By verdict, each test once; a declaration no test answered counts as failed. */
static json_object *jcounts(const struct run_result *r)
{
	struct run_counts c = run_result_count(r);
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "total", json_object_new_uint64(c.total));
	json_object_object_add(o, "passed", json_object_new_uint64(c.passed));
	json_object_object_add(o, "failed", json_object_new_uint64(c.failed));
	json_object_object_add(o, "skipped", json_object_new_uint64(c.skipped));
	json_object_object_add(o, "not_run", json_object_new_uint64(c.not_run));
	json_object_object_add(o, "xfail", json_object_new_uint64(c.xfail));
	json_object_object_add(o, "xpass", json_object_new_uint64(c.xpass));
	return o;
}

/* Every declaration of the scenario, met or not, including those no test answered. */
static json_object *jexpectations(const struct run_result *r)
{
	json_object *a = json_object_new_array();
	size_t n = run_result_ntests(r);
	struct test_judgement j;

	for (size_t i = 0; a && i < n; i++) {
		run_result_judge(r, i, &j);
		if (j.expect)
			json_object_array_add(a, jexpect(r, &j));
	}
	return a;
}

static json_object *jresult(const struct run_result *r)
{
	static const struct ktap_run empty = { .plan = -1 };
	const struct ktap_run *run = r->ktap ? r->ktap : &empty;
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "scenario", jstr(r->scenario));
	json_object_object_add(o, "scenario_path", jstr_or_null(r->scenario_path));
	json_object_object_add(o, "accel", jstr_or_null(r->accel));
	json_object_object_add(o, "accel_reason", jstr_or_null(r->accel_reason));
	/* A fall-back takes time; 0 is "none", null in the report. */
	json_object_object_add(
		o, "accel_fallback_seconds",
		jseconds(r->accel_fallback_seconds > 0 ? r->accel_fallback_seconds : -1));
	json_object_object_add(o, "kernel", jstr_or_null(r->kernel));
	json_object_object_add(o, "qemu", jstr_or_null(r->qemu));
	json_object_object_add(o, "qemu_version", jstr_or_null(r->qemu_version));
	json_object_object_add(o, "verdict", json_object_new_string(run_verdict_name(r->verdict)));
	json_object_object_add(o, "exit_status", json_object_new_int(r->verdict));
	json_object_object_add(o, "infra_error", jstr_or_null(r->infra_error));
	json_object_object_add(o, "interrupted",
			       r->interrupted ? json_object_new_int(r->interrupted) : NULL);
	json_object_object_add(o, "console_tail", jstr(r->console_tail));
	json_object_object_add(o, "boot_seconds", jseconds(r->boot_seconds));
	json_object_object_add(o, "total_seconds", jseconds(r->total_seconds));
	json_object_object_add(o, "started_at", jstr_or_null(r->started_at));
	json_object_object_add(o, "counts", jcounts(r));
	json_object_object_add(o, "expectations", jexpectations(r));
	json_object_object_add(o, "ktap", jktap(r, run));
	return o;
}

static int write_text(const char *path, const char *data)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fputs(data, f);
	fputc('\n', f);
	return fclose_checked(f);
}

int report_json_write(const struct run_result *r, const char *path, char *err, size_t errsize)
{
	json_object *root = jresult(r);
	const char *s;
	int rc;

	s = root ? json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE)
		 : NULL;
	if (!s) {
		json_object_put(root);
		return errmsg(err, errsize, -ENOMEM,
			      "%s: cannot build the JSON report: out of memory", path);
	}
	rc = write_text(path, s);
	if (rc)
		errmsg(err, errsize, rc, "%s: cannot write the JSON report: %s", path,
		       strerror(-rc));
	json_object_put(root);
	return rc;
}
