/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incremental parser for the KTAP stream a guest sends.
 *
 * Every byte is untrusted: the parser accepts any chunking, any bytes, any
 * amount, and never crashes or grows without bound. Lines longer than
 * PROTOCOL_MAX_LINE are cut (and counted); non-printable bytes are replaced
 * with '?'; at most KTAP_MAX_TESTS results and KTAP_MAX_DIAG_BYTES of
 * diagnostics per test are kept, the rest counted as dropped.
 */
#ifndef GUESTCHECK_KTAP_PARSE_H
#define GUESTCHECK_KTAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define KTAP_MAX_TESTS	    1024
#define KTAP_MAX_NAME	    256
#define KTAP_MAX_DIAG_BYTES (64 * 1024)
#define KTAP_MAX_AGENT_LOG  (64 * 1024)

enum ktap_status {
	KTAP_NOT_RUN = 0, /* announced (will-run) but no result line arrived */
	KTAP_PASS,
	KTAP_FAIL,
	KTAP_SKIP,
	KTAP_XFAIL, /* reported "# XFAIL": counts as a pass */
	KTAP_XPASS, /* reported "# XPASS": counts as a failure */
};

const char *ktap_status_name(enum ktap_status status); /* "pass", "fail", "skip", ... */

struct ktap_test {
	char name[KTAP_MAX_NAME]; /* sanitised, NUL-terminated */
	int number;		  /* the "ok N" number, 0 if never reported */
	enum ktap_status status;
	char *reason;	     /* directive text (SKIP reason), or NULL */
	char *diagnostics;   /* "# " lines seen between "RUN name" and the result, '\n'-joined, or
				NULL */
	size_t diag_dropped; /* diagnostic bytes over KTAP_MAX_DIAG_BYTES */
	bool ran;	     /* the agent said when it ran (AGENT_RAN): */
	double ran_start;    /* seconds from the agent's first check start */
	double ran_end;	     /* >= ran_start */
};

struct ktap_run {
	bool saw_hello; /* AGENT_HELLO line seen */
	char agent_version[64];
	char guest_kernel[128];
	bool saw_version; /* "TAP version 13" or "KTAP version 1" */
	int plan;	  /* N from "1..N", -1 when absent */
	bool saw_end;	  /* AGENT_END line seen */

	struct ktap_test *tests; /* in order of announcement/report */
	size_t ntests;

	char *agent_log; /* agent lines not tied to a test (module failures, ...), '\n'-joined */
	size_t lines;	 /* complete lines seen */
	size_t overlong_lines; /* lines cut at PROTOCOL_MAX_LINE */
	size_t garbage_lines;  /* lines that are not KTAP (reported, not fatal) */
	size_t dropped_tests;  /* results past KTAP_MAX_TESTS */
	size_t bytes;	       /* raw bytes fed */

	size_t dropped_announcements; /* will-run/RUN names past KTAP_MAX_TESTS */
	size_t agent_log_dropped;     /* agent_log bytes over KTAP_MAX_AGENT_LOG */
};

struct ktap_parser;

struct ktap_parser *ktap_parser_new(void);
void ktap_parser_free(struct ktap_parser *p);

/* Feed raw bytes, any split. Returns the number of complete lines consumed. */
size_t ktap_parser_feed(struct ktap_parser *p, const char *buf, size_t len);

/* End of stream: a trailing partial line is parsed as a line. */
void ktap_parser_finish(struct ktap_parser *p);

/* The state so far; valid until the next feed/finish/free. */
const struct ktap_run *ktap_parser_run(const struct ktap_parser *p);

/* Totals over a run; not-run tests count as failed for the verdict. */
struct ktap_counts {
	size_t passed, failed, skipped, not_run;
};
struct ktap_counts ktap_count(const struct ktap_run *run);

/*
 * Make len bytes safe to print, serialise as XML 1.0 or JSON, or show on a
 * terminal: keeps printable ASCII, '\t', '\n' and well-formed UTF-8, and
 * replaces every other byte (controls, escapes, NUL, C1, broken UTF-8,
 * U+FFFE/U+FFFF) with '?'. In place; the length never changes.
 */
void ktap_sanitize(char *s, size_t len);

/*
 * The diagnostic line that best explains a failure: the first one starting
 * with "FAIL", else the first non-empty one. Points into t->diagnostics and
 * is *len bytes long (not NUL-terminated); NULL when there are none.
 */
const char *ktap_failure_line(const struct ktap_test *t, size_t *len);

#endif
