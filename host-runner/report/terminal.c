// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table a person reads after `guestcheck run`: one line per test, the
 * line that explains each failure under it, and one summary line.
 *
 * Guest text is sanitised before it reaches the terminal: an escape sequence
 * in a test name must not be able to rewrite what the person sees.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "protocol.h"

#include "report/report.h"

#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define RESET  "\033[0m"

/* How agent-log lines are shown at most, so the table stays compact. */
#define MAX_LOG_LINES 5

static const struct {
	const char *label;
	const char *colour;
	const char *note; /* why the label differs from the KTAP status */
} looks[] = {
	[KTAP_NOT_RUN] = { "NOT RUN", RED, NULL },
	[KTAP_PASS] = { "PASS", GREEN, NULL },
	[KTAP_FAIL] = { "FAIL", RED, NULL },
	[KTAP_SKIP] = { "SKIP", YELLOW, NULL },
	[KTAP_XFAIL] = { "XFAIL", GREEN, "expected failure" },
	[KTAP_XPASS] = { "XPASS", RED, "unexpected pass" },
};

static const char *const verdict_colours[] = {
	[VERDICT_PASS] = GREEN,
	[VERDICT_FAIL] = RED,
	[VERDICT_USAGE] = RED,
	[VERDICT_INFRA] = RED,
};

struct term {
	FILE *out;
	bool colour;
};

static void put_clean(FILE *out, const char *s, size_t n)
{
	_cleanup_free_ char *c = strndup(s, n);

	if (!c)
		return;
	ktap_sanitize(c, strlen(c));
	fputs(c, out);
}

static void put(FILE *out, const char *s)
{
	if (s)
		put_clean(out, s, strlen(s));
}

static void put_label(const struct term *t, const char *label, const char *colour, int width)
{
	if (t->colour)
		fprintf(t->out, "%s%-*s%s", colour, width, label, RESET);
	else
		fprintf(t->out, "%-*s", width, label);
}

/* The line under a test that says why it is what it is. */
static void print_why(const struct term *t, const char *line, size_t len)
{
	fputs("           ", t->out);
	put_clean(t->out, line, len);
	fputc('\n', t->out);
}

static void print_test(const struct term *t, const struct run_result *r, size_t i)
{
	struct test_judgement j;
	_cleanup_free_ char *judged = NULL;
	const struct ktap_test *test;
	const char *line, *reason;
	size_t st, len;

	run_result_judge(r, i, &j);
	test = j.test;
	st = (size_t)j.verdict < ARRAY_SIZE(looks) ? j.verdict : KTAP_NOT_RUN;
	reason = j.expect && j.verdict == KTAP_XFAIL ? j.expect->reason
		 : test				     ? test->reason
						     : NULL;
	put_label(t, looks[st].label, looks[st].colour, 8);
	fputc(' ', t->out);
	put(t->out, j.name);
	if (looks[st].note || (j.verdict == KTAP_SKIP && reason)) {
		fputs("  (", t->out);
		fputs(looks[st].note ? looks[st].note : "", t->out);
		fputs(looks[st].note && reason ? ": " : "", t->out);
		put(t->out, reason);
		fputc(')', t->out);
	}
	fputc('\n', t->out);

	/* A declared failure: the line that matched, or what differs from the declaration. */
	if (j.expect && j.verdict == KTAP_XFAIL) {
		print_why(t, j.seen[0], j.seen_len[0]);
		return;
	}
	if (j.expect && (judged = test_judgement_text(r, &j))) {
		print_why(t, judged, strlen(judged));
		return;
	}
	if (j.verdict != KTAP_FAIL)
		return;
	line = ktap_failure_line(test, &len);
	if (!line && test->reason) {
		line = test->reason;
		len = strlen(line);
	}
	if (line)
		print_why(t, line, len);
}

/* Indent each line of text under a heading. */
static void print_block(FILE *out, const char *heading, const char *text)
{
	size_t n;

	fprintf(out, "%s\n", heading);
	for (; text && *text; text += n + (text[n] == '\n')) {
		n = strcspn(text, "\n");
		fputs("    ", out);
		put_clean(out, text, n);
		fputc('\n', out);
	}
}

/* Module failures and the like explain a red run; garbage is in results.json. */
static void print_agent_log(FILE *out, const char *log)
{
	size_t n, shown = 0, more = 0;

	for (; log && *log; log += n + (log[n] == '\n')) {
		n = strcspn(log, "\n");
		if (!strncmp(log, "garbage: ", 9))
			continue;
		if (shown++ >= MAX_LOG_LINES) {
			more++;
			continue;
		}
		fputs("agent: ", out);
		put_clean(out, log, n);
		fputc('\n', out);
	}
	if (more)
		fprintf(out, "agent: (%zu more lines in results.json)\n", more);
}

static void print_stream_notes(FILE *out, const struct ktap_run *run)
{
	if (run->garbage_lines || run->overlong_lines)
		fprintf(out,
			"note: the guest sent %zu lines that are not KTAP and %zu lines longer "
			"than %d bytes (see results.json)\n",
			run->garbage_lines, run->overlong_lines, PROTOCOL_MAX_LINE);
	if (run->dropped_tests || run->dropped_announcements)
		fprintf(out,
			"note: %zu results and %zu announced tests past the %d-test limit were "
			"not recorded\n",
			run->dropped_tests, run->dropped_announcements, KTAP_MAX_TESTS);
}

int report_terminal_print(const struct run_result *r, FILE *out)
{
	static const struct ktap_run empty = { .plan = -1 };
	const struct ktap_run *run = r->ktap ? r->ktap : &empty;
	struct run_counts c = run_result_count(r);
	struct term t = {
		.out = out,
		.colour = isatty(fileno(out)) && !getenv("NO_COLOR"),
	};
	const char *colour = (size_t)r->verdict < ARRAY_SIZE(verdict_colours)
				     ? verdict_colours[r->verdict]
				     : RED;
	size_t i;

	for (i = 0; i < c.total; i++)
		print_test(&t, r, i);

	if (r->verdict != VERDICT_PASS)
		print_agent_log(out, run->agent_log);
	print_stream_notes(out, run);
	if (r->verdict == VERDICT_INFRA) {
		fputs("error: ", out);
		put(out, r->infra_error[0] ? r->infra_error : "infrastructure error");
		fputc('\n', out);
		if (r->console_tail)
			print_block(out, "console (last lines):", r->console_tail);
	}

	fputs("scenario ", out);
	put(out, r->scenario);
	fputs(": ", out);
	put_label(&t, run_verdict_name(r->verdict), colour, 0);
	fprintf(out,
		" (%zu passed, %zu failed, %zu expected failure%s, %zu unexpected pass%s, %zu "
		"skipped, %zu not run) in %.1fs under ",
		c.passed, c.failed, c.xfail, c.xfail == 1 ? "" : "s", c.xpass,
		c.xpass == 1 ? "" : "es", c.skipped, c.not_run,
		r->total_seconds > 0 ? r->total_seconds : 0.0);
	put(out, r->accel[0] ? r->accel : "an unknown accelerator");
	if (r->qemu_version[0]) {
		fputs(", QEMU ", out);
		put(out, r->qemu_version);
	}
	fputc('\n', out);
	/* stdout into a file on a full disk: the table is a report too. */
	errno = 0;
	if (fflush(out) == EOF)
		return errno ? -errno : -EIO;
	return ferror(out) ? -EIO : 0;
}
