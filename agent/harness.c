// SPDX-License-Identifier: GPL-2.0-or-later
/* Diagnostics and SKIP lines belong in the KTAP stream, not on the console. */
#define TH_LOG_STREAM stdout
#include "harness.h"

#include "kselftest_harness.h"

/*
 * The harness hands a test nothing but its metadata, so the run's context
 * reaches the tests through this pointer, set once in the forked child just
 * before the harness starts and never changed.
 */
static const struct check_env *harness_env;

static void run_check(struct __test_metadata *_metadata, check_fn fn)
{
	struct check_ctx ctx = { .env = harness_env, .out = stdout };
	int r = fn(&ctx);

	if (r < 0 && !ctx.failed)
		check_fail(&ctx, "check error: %s", strerror(-r));
	if (ctx.failed) {
		_metadata->exit_code = KSFT_FAIL;
		return;
	}
	if (ctx.skipped)
		SKIP(return, "%s", ctx.skip_reason);
}

#define AREA(area)                                                                                 \
	FIXTURE(area)                                                                              \
	{                                                                                          \
		int unused;                                                                        \
	};                                                                                         \
	FIXTURE_SETUP(area)                                                                        \
	{                                                                                          \
	}                                                                                          \
	FIXTURE_TEARDOWN(area)                                                                     \
	{                                                                                          \
	}
#define CHECK(area, name, timeout, fn, summary)                                                    \
	TEST_F_TIMEOUT(area, name, timeout)                                                        \
	{                                                                                          \
		run_check(_metadata, fn);                                                          \
	}
#include "registry.def"
#undef AREA
#undef CHECK

static const struct harness_test all_tests[] = {
#define AREA(area)
#define CHECK(area, name, timeout, fn, summary) { #area "." #name, summary, timeout },
#include "registry.def"
#undef AREA
#undef CHECK
};

const struct harness_test *harness_tests(size_t *count)
{
	*count = ARRAY_SIZE(all_tests);
	return all_tests;
}

bool harness_selected(const char *name, char *const *only, size_t nonly)
{
	if (nonly == 0)
		return true;
	for (size_t i = 0; i < nonly; i++) {
		size_t n = strlen(only[i]);

		if (!strcmp(name, only[i]))
			return true;
		if (!strchr(only[i], '.') && !strncmp(name, only[i], n) && name[n] == '.')
			return true;
	}
	return false;
}

void harness_run_and_exit(const struct check_env *env, char *const *only, size_t nonly)
{
	/* "-r area.name" runs one test, "-f area" an area: the harness's own filters. */
	char *argv[2 + 2 * 64] = { "guestcheck-agent" };
	int argc = 1;

	harness_env = env;
	for (size_t i = 0; i < nonly && i < 64; i++) {
		argv[argc++] = strchr(only[i], '.') ? "-r" : "-f";
		argv[argc++] = only[i];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * The harness calls getopt() without resetting it; the agent's own
	 * option parsing left optind past our argv. 0 makes glibc start afresh.
	 */
	optind = 0;
	exit(test_harness_run(argc, argv));
}
