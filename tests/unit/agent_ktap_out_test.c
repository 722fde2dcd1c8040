// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The agent's KTAP lines (agent/ktap_out.h) are those the kselftest harness
 * printed, byte for byte, for each way a check can end.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktap_out.h"

/* What fn wrote to a memfd, as a string. */
static char *captured(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *s = calloc(1, len + 1);

	if (s && pread(fd, s, len, 0) != len)
		s[0] = '\0';
	close(fd);
	return s;
}

struct ending {
	const char *name;
	int status; /* a wait status */
	bool timed_out;
	const char *skip_reason;
	const char *want; /* after "#  RUN ..." and the check's own lines */
};

FIXTURE(ktap_out)
{
	int unused;
};

FIXTURE_VARIANT(ktap_out)
{
	struct ending e;
};

FIXTURE_SETUP(ktap_out)
{
}

FIXTURE_TEARDOWN(ktap_out)
{
}

/* The texts are from a run of the kselftest harness (6.12) on these endings. */
FIXTURE_VARIANT_ADD(ktap_out, pass){ { "agent.config", 0 << 8, false, NULL,
				       "#            OK  agent.config\n"
				       "ok 3 agent.config\n" } };
FIXTURE_VARIANT_ADD(ktap_out, skip){
	{ "agent.modules", 4 << 8, false, "the agent is not the guest's init: it loaded no modules",
	  "#      SKIP      the agent is not the guest's init: it loaded "
	  "no modules\n"
	  "#            OK  agent.modules\n"
	  "ok 3 agent.modules # SKIP the agent is not the guest's init: "
	  "it loaded no modules\n" }
};
FIXTURE_VARIANT_ADD(ktap_out, fail){ { "devices.present", 1 << 8, false, NULL,
				       "# present: Test failed\n"
				       "#          FAIL  devices.present\n"
				       "not ok 3 devices.present\n" } };
FIXTURE_VARIANT_ADD(ktap_out, timeout){ { "mmc.fingerprint", SIGKILL, true, NULL,
					  "# fingerprint: Test terminated by timeout\n"
					  "#          FAIL  mmc.fingerprint\n"
					  "not ok 3 mmc.fingerprint\n" } };
FIXTURE_VARIANT_ADD(ktap_out, crash){ { "zoned.zone_report", SIGSEGV, false, NULL,
					"# zone_report: Test terminated unexpectedly by signal 11\n"
					"#          FAIL  zoned.zone_report\n"
					"not ok 3 zoned.zone_report\n" } };
FIXTURE_VARIANT_ADD(ktap_out, abort){ { "sdhci.card", SIGABRT, false, NULL,
					"# card: Test terminated by assertion\n"
					"#          FAIL  sdhci.card\n"
					"not ok 3 sdhci.card\n" } };
FIXTURE_VARIANT_ADD(ktap_out, skip_without_reason){ { "usbnet.link", 4 << 8, false, "",
						      "#      SKIP      unknown\n"
						      "#            OK  usbnet.link\n"
						      "ok 3 usbnet.link # SKIP unknown\n" } };

TEST_F(ktap_out, result_lines)
{
	const struct ending *e = &variant->e;
	struct check_outcome o;
	struct ktap_totals t = { 0 };
	int fd = memfd_create("ktap", 0);
	char *got;

	ASSERT_GE(fd, 0);
	check_outcome_from_wait(e->status, e->timed_out, e->skip_reason, &o);
	ktap_out_result(fd, 3, e->name, &o, &t);
	got = captured(fd);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(e->want, got);
	EXPECT_EQ(1U, t.pass + t.fail + t.skip);
	free(got);
}

TEST(header_and_totals)
{
	struct ktap_totals t = { .pass = 1, .fail = 1, .skip = 1 };
	int fd = memfd_create("ktap", 0);
	char *got;

	ASSERT_GE(fd, 0);
	ktap_out_header(fd, 3, 2);
	ktap_out_run(fd, "agent.config");
	ktap_out_ran(fd, "agent.config", 0, 0.0284);
	ktap_out_totals(fd, &t);
	got = captured(fd);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ("TAP version 13\n"
		     "1..3\n"
		     "# Starting 3 tests from 2 test cases.\n"
		     "#  RUN           agent.config ...\n"
		     "# guestcheck-agent: ran agent.config start=0.000 end=0.028\n"
		     "# FAILED: 2 / 3 tests passed.\n"
		     "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0\n",
		     got);
	free(got);
}

TEST(skip_reason_stays_one_line)
{
	struct check_outcome o;

	check_outcome_from_wait(4 << 8, false, "two\nlines", &o);
	EXPECT_TRUE(o.result == CHECK_RESULT_SKIP);
	EXPECT_STREQ("two lines", o.reason);
}

/* Ours, beyond the harness: a timed-out check says what it was doing, on one line. */
TEST(timeout_says_what_the_check_was_doing)
{
	struct check_outcome o;
	struct ktap_totals t = { 0 };
	int fd = memfd_create("ktap", 0);
	char *got;

	ASSERT_GE(fd, 0);
	check_outcome_from_wait(SIGKILL, true, NULL, &o);
	check_outcome_timed_out(120, "sd0 (/dev/sda): burst 3\nof 12", &o);
	ktap_out_result(fd, 7, "zoned.write_order", &o, &t);
	got = captured(fd);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ("# FAIL timed out after 120 s while sd0 (/dev/sda): burst 3 of 12\n"
		     "# write_order: Test terminated by timeout\n"
		     "#          FAIL  zoned.write_order\n"
		     "not ok 7 zoned.write_order\n",
		     got);
	free(got);
	check_outcome_timed_out(5, "", &o);
	EXPECT_STREQ("FAIL timed out after 5 s (it said nothing of what it was doing)", o.timeout);
}

TEST_HARNESS_MAIN
