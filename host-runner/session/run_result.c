// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict of one run, and of each test in it: the guest's KTAP judged
 * against the failures the scenario declares ([expect CHECK], see
 * scenario.h). A declared failure passes only when the test failed with
 * exactly the declared diagnoses: a second, new fault in the same check,
 * or the same check failing for another reason, is a failure again.
 */
#include "session/run_result.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "protocol.h"

static const char *const verdict_names[] = {
	[VERDICT_PASS] = "PASS",
	[VERDICT_FAIL] = "FAIL",
	[VERDICT_USAGE] = "USAGE",
	[VERDICT_INFRA] = "ERROR",
};

const char *run_verdict_name(enum run_verdict v)
{
	if ((size_t)v >= ARRAY_SIZE(verdict_names) || !verdict_names[v])
		return "UNKNOWN";
	return verdict_names[v];
}

static size_t guest_tests(const struct run_result *r)
{
	return r->ktap ? r->ktap->ntests : 0;
}

static const struct ktap_test *find_test(const struct run_result *r, const char *name)
{
	for (size_t i = 0; i < guest_tests(r); i++)
		if (!strcmp(r->ktap->tests[i].name, name))
			return &r->ktap->tests[i];
	return NULL;
}

static const struct scenario_expect *find_expect(const struct run_result *r, const char *name)
{
	for (size_t i = 0; i < r->nexpects; i++)
		if (!strcmp(r->expects[i].check, name))
			return &r->expects[i];
	return NULL;
}

/* Declarations that name no test of the run: after an infrastructure error, none. */
static const struct scenario_expect *missing_expect(const struct run_result *r, size_t k)
{
	if (r->verdict == VERDICT_INFRA || r->verdict == VERDICT_USAGE)
		return NULL;
	for (size_t i = 0; i < r->nexpects; i++)
		if (!find_test(r, r->expects[i].check) && k-- == 0)
			return &r->expects[i];
	return NULL;
}

size_t run_result_ntests(const struct run_result *r)
{
	size_t n = guest_tests(r);

	while (missing_expect(r, n - guest_tests(r)))
		n++;
	return n;
}

/* Lines of a '\n'-joined text, one at a time; false at the end. */
static bool next_line(const char **text, const char **line, size_t *len)
{
	const char *s = *text;

	if (!s || !*s)
		return false;
	*len = strcspn(s, "\n");
	*line = s;
	*text = s + *len + (s[*len] == '\n');
	return true;
}

static bool is_failure_line(const char *line, size_t len)
{
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	return len >= 4 && !strncmp(line, "FAIL", 4);
}

/* pattern anywhere in line[0..len): fnmatch over "*PATTERN*", no flags. */
static bool line_matches(const char *pattern, const char *line, size_t len)
{
	char buf[PROTOCOL_MAX_LINE + 1];
	_cleanup_free_ char *anywhere = NULL;

	if (len > PROTOCOL_MAX_LINE)
		len = PROTOCOL_MAX_LINE; /* the parser cut it there already */
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (asprintf(&anywhere, "*%s*", pattern) < 0) {
		anywhere = NULL;
		return false; /* out of memory: proves nothing, so the run fails */
	}
	return fnmatch(anywhere, buf, 0) == 0;
}

/*
 * Match the declaration against the test's failure lines: its "FAIL ..."
 * lines, or when it has none (a crash, a timeout) every line it left and
 * its reason.
 */
static void match_diagnoses(const struct ktap_test *t, struct test_judgement *j)
{
	const struct scenario_expect *x = j->expect;
	const char *text, *line;
	bool any_fail_line = false;
	size_t len;

	for (text = t->diagnostics; next_line(&text, &line, &len);)
		any_fail_line |= is_failure_line(line, len);
	for (text = t->diagnostics; next_line(&text, &line, &len);) {
		bool matched = false;

		if (any_fail_line ? !is_failure_line(line, len) : !len)
			continue;
		for (size_t d = 0; d < x->ndiagnoses; d++) {
			if (!line_matches(x->diagnosis[d], line, len))
				continue;
			matched = true;
			if (!j->seen[d]) {
				j->seen[d] = line;
				j->seen_len[d] = len;
			}
		}
		if (!matched && any_fail_line && !j->undeclared) {
			j->undeclared = line;
			j->undeclared_len = len;
		}
	}
	if (!any_fail_line && t->reason)
		for (size_t d = 0; d < x->ndiagnoses; d++)
			if (!j->seen[d] &&
			    line_matches(x->diagnosis[d], t->reason, strlen(t->reason))) {
				j->seen[d] = t->reason;
				j->seen_len[d] = strlen(t->reason);
			}
}

static bool all_seen(const struct test_judgement *j)
{
	for (size_t d = 0; d < j->expect->ndiagnoses; d++)
		if (!j->seen[d])
			return false;
	return true;
}

/* Levenshtein distance, for "did you mean": names are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[KTAP_MAX_NAME + 1];

	if (lb > KTAP_MAX_NAME)
		return SIZE_MAX;
	for (size_t k = 0; k <= lb; k++)
		row[k] = k;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t k = 1; k <= lb; k++) {
			size_t up = row[k];
			size_t best = diag + (a[i - 1] != b[k - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[k - 1] + 1 < best)
				best = row[k - 1] + 1;
			row[k] = best;
			diag = up;
		}
	}
	return row[lb];
}

static const char *closest_name(const struct run_result *r, const char *name)
{
	const char *best = NULL;
	size_t best_d = strlen(name) / 3 + 1; /* a typo, not another test */

	for (size_t i = 0; i < guest_tests(r); i++) {
		size_t d = distance(name, r->ktap->tests[i].name);

		if (d <= best_d) {
			best = r->ktap->tests[i].name;
			best_d = d;
		}
	}
	return best;
}

void run_result_judge(const struct run_result *r, size_t i, struct test_judgement *j)
{
	const struct ktap_test *t;

	*j = (struct test_judgement){ 0 };
	if (i >= guest_tests(r)) {
		j->expect = missing_expect(r, i - guest_tests(r));
		j->name = j->expect ? j->expect->check : "?";
		j->verdict = KTAP_FAIL;
		j->closest = j->expect ? closest_name(r, j->expect->check) : NULL;
		return;
	}
	t = &r->ktap->tests[i];
	j->test = t;
	j->name = t->name;
	j->verdict = t->status;
	j->expect = find_expect(r, t->name);
	if (!j->expect)
		return;
	switch (t->status) {
	case KTAP_PASS:
	case KTAP_XPASS:
		j->verdict = KTAP_XPASS;
		break;
	case KTAP_FAIL:
	case KTAP_XFAIL:
		match_diagnoses(t, j);
		/* Dropped lines were never looked at: they could hold another fault. */
		j->verdict =
			all_seen(j) && !j->undeclared && !t->diag_dropped ? KTAP_XFAIL : KTAP_FAIL;
		break;
	case KTAP_SKIP:
		j->verdict = KTAP_FAIL;
		break;
	case KTAP_NOT_RUN:
	default:
		j->verdict = KTAP_NOT_RUN;
		break;
	}
}

/* "'P1', 'P2'": the declared diagnoses, as the scenario writes them. */
static void put_diagnoses(FILE *f, const struct scenario_expect *x, bool only_unseen,
			  const struct test_judgement *j)
{
	const char *sep = "";

	for (size_t d = 0; d < x->ndiagnoses; d++) {
		if (only_unseen && j->seen[d])
			continue;
		fprintf(f, "%s'%s' (line %d)", sep, x->diagnosis[d], x->diagnosis_line[d]);
		sep = ", ";
	}
}

/* The first failure line of a test, for "it failed with ...". */
static void put_first_failure(FILE *f, const struct ktap_test *t)
{
	size_t len;
	const char *line = ktap_failure_line(t, &len);

	if (line)
		fprintf(f, "'%.*s'", (int)len, line);
	else if (t->reason)
		fprintf(f, "'%s'", t->reason);
	else
		fputs("no diagnostic line at all", f);
}

char *test_judgement_text(const struct run_result *r, const struct test_judgement *j)
{
	const struct scenario_expect *x = j->expect;
	const struct ktap_test *t = j->test;
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	if (!x)
		return NULL;
	f = open_memstream(&text, &size);
	if (!f)
		return NULL;
	fprintf(f, "[expect %s] (%s:%d) ", x->check, r->scenario_path, x->line);
	if (!t) {
		fputs("declares a failure, but no test of that name ran", f);
		if (j->closest)
			fprintf(f, " (did you mean %s?)", j->closest);
		fprintf(f, ": the guest reported %zu tests: fix the name", guest_tests(r));
	} else if (j->verdict == KTAP_XFAIL) {
		fputs("declares this failure, and it happened:", f);
		for (size_t d = 0; d < x->ndiagnoses; d++)
			fprintf(f, "%s '%s' matched '%.*s'", d ? ";" : "", x->diagnosis[d],
				(int)j->seen_len[d], j->seen[d]);
	} else if (j->verdict == KTAP_XPASS) {
		fputs("declares a failure with ", f);
		put_diagnoses(f, x, false, j);
		fputs(", but the test passed: the failure is gone; if the fault was fixed, remove "
		      "the section",
		      f);
	} else if (t->status == KTAP_SKIP) {
		fputs("declares a failure with ", f);
		put_diagnoses(f, x, false, j);
		fprintf(f, ", but the test was skipped: %s", t->reason ?: "no reason given");
	} else if (j->verdict == KTAP_NOT_RUN) {
		fputs("declares a failure with ", f);
		put_diagnoses(f, x, false, j);
		fputs(", but the test never reported a result", f);
	} else if (!all_seen(j)) {
		fputs("declares a failure with ", f);
		put_diagnoses(f, x, true, j);
		fputs(", but no failure line matches it: the test failed with ", f);
		put_first_failure(f, t);
	} else if (j->undeclared) {
		fprintf(f,
			"declares this failure, and it happened, but the test also failed with "
			"'%.*s', which no diagnosis matches: a second fault: fix it, or declare it "
			"with diagnosis%zu = ...",
			(int)j->undeclared_len, j->undeclared, x->ndiagnoses + 1);
	} else {
		fprintf(f,
			"declares this failure, and it happened, but %zu diagnostic bytes past the "
			"cap were not kept, so another fault could hide there: shorten the check's "
			"output",
			t->diag_dropped);
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	ktap_sanitize(text, strlen(text));
	return text;
}

struct run_counts run_result_count(const struct run_result *r)
{
	struct run_counts c = { 0 };
	struct test_judgement j;

	c.total = run_result_ntests(r);
	for (size_t i = 0; i < c.total; i++) {
		run_result_judge(r, i, &j);
		switch (j.verdict) {
		case KTAP_PASS:
			c.passed++;
			break;
		case KTAP_FAIL:
			c.failed++;
			break;
		case KTAP_SKIP:
			c.skipped++;
			break;
		case KTAP_XFAIL:
			c.xfail++;
			break;
		case KTAP_XPASS:
			c.xpass++;
			break;
		case KTAP_NOT_RUN:
		default:
			c.not_run++;
			break;
		}
	}
	return c;
}

enum run_verdict run_result_verdict(const struct run_result *r)
{
	const struct ktap_run *run = r->ktap;
	struct run_counts c;

	/* The session found these before any test could speak: keep them. */
	if (r->verdict == VERDICT_USAGE || r->verdict == VERDICT_INFRA)
		return r->verdict;
	if (!run)
		return VERDICT_FAIL;
	c = run_result_count(r);
	if (c.failed || c.xpass || c.not_run)
		return VERDICT_FAIL;
	/* A run that tested nothing proves nothing (no hello is the session's INFRA). */
	if (!run->ntests)
		return VERDICT_FAIL;
	/* Results past the cap were not looked at, so they cannot vouch for a pass. */
	if (run->dropped_tests || run->dropped_announcements)
		return VERDICT_FAIL;
	return VERDICT_PASS;
}
