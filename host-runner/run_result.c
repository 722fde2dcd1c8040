// SPDX-License-Identifier: GPL-2.0-or-later
#include "cleanup.h"
#include "run_result.h"

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

enum run_verdict run_result_verdict(const struct run_result *r)
{
	const struct ktap_run *run = r->ktap;
	struct ktap_counts c;

	/* The session found these before any test could speak: keep them. */
	if (r->verdict == VERDICT_USAGE || r->verdict == VERDICT_INFRA)
		return r->verdict;
	if (!run)
		return VERDICT_FAIL;
	c = ktap_count(run);
	if (c.failed || c.not_run)
		return VERDICT_FAIL;
	/* A run that tested nothing proves nothing (no hello is the session's INFRA). */
	if (!run->ntests)
		return VERDICT_FAIL;
	/* Results past the cap were not looked at, so they cannot vouch for a pass. */
	if (run->dropped_tests || run->dropped_announcements)
		return VERDICT_FAIL;
	return VERDICT_PASS;
}
