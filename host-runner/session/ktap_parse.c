// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Incremental KTAP parser for the guest's stream (see ktap_parse.h).
 *
 * The guest may be broken or hostile, so every limit is enforced here and
 * never trusted to the sender: one fixed line buffer, capped test count,
 * capped text per test and for the agent log. Anything that does not fit is
 * counted rather than kept, so a report can say what was lost.
 */
#include "session/ktap_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "protocol.h"

#define NO_TEST SIZE_MAX

/* Length and capacity of one growable, '\n'-joined text buffer. */
struct text_len {
	size_t len, cap;
};

/* Per-test state the public struct does not show. */
struct test_extra {
	struct text_len diag;
	uint32_t hash; /* of the name: a flood of results must not cost a strcmp per test */
};

struct ktap_parser {
	struct ktap_run run;
	size_t tests_cap;
	struct test_extra *extra; /* parallel to run.tests */
	struct text_len log;
	size_t current; /* test between its "RUN" line and its result */

	char line[PROTOCOL_MAX_LINE + 1];
	size_t len;
	bool cut;      /* line passed PROTOCOL_MAX_LINE: drop bytes until its end */
	bool after_cr; /* a '\n' right after '\r' ends no second line */
};

/* The words results.json uses: stable, scripts match on them. */
static const char *const status_names[] = {
	[KTAP_NOT_RUN] = "not-run", [KTAP_PASS] = "pass",   [KTAP_FAIL] = "fail",
	[KTAP_SKIP] = "skip",	    [KTAP_XFAIL] = "xfail", [KTAP_XPASS] = "xpass",
};

/* "ok N name # DIRECTIVE reason": directives that change the status. */
static const struct {
	const char *word;
	enum ktap_status status;
} directives[] = {
	{ "SKIP", KTAP_SKIP },
	{ "XFAIL", KTAP_XFAIL },
	{ "XPASS", KTAP_XPASS },
};

/*
 * Top-level harness chatter after "# ": the runner computes these totals
 * itself, so repeating them in the agent log would only be noise.
 */
static const char *const harness_chatter[] = {
	"Starting ",
	"Totals:",
	"PASSED:",
	"FAILED:",
};

const char *ktap_status_name(enum ktap_status status)
{
	if ((size_t)status >= ARRAY_SIZE(status_names) || !status_names[status])
		return "unknown";
	return status_names[status];
}

/* Bytes in the well-formed UTF-8 character at s that XML 1.0 allows, or 0. */
static size_t utf8_char_len(const unsigned char *s, size_t avail)
{
	uint32_t cp, min;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* C1 controls are refused too: a terminal may obey U+009B as CSI. */
	if (cp < min || cp < 0xa0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

void ktap_sanitize(char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = s[i];

		if (c == '\t' || c == '\n' || (c >= 0x20 && c < 0x7f)) {
			i++;
			continue;
		}
		n = utf8_char_len((const unsigned char *)s + i, len - i);
		if (n) {
			i += n;
			continue;
		}
		s[i++] = '?';
	}
}

/* Copy at most size-1 bytes, never splitting a UTF-8 character. */
static void copy_trunc(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool skip_prefix(const char **s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(*s, prefix, n))
		return false;
	*s += n;
	return true;
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of s without trailing blanks. */
static size_t trimmed_len(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* Decimal digits at *s as an int; -1 when absent or past INT32_MAX. */
static int parse_number(const char **s)
{
	const char *p = *s;
	long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		if (v > INT32_MAX)
			return -1;
	}
	*s = p;
	return (int)v;
}

/*
 * Append prefix + s[0..n) as one line, or nothing if it would pass max:
 * whole lines only, so a kept line is never a misleading fragment.
 * Returns the bytes dropped.
 */
static size_t text_append(char **buf, struct text_len *t, size_t max, const char *prefix,
			  const char *s, size_t n)
{
	size_t plen = strlen(prefix);
	size_t need = (t->len ? 1 : 0) + plen + n;
	size_t cap;
	char *nb;

	if (t->len + need > max)
		return need;
	if (t->len + need + 1 > t->cap) {
		cap = t->cap ? t->cap * 2 : 256;
		if (cap < t->len + need + 1)
			cap = t->len + need + 1;
		if (cap > max + 1)
			cap = max + 1;
		nb = realloc(*buf, cap);
		if (!nb)
			return need;
		*buf = nb;
		t->cap = cap;
	}
	nb = *buf + t->len;
	if (t->len)
		*nb++ = '\n';
	memcpy(nb, prefix, plen);
	memcpy(nb + plen, s, n);
	nb[plen + n] = '\0';
	t->len += need;
	return 0;
}

static void log_line(struct ktap_parser *p, const char *prefix, const char *s)
{
	p->run.agent_log_dropped +=
		text_append(&p->run.agent_log, &p->log, KTAP_MAX_AGENT_LOG, prefix, s, strlen(s));
}

/* FNV-1a */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Index of a test called name; with unreported, only one without a result. */
static size_t find_test(const struct ktap_parser *p, const char *name, bool unreported)
{
	uint32_t h = name_hash(name);
	size_t i;

	for (i = 0; i < p->run.ntests; i++) {
		const struct ktap_test *t = &p->run.tests[i];

		if (p->extra[i].hash == h && (!unreported || !t->number) && !strcmp(t->name, name))
			return i;
	}
	return NO_TEST;
}

/* A new KTAP_NOT_RUN entry; NO_TEST when full (the caller counts the drop). */
static size_t add_test(struct ktap_parser *p, const char *name)
{
	struct ktap_run *run = &p->run;
	struct ktap_test *tests;
	struct test_extra *extra;
	size_t cap;

	if (run->ntests >= KTAP_MAX_TESTS)
		return NO_TEST;
	if (run->ntests == p->tests_cap) {
		cap = p->tests_cap ? p->tests_cap * 2 : 16;
		if (cap > KTAP_MAX_TESTS)
			cap = KTAP_MAX_TESTS;
		tests = realloc(run->tests, cap * sizeof(*tests));
		if (!tests)
			return NO_TEST;
		run->tests = tests;
		extra = realloc(p->extra, cap * sizeof(*extra));
		if (!extra)
			return NO_TEST;
		p->extra = extra;
		p->tests_cap = cap;
	}
	memset(&run->tests[run->ntests], 0, sizeof(run->tests[0]));
	memset(&p->extra[run->ntests], 0, sizeof(p->extra[0]));
	copy_trunc(run->tests[run->ntests].name, KTAP_MAX_NAME, name, strlen(name));
	p->extra[run->ntests].hash = name_hash(run->tests[run->ntests].name);
	return run->ntests++;
}

static void parse_hello(struct ktap_parser *p, const char *s)
{
	const char *end;

	p->run.saw_hello = true;
	for (s = skip_spaces(s); *s; s = skip_spaces(end)) {
		end = s + strcspn(s, " \t");
		if (!strncmp(s, "version=", 8))
			copy_trunc(p->run.agent_version, sizeof(p->run.agent_version), s + 8,
				   end - s - 8);
		else if (!strncmp(s, "kernel=", 7))
			copy_trunc(p->run.guest_kernel, sizeof(p->run.guest_kernel), s + 7,
				   end - s - 7);
	}
}

/* "KEY=SECONDS": a time the agent measured, within reason. */
static bool parse_seconds(const char **s, const char *key, double *v)
{
	char *end;

	*s = skip_spaces(*s);
	if (!skip_prefix(s, key))
		return false;
	*v = strtod(*s, &end);
	if (end == *s || (*end && *end != ' ') || !(*v >= 0 && *v <= 1e7))
		return false;
	*s = end;
	return true;
}

/* "NAME start=S end=S": when a reported test ran. Anything else is logged. */
static void parse_ran(struct ktap_parser *p, const char *line, const char *arg)
{
	char name[KTAP_MAX_NAME];
	size_t n = strcspn(arg, " "), idx;
	const char *s = arg + n;
	double start, end;

	copy_trunc(name, sizeof(name), arg, n);
	if (!n || !parse_seconds(&s, "start=", &start) || !parse_seconds(&s, "end=", &end) ||
	    *skip_spaces(s) || end < start || (idx = find_test(p, name, false)) == NO_TEST) {
		log_line(p, "", line);
		return;
	}
	p->run.tests[idx].ran = true;
	p->run.tests[idx].ran_start = start;
	p->run.tests[idx].ran_end = end;
}

static void parse_agent(struct ktap_parser *p, const char *s)
{
	const char *arg = s + strcspn(s, " ");
	size_t wlen = arg - s;
	char name[KTAP_MAX_NAME];

	arg = skip_spaces(arg);
	if (wlen == strlen(AGENT_HELLO) && !strncmp(s, AGENT_HELLO, wlen)) {
		parse_hello(p, arg);
	} else if (wlen == strlen(AGENT_END) && !strncmp(s, AGENT_END, wlen)) {
		p->run.saw_end = true;
	} else if (wlen == strlen(AGENT_WILL_RUN) && !strncmp(s, AGENT_WILL_RUN, wlen) && *arg) {
		copy_trunc(name, sizeof(name), arg, trimmed_len(arg, strlen(arg)));
		if (find_test(p, name, false) == NO_TEST && add_test(p, name) == NO_TEST)
			p->run.dropped_announcements++;
	} else if (wlen == strlen(AGENT_RAN) && !strncmp(s, AGENT_RAN, wlen)) {
		parse_ran(p, s, arg);
	} else {
		log_line(p, "", s);
	}
}

/* "#  RUN           NAME ...": the harness starts a test. */
static bool parse_run(struct ktap_parser *p, const char *s)
{
	char name[KTAP_MAX_NAME];
	size_t n;

	if (!skip_prefix(&s, "#  RUN "))
		return false;
	s = skip_spaces(s);
	n = strlen(s);
	if (n < 4 || strcmp(s + n - 4, " ..."))
		return false;
	copy_trunc(name, sizeof(name), s, trimmed_len(s, n - 4));
	p->current = find_test(p, name, true);
	if (p->current == NO_TEST) {
		p->current = add_test(p, name);
		if (p->current == NO_TEST)
			p->run.dropped_announcements++;
	}
	return true;
}

/* "#            OK  NAME": the harness's own verdict, already in the result line. */
static bool is_marker(const struct ktap_parser *p, const char *s)
{
	const char *name;

	if (p->current == NO_TEST)
		return false;
	s = skip_spaces(s + 1);
	if (!skip_prefix(&s, "OK ") && !skip_prefix(&s, "FAIL "))
		return false;
	name = p->run.tests[p->current].name;
	s = skip_spaces(s);
	return !strncmp(s, name, strlen(name)) && !*skip_spaces(s + strlen(name));
}

static void parse_comment(struct ktap_parser *p, const char *s)
{
	const char *text = s + 1;
	size_t i;

	if (parse_run(p, s) || is_marker(p, s))
		return;
	if (*text == ' ')
		text++;
	if (p->current != NO_TEST) {
		p->run.tests[p->current].diag_dropped += text_append(
			&p->run.tests[p->current].diagnostics, &p->extra[p->current].diag,
			KTAP_MAX_DIAG_BYTES, "", text, strlen(text));
		return;
	}
	for (i = 0; i < ARRAY_SIZE(harness_chatter); i++)
		if (!strncmp(text, harness_chatter[i], strlen(harness_chatter[i])))
			return;
	log_line(p, "", s);
}

/* Splits "name # DIRECTIVE reason" and fills the test it belongs to. */
static void record_result(struct ktap_parser *p, bool ok, int number, const char *s)
{
	enum ktap_status status = ok ? KTAP_PASS : KTAP_FAIL;
	const char *hash, *dir = NULL;
	char name[KTAP_MAX_NAME];
	struct ktap_test *t;
	size_t i, idx, n;

	hash = *s == '#' ? s : strstr(s, " #");
	n = hash ? (size_t)(hash - s) : strlen(s);
	copy_trunc(name, sizeof(name), s, trimmed_len(s, n));
	if (hash)
		dir = skip_spaces(hash + (*hash == '#' ? 1 : 2));
	for (i = 0; dir && i < ARRAY_SIZE(directives); i++) {
		n = strlen(directives[i].word);
		if (!strncasecmp(dir, directives[i].word, n) && (!dir[n] || dir[n] == ' ')) {
			status = directives[i].status;
			dir = skip_spaces(dir + n);
			break;
		}
	}

	idx = NO_TEST;
	if (p->current != NO_TEST && (!name[0] || !strcmp(p->run.tests[p->current].name, name)))
		idx = p->current;
	if (!name[0])
		snprintf(name, sizeof(name), "unnamed-%d", number);
	if (idx == NO_TEST)
		idx = find_test(p, name, true);
	if (idx == NO_TEST)
		idx = add_test(p, name);
	p->current = NO_TEST;
	if (idx == NO_TEST) {
		p->run.dropped_tests++;
		return;
	}
	t = &p->run.tests[idx];
	t->number = number;
	t->status = status;
	free(t->reason);
	t->reason = NULL;
	if (dir && *dir)
		t->reason = strndup(dir, trimmed_len(dir, strlen(dir)));
}

static bool parse_result(struct ktap_parser *p, const char *s)
{
	bool ok;
	int number;

	if (skip_prefix(&s, "ok "))
		ok = true;
	else if (skip_prefix(&s, "not ok "))
		ok = false;
	else
		return false;
	/* KTAP numbers from 1; 0 is how a test says "no result yet". */
	number = parse_number(&s);
	if (number <= 0 || (*s && *s != ' '))
		return false;
	record_result(p, ok, number, skip_spaces(s));
	return true;
}

static bool parse_header(struct ktap_parser *p, const char *s)
{
	int n;

	if (skip_prefix(&s, "TAP version ") || skip_prefix(&s, "KTAP version ")) {
		if (parse_number(&s) < 0 || *s)
			return false;
		p->run.saw_version = true;
		return true;
	}
	if (skip_prefix(&s, "1..")) {
		n = parse_number(&s);
		/* "1..0 # SKIP why" is a valid plan */
		if (n < 0 || (*s && *skip_spaces(s) != '#'))
			return false;
		p->run.plan = n;
		return true;
	}
	return false;
}

/* One complete line: len bytes in p->line, any content. */
static void parse_line(struct ktap_parser *p)
{
	const char *s = p->line;

	ktap_sanitize(p->line, p->len);
	p->line[p->len] = '\0';
	p->run.lines++;
	if (!*s)
		return;

	if (skip_prefix(&s, AGENT_LINE_PREFIX))
		parse_agent(p, s);
	else if (*s == '#')
		parse_comment(p, s);
	else if (!strncmp(s, "Bail out!", 9))
		log_line(p, "", s);
	else if (!parse_result(p, s) && !parse_header(p, s)) {
		p->run.garbage_lines++;
		log_line(p, "garbage: ", s);
	}
}

static void end_line(struct ktap_parser *p)
{
	parse_line(p);
	p->len = 0;
	p->cut = false;
}

struct ktap_parser *ktap_parser_new(void)
{
	struct ktap_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->run.plan = -1;
	p->current = NO_TEST;
	return p;
}

void ktap_parser_free(struct ktap_parser *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->run.ntests; i++) {
		free(p->run.tests[i].reason);
		free(p->run.tests[i].diagnostics);
	}
	free(p->run.tests);
	free(p->extra);
	free(p->run.agent_log);
	free(p);
}

size_t ktap_parser_feed(struct ktap_parser *p, const char *buf, size_t len)
{
	size_t i, lines = 0;

	p->run.bytes += len;
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n' && p->after_cr) {
			p->after_cr = false;
			continue;
		}
		p->after_cr = c == '\r';
		if (c == '\n' || c == '\r') {
			end_line(p);
			lines++;
		} else if (p->len < PROTOCOL_MAX_LINE) {
			p->line[p->len++] = c;
		} else if (!p->cut) {
			p->cut = true;
			p->run.overlong_lines++;
		}
	}
	return lines;
}

void ktap_parser_finish(struct ktap_parser *p)
{
	if (p->len || p->cut)
		end_line(p);
	p->after_cr = false;
}

const struct ktap_run *ktap_parser_run(const struct ktap_parser *p)
{
	return &p->run;
}

struct ktap_counts ktap_count(const struct ktap_run *run)
{
	struct ktap_counts c = { 0 };
	size_t i;

	for (i = 0; i < run->ntests; i++) {
		switch (run->tests[i].status) {
		case KTAP_PASS:
		case KTAP_XFAIL:
			c.passed++;
			break;
		case KTAP_FAIL:
		case KTAP_XPASS:
			c.failed++;
			break;
		case KTAP_SKIP:
			c.skipped++;
			break;
		case KTAP_NOT_RUN:
		default:
			c.not_run++;
			break;
		}
	}
	return c;
}

const char *ktap_failure_line(const struct ktap_test *t, size_t *len)
{
	const char *s = t->diagnostics, *first = NULL, *line;
	size_t first_len = 0, n;

	for (; s && *s; s += n + (s[n] == '\n')) {
		n = strcspn(s, "\n");
		line = skip_spaces(s);
		if ((size_t)(line - s) == n)
			continue;
		if (!strncmp(line, "FAIL", 4)) {
			*len = n - (line - s);
			return line;
		}
		if (!first) {
			first = line;
			first_len = n - (line - s);
		}
	}
	*len = first_len;
	return first;
}
