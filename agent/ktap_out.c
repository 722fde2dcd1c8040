// SPDX-License-Identifier: GPL-2.0-or-later
#include "ktap_out.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "protocol.h"

#define CAUSE(o, ...) snprintf((o)->cause, sizeof((o)->cause), __VA_ARGS__)

void check_outcome_from_wait(int status, bool timed_out, const char *skip_reason,
			     struct check_outcome *o)
{
	*o = (struct check_outcome){ .result = CHECK_RESULT_FAIL };
	if (timed_out) {
		CAUSE(o, "Test terminated by timeout");
	} else if (WIFEXITED(status)) {
		switch (WEXITSTATUS(status)) {
		case CHECK_EXIT_PASS:
			o->result = CHECK_RESULT_PASS;
			break;
		case CHECK_EXIT_SKIP:
			o->result = CHECK_RESULT_SKIP;
			snprintf(o->reason, sizeof(o->reason), "%s",
				 skip_reason && skip_reason[0] ? skip_reason : "unknown");
			/* One line in the stream, whatever the check wrote. */
			for (char *p = o->reason; *p; p++)
				if (*p == '\n' || *p == '\r')
					*p = ' ';
			break;
		default:
			CAUSE(o, "Test failed");
		}
	} else if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGABRT)
			CAUSE(o, "Test terminated by assertion");
		else
			CAUSE(o, "Test terminated unexpectedly by signal %d", WTERMSIG(status));
	} else {
		CAUSE(o, "Test ended in some other way [%u]", (unsigned int)status);
	}
}

void check_outcome_timed_out(unsigned int timeout_s, const char *doing, struct check_outcome *o)
{
	size_t n;

	if (doing && doing[0])
		n = snprintf(o->timeout, sizeof(o->timeout), "FAIL timed out after %u s while %.*s",
			     timeout_s, 256, doing);
	else
		n = snprintf(o->timeout, sizeof(o->timeout),
			     "FAIL timed out after %u s (it said nothing of what it was doing)",
			     timeout_s);
	/* One line in the stream, whatever the check wrote. */
	for (size_t i = 0; i < n && i < sizeof(o->timeout); i++)
		if (o->timeout[i] == '\n' || o->timeout[i] == '\r')
			o->timeout[i] = ' ';
}

void check_outcome_not_started(int error, struct check_outcome *o)
{
	*o = (struct check_outcome){ .result = CHECK_RESULT_FAIL };
	CAUSE(o, "not started: %s: the guest is out of processes or memory", strerror(error));
}

void ktap_out_header(int fd, size_t ntests, size_t nareas)
{
	dprintf(fd, "TAP version 13\n1..%zu\n# Starting %zu tests from %zu test cases.\n", ntests,
		ntests, nareas);
}

void ktap_out_run(int fd, const char *name)
{
	dprintf(fd, "#  RUN           %s ...\n", name);
}

void ktap_out_result(int fd, size_t number, const char *name, const struct check_outcome *o,
		     struct ktap_totals *t)
{
	const char *dot = strchr(name, '.');
	bool passed = o->result != CHECK_RESULT_FAIL;

	/* The harness named the test without its area in these two lines. */
	if (o->result == CHECK_RESULT_SKIP)
		dprintf(fd, "#      SKIP      %s\n", o->reason);
	if (o->timeout[0])
		dprintf(fd, "# %s\n", o->timeout);
	if (o->cause[0])
		dprintf(fd, "# %s: %s\n", dot ? dot + 1 : name, o->cause);
	dprintf(fd, "#          %4s  %s\n", passed ? "OK" : "FAIL", name);
	switch (o->result) {
	case CHECK_RESULT_PASS:
		dprintf(fd, "ok %zu %s\n", number, name);
		t->pass++;
		break;
	case CHECK_RESULT_SKIP:
		dprintf(fd, "ok %zu %s # SKIP %s\n", number, name, o->reason);
		t->skip++;
		break;
	case CHECK_RESULT_FAIL:
		dprintf(fd, "not ok %zu %s\n", number, name);
		t->fail++;
		break;
	}
}

void ktap_out_ran(int fd, const char *name, double start, double end)
{
	dprintf(fd, AGENT_LINE_PREFIX AGENT_RAN " %s start=%.3f end=%.3f\n", name, start, end);
}

void ktap_out_totals(int fd, const struct ktap_totals *t)
{
	size_t n = t->pass + t->fail + t->skip;

	dprintf(fd, "# %s: %zu / %zu tests passed.\n", t->fail ? "FAILED" : "PASSED",
		t->pass + t->skip, n);
	dprintf(fd, "# Totals: pass:%zu fail:%zu xfail:0 xpass:0 skip:%zu error:0\n", t->pass,
		t->fail, t->skip);
}
