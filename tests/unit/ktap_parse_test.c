// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The KTAP parser against real streams and against everything a broken or
 * hostile guest could send.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "kselftest_harness.h"
#include "protocol.h"

#include "session/ktap_parse.h"

static const char sample[] =
	"# guestcheck-agent: hello version=0.1 kernel=6.1.0-56-amd64\n"
	"# guestcheck-agent: module-failed nvme: -ENOENT (not in the image)\n"
	"# guestcheck-agent: will-run devices.present\n"
	"# guestcheck-agent: will-run mmc.identity\n"
	"# guestcheck-agent: will-run agent.modules\n"
	"TAP version 13\n"
	"1..3\n"
	"# Starting 3 tests from 2 test cases.\n"
	"#  RUN           devices.present ...\n"
	"# sd0: /dev/mmcblk0 present, driver mmcblk\n"
	"# FAIL zns0: expected /dev/nvme0n1, saw nothing: check that the nvme module is in the "
	"image\n"
	"#            FAIL  devices.present\n"
	"not ok 1 devices.present\n"
	"#  RUN           mmc.identity ...\n"
	"#      SKIP      no sd-card in the scenario\n"
	"#            OK  mmc.identity\n"
	"ok 2 mmc.identity # SKIP no sd-card in the scenario\n"
	"# FAILED: 1 / 2 tests passed.\n"
	"# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0\n"
	"# guestcheck-agent: end\n";

static struct ktap_parser *parse(const char *buf, size_t len)
{
	struct ktap_parser *p = ktap_parser_new();

	if (p) {
		ktap_parser_feed(p, buf, len);
		ktap_parser_finish(p);
	}
	return p;
}

static struct ktap_parser *parse_str(const char *s)
{
	return parse(s, strlen(s));
}

static const struct ktap_test *find(const struct ktap_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->ntests; i++)
		if (!strcmp(run->tests[i].name, name))
			return &run->tests[i];
	return NULL;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Same parse, whatever the bytes counter says (CRLF adds bytes). */
static bool same_run(const struct ktap_run *a, const struct ktap_run *b)
{
	size_t i;

	if (a->saw_hello != b->saw_hello || a->saw_version != b->saw_version ||
	    a->saw_end != b->saw_end || a->plan != b->plan || a->ntests != b->ntests ||
	    a->lines != b->lines || a->garbage_lines != b->garbage_lines ||
	    a->overlong_lines != b->overlong_lines || a->dropped_tests != b->dropped_tests ||
	    strcmp(a->agent_version, b->agent_version) ||
	    strcmp(a->guest_kernel, b->guest_kernel) || !same_str(a->agent_log, b->agent_log))
		return false;
	for (i = 0; i < a->ntests; i++) {
		const struct ktap_test *x = &a->tests[i], *y = &b->tests[i];

		if (strcmp(x->name, y->name) || x->number != y->number || x->status != y->status ||
		    !same_str(x->reason, y->reason) || !same_str(x->diagnostics, y->diagnostics))
			return false;
	}
	return true;
}

/* Replace every "\n" with sep. */
static char *replace_newlines(const char *s, const char *sep)
{
	size_t n = 0, seplen = strlen(sep);
	const char *c;
	char *out, *o;

	for (c = s; *c; c++)
		n += *c == '\n' ? seplen : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (c = s, o = out; *c; c++) {
		if (*c == '\n') {
			memcpy(o, sep, seplen);
			o += seplen;
		} else {
			*o++ = *c;
		}
	}
	*o = '\0';
	return out;
}

/* Fixed-seed xorshift: the same "random" bytes on every run. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

TEST(sample_stream)
{
	struct ktap_parser *p = parse_str(sample);
	const struct ktap_run *run;
	const struct ktap_test *t;
	struct ktap_counts c;
	const char *line;
	size_t len;

	ASSERT_NE(NULL, p);
	run = ktap_parser_run(p);
	EXPECT_TRUE(run->saw_hello);
	EXPECT_STREQ("0.1", run->agent_version);
	EXPECT_STREQ("6.1.0-56-amd64", run->guest_kernel);
	EXPECT_TRUE(run->saw_version);
	EXPECT_TRUE(run->saw_end);
	EXPECT_EQ(3, run->plan);
	EXPECT_EQ(20U, run->lines);
	EXPECT_EQ(0U, run->garbage_lines);
	EXPECT_EQ(strlen(sample), run->bytes);
	ASSERT_EQ(3U, run->ntests);
	/* Announcement order, not result order. */
	EXPECT_STREQ("devices.present", run->tests[0].name);
	EXPECT_STREQ("mmc.identity", run->tests[1].name);
	EXPECT_STREQ("agent.modules", run->tests[2].name);

	t = &run->tests[0];
	EXPECT_EQ((int)KTAP_FAIL, (int)t->status);
	EXPECT_EQ(1, t->number);
	EXPECT_NULL(t->reason);
	ASSERT_NE(NULL, t->diagnostics);
	EXPECT_STREQ("sd0: /dev/mmcblk0 present, driver mmcblk\n"
		     "FAIL zns0: expected /dev/nvme0n1, saw nothing: check that the nvme module "
		     "is in the image",
		     t->diagnostics);
	line = ktap_failure_line(t, &len);
	ASSERT_NE(NULL, line);
	EXPECT_EQ(0, strncmp(line, "FAIL zns0: expected /dev/nvme0n1", 32));
	EXPECT_EQ('\0', line[len]);

	t = &run->tests[1];
	EXPECT_EQ((int)KTAP_SKIP, (int)t->status);
	EXPECT_EQ(2, t->number);
	ASSERT_NE(NULL, t->reason);
	EXPECT_STREQ("no sd-card in the scenario", t->reason);
	ASSERT_NE(NULL, t->diagnostics);
	EXPECT_NULL(strstr(t->diagnostics, "OK  mmc.identity"));

	t = &run->tests[2];
	EXPECT_EQ((int)KTAP_NOT_RUN, (int)t->status);
	EXPECT_EQ(0, t->number);
	EXPECT_NULL(t->diagnostics);

	c = ktap_count(run);
	EXPECT_EQ(0U, c.passed);
	EXPECT_EQ(1U, c.failed);
	EXPECT_EQ(1U, c.skipped);
	EXPECT_EQ(1U, c.not_run);

	ASSERT_NE(NULL, run->agent_log);
	EXPECT_STREQ("module-failed nvme: -ENOENT (not in the image)", run->agent_log);
	ktap_parser_free(p);
}

TEST(ktap_version_1_header)
{
	struct ktap_parser *p = parse_str("KTAP version 1\n1..2\nok 1 a\nok 2 b\n");
	const struct ktap_run *run = ktap_parser_run(p);

	EXPECT_TRUE(run->saw_version);
	EXPECT_EQ(2, run->plan);
	ASSERT_EQ(2U, run->ntests);
	EXPECT_EQ((int)KTAP_PASS, (int)run->tests[1].status);
	EXPECT_EQ(0U, run->garbage_lines);
	EXPECT_FALSE(run->saw_hello);
	ktap_parser_free(p);

	p = parse_str("KTAP version one\n1..x\nok\nok 0 zero\nok x\n");
	run = ktap_parser_run(p);
	EXPECT_FALSE(run->saw_version);
	EXPECT_EQ(-1, run->plan);
	EXPECT_EQ(5U, run->garbage_lines);
	EXPECT_EQ(0U, run->ntests);
	ktap_parser_free(p);
}

TEST(byte_by_byte_equals_one_feed)
{
	struct ktap_parser *whole = parse_str(sample);
	struct ktap_parser *bytes = ktap_parser_new();
	struct ktap_parser *chunks = ktap_parser_new();
	uint32_t seed = 7;
	size_t i, n, lines = 0;

	ASSERT_NE(NULL, bytes);
	ASSERT_NE(NULL, chunks);
	for (i = 0; i < strlen(sample); i++)
		lines += ktap_parser_feed(bytes, sample + i, 1);
	ktap_parser_finish(bytes);
	EXPECT_EQ(20U, lines);
	for (i = 0; i < strlen(sample); i += n) {
		n = next_random(&seed) % 40;
		if (n > strlen(sample) - i)
			n = strlen(sample) - i;
		ktap_parser_feed(chunks, sample + i, n);
	}
	ktap_parser_finish(chunks);

	EXPECT_TRUE(same_run(ktap_parser_run(whole), ktap_parser_run(bytes)));
	EXPECT_TRUE(same_run(ktap_parser_run(whole), ktap_parser_run(chunks)));
	EXPECT_EQ(ktap_parser_run(whole)->bytes, ktap_parser_run(bytes)->bytes);
	ktap_parser_free(whole);
	ktap_parser_free(bytes);
	ktap_parser_free(chunks);
}

TEST(crlf_and_cr_line_ends)
{
	_cleanup_free_ char *crlf = replace_newlines(sample, "\r\n");
	_cleanup_free_ char *cr = replace_newlines(sample, "\r");
	struct ktap_parser *lf = parse_str(sample);
	struct ktap_parser *p;
	size_t i;

	ASSERT_NE(NULL, crlf);
	ASSERT_NE(NULL, cr);
	p = parse_str(crlf);
	EXPECT_TRUE(same_run(ktap_parser_run(lf), ktap_parser_run(p)));
	EXPECT_EQ((int)KTAP_FAIL, (int)ktap_parser_run(p)->tests[0].status);
	ktap_parser_free(p);

	/* A "\r\n" split across two feeds is still one line end. */
	p = ktap_parser_new();
	for (i = 0; i < strlen(crlf); i++)
		ktap_parser_feed(p, crlf + i, 1);
	ktap_parser_finish(p);
	EXPECT_TRUE(same_run(ktap_parser_run(lf), ktap_parser_run(p)));
	ktap_parser_free(p);

	p = parse_str(cr);
	EXPECT_TRUE(same_run(ktap_parser_run(lf), ktap_parser_run(p)));
	ktap_parser_free(p);
	ktap_parser_free(lf);
}

TEST(directives_and_reasons)
{
	struct ktap_parser *p = parse_str("ok 1 a # XFAIL known bug\n"
					  "ok 2 b # XPASS\n"
					  "not ok 3 c #  timeout after 30s\n"
					  "not ok 4 # error cannot fork\n"
					  "ok 5 d # skip lower case\n"
					  "ok 6 name with spaces\n"
					  "ok 7 # SKIP no name\n");
	const struct ktap_run *run = ktap_parser_run(p);
	struct ktap_counts c;

	ASSERT_EQ(7U, run->ntests);
	EXPECT_EQ((int)KTAP_XFAIL, (int)run->tests[0].status);
	EXPECT_STREQ("known bug", run->tests[0].reason);
	EXPECT_EQ((int)KTAP_XPASS, (int)run->tests[1].status);
	EXPECT_NULL(run->tests[1].reason);
	EXPECT_EQ((int)KTAP_FAIL, (int)run->tests[2].status);
	EXPECT_STREQ("timeout after 30s", run->tests[2].reason);
	EXPECT_EQ((int)KTAP_FAIL, (int)run->tests[3].status);
	EXPECT_STREQ("unnamed-4", run->tests[3].name);
	EXPECT_STREQ("error cannot fork", run->tests[3].reason);
	EXPECT_EQ((int)KTAP_SKIP, (int)run->tests[4].status);
	EXPECT_STREQ("name with spaces", run->tests[5].name);
	EXPECT_EQ((int)KTAP_SKIP, (int)run->tests[6].status);
	EXPECT_STREQ("no name", run->tests[6].reason);

	c = ktap_count(run);
	EXPECT_EQ(2U, c.passed); /* pass + xfail */
	EXPECT_EQ(3U, c.failed); /* xpass + 2 fail */
	EXPECT_EQ(2U, c.skipped);
	EXPECT_EQ(0U, c.not_run);
	EXPECT_STREQ("xpass", ktap_status_name(KTAP_XPASS));
	EXPECT_STREQ("not-run", ktap_status_name(KTAP_NOT_RUN));
	EXPECT_STREQ("unknown", ktap_status_name((enum ktap_status)99));
	ktap_parser_free(p);
}

TEST(unannounced_results_and_unfinished_runs)
{
	struct ktap_parser *p = parse_str("# guestcheck-agent: will-run a\n"
					  "# guestcheck-agent: will-run a\n"
					  "ok 1 surprise\n"
					  "#  RUN           crashed ...\n"
					  "# about to crash\n"
					  "#  RUN           a ...\n"
					  "# a's own line\n"
					  "ok 2 a\n"
					  "# guestcheck-agent: reboot-requested\n");
	const struct ktap_run *run = ktap_parser_run(p);
	const struct ktap_test *t;

	ASSERT_EQ(3U, run->ntests);
	t = find(run, "surprise");
	ASSERT_NE(NULL, t);
	EXPECT_EQ((int)KTAP_PASS, (int)t->status);
	t = find(run, "crashed");
	ASSERT_NE(NULL, t);
	EXPECT_EQ((int)KTAP_NOT_RUN, (int)t->status);
	EXPECT_STREQ("about to crash", t->diagnostics);
	t = find(run, "a");
	ASSERT_NE(NULL, t);
	EXPECT_EQ((int)KTAP_PASS, (int)t->status);
	EXPECT_STREQ("a's own line", t->diagnostics);
	EXPECT_STREQ("reboot-requested", run->agent_log);
	EXPECT_FALSE(run->saw_end);
	ktap_parser_free(p);
}

TEST(one_mib_line_is_cut_and_counted)
{
	size_t big = 1 << 20;
	_cleanup_free_ char *buf = malloc(big + 64);
	struct ktap_parser *p;
	const struct ktap_run *run;
	size_t n;

	ASSERT_NE(NULL, buf);
	n = sprintf(buf, "ok 1 before\n");
	memset(buf + n, 'x', big);
	n += big;
	n += sprintf(buf + n, "\nok 2 after\n");
	p = parse(buf, n);
	run = ktap_parser_run(p);
	EXPECT_EQ(3U, run->lines);
	EXPECT_EQ(1U, run->overlong_lines);
	EXPECT_EQ(1U, run->garbage_lines);
	ASSERT_EQ(2U, run->ntests);
	EXPECT_STREQ("after", run->tests[1].name);
	/* Only the cut line is kept: memory does not follow the guest. */
	ASSERT_NE(NULL, run->agent_log);
	EXPECT_EQ(strlen("garbage: ") + PROTOCOL_MAX_LINE, strlen(run->agent_log));
	ktap_parser_free(p);

	/* An overlong result line still counts, with its name cut. */
	n = sprintf(buf, "not ok 1 ");
	memset(buf + n, 'n', big);
	p = parse(buf, n + big);
	run = ktap_parser_run(p);
	ASSERT_EQ(1U, run->ntests);
	EXPECT_EQ((int)KTAP_FAIL, (int)run->tests[0].status);
	EXPECT_EQ((size_t)KTAP_MAX_NAME - 1, strlen(run->tests[0].name));
	EXPECT_EQ(1U, run->overlong_lines);
	ktap_parser_free(p);
}

TEST(nul_bytes_and_escapes_are_replaced)
{
	static const char in[] = "ok 1 a\0b\n"
				 "ok 2 \x1b[2Jclear\n"
				 "ok 3 caf\xc3\xa9\n"
				 "ok 4 bad\xc3(\xed\xa0\x80\xc0\xaf\xc2\x9b\n"
				 "\0\0\0\n";
	struct ktap_parser *p = parse(in, sizeof(in) - 1);
	const struct ktap_run *run = ktap_parser_run(p);

	ASSERT_EQ(4U, run->ntests);
	EXPECT_STREQ("a?b", run->tests[0].name);
	EXPECT_STREQ("?[2Jclear", run->tests[1].name);
	EXPECT_STREQ("caf\xc3\xa9", run->tests[2].name);
	/* broken sequence, surrogate, overlong '/', C1 CSI: all refused */
	EXPECT_STREQ("bad?(???????", run->tests[3].name);
	EXPECT_EQ(1U, run->garbage_lines);
	EXPECT_STREQ("garbage: ???", run->agent_log);
	ktap_parser_free(p);
}

TEST(names_are_cut_on_a_character_boundary)
{
	char line[16 + 2 * 300];
	struct ktap_parser *p;
	size_t i, n;

	n = sprintf(line, "ok 1 ");
	for (i = 0; i < 300; i++)
		n += sprintf(line + n, "\xc3\xa9");
	line[n++] = '\n';
	p = parse(line, n);
	ASSERT_EQ(1U, ktap_parser_run(p)->ntests);
	/* 254 bytes = 127 whole characters, never half of one */
	EXPECT_EQ(254U, strlen(ktap_parser_run(p)->tests[0].name));
	ktap_parser_free(p);
}

TEST(random_garbage_does_not_crash)
{
	size_t len = 200 * 1000, i, off, n;
	_cleanup_free_ char *buf = malloc(len);
	struct ktap_parser *p = ktap_parser_new();
	const struct ktap_run *run;
	uint32_t seed = 0x9e3779b9;
	const char *after = "\nok 1 after-garbage\n";

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, p);
	for (i = 0; i < len; i++)
		buf[i] = (char)next_random(&seed);
	for (off = 0; off < len; off += n) {
		n = next_random(&seed) % 5000;
		if (n > len - off)
			n = len - off;
		ktap_parser_feed(p, buf + off, n);
	}
	ktap_parser_feed(p, after, strlen(after));
	ktap_parser_finish(p);
	run = ktap_parser_run(p);
	EXPECT_EQ(len + strlen(after), run->bytes);
	EXPECT_GT(run->garbage_lines, 100U);
	ASSERT_NE(NULL, run->agent_log);
	EXPECT_LE(strlen(run->agent_log), (size_t)KTAP_MAX_AGENT_LOG);
	for (i = 0; i < run->ntests; i++)
		EXPECT_LT(strlen(run->tests[i].name), (size_t)KTAP_MAX_NAME);
	/* The parser is still in step after the noise. */
	ASSERT_NE(NULL, find(run, "after-garbage"));
	EXPECT_EQ((int)KTAP_PASS, (int)find(run, "after-garbage")->status);
	ktap_parser_free(p);
}

TEST(results_past_the_limit_are_dropped_and_counted)
{
	struct ktap_parser *p = ktap_parser_new();
	const struct ktap_run *run;
	char line[64];
	int i, n;

	ASSERT_NE(NULL, p);
	for (i = 0; i < KTAP_MAX_TESTS + 76; i++) {
		n = snprintf(line, sizeof(line), "ok %d t%d\n", i + 1, i);
		ktap_parser_feed(p, line, n);
	}
	n = snprintf(line, sizeof(line), "# guestcheck-agent: will-run late\n");
	ktap_parser_feed(p, line, n);
	ktap_parser_finish(p);
	run = ktap_parser_run(p);
	EXPECT_EQ((size_t)KTAP_MAX_TESTS, run->ntests);
	EXPECT_EQ(76U, run->dropped_tests);
	EXPECT_EQ(1U, run->dropped_announcements);
	EXPECT_STREQ("t1023", run->tests[KTAP_MAX_TESTS - 1].name);
	EXPECT_EQ((size_t)KTAP_MAX_TESTS, ktap_count(run).passed);
	ktap_parser_free(p);
}

TEST(stream_cut_mid_line_then_finish)
{
	static const char in[] = "#  RUN           x ...\n# half a diag";
	struct ktap_parser *p = ktap_parser_new();
	const struct ktap_run *run;

	ASSERT_NE(NULL, p);
	EXPECT_EQ(1U, ktap_parser_feed(p, "ok 1 a\nnot ok 2 b", 17));
	run = ktap_parser_run(p);
	EXPECT_EQ(1U, run->ntests);
	ktap_parser_finish(p);
	run = ktap_parser_run(p);
	ASSERT_EQ(2U, run->ntests);
	EXPECT_EQ((int)KTAP_FAIL, (int)run->tests[1].status);
	EXPECT_EQ(2U, run->lines);
	/* A second finish has nothing left to parse. */
	ktap_parser_finish(p);
	EXPECT_EQ(2U, ktap_parser_run(p)->lines);
	ktap_parser_free(p);

	p = parse(in, sizeof(in) - 1);
	run = ktap_parser_run(p);
	ASSERT_EQ(1U, run->ntests);
	EXPECT_EQ((int)KTAP_NOT_RUN, (int)run->tests[0].status);
	EXPECT_STREQ("half a diag", run->tests[0].diagnostics);
	ktap_parser_free(p);
}

TEST(diagnostics_and_agent_log_are_bounded)
{
	struct ktap_parser *p = ktap_parser_new();
	const struct ktap_run *run;
	char line[128];
	int i, n;

	ASSERT_NE(NULL, p);
	ktap_parser_feed(p, "#  RUN           chatty ...\n", 28);
	for (i = 0; i < 20000; i++) {
		n = snprintf(line, sizeof(line), "# diagnostic line %06d %60s\n", i, "padding");
		ktap_parser_feed(p, line, n);
	}
	ktap_parser_feed(p, "not ok 1 chatty\n", 16);
	for (i = 0; i < 100000; i++)
		ktap_parser_feed(p, "junk line\n", 10);
	ktap_parser_finish(p);
	run = ktap_parser_run(p);
	ASSERT_EQ(1U, run->ntests);
	EXPECT_EQ((int)KTAP_FAIL, (int)run->tests[0].status);
	ASSERT_NE(NULL, run->tests[0].diagnostics);
	EXPECT_LE(strlen(run->tests[0].diagnostics), (size_t)KTAP_MAX_DIAG_BYTES);
	EXPECT_GT(run->tests[0].diag_dropped, 0U);
	EXPECT_EQ(100000U, run->garbage_lines);
	EXPECT_LE(strlen(run->agent_log), (size_t)KTAP_MAX_AGENT_LOG);
	EXPECT_GT(run->agent_log_dropped, 0U);
	ktap_parser_free(p);
}

TEST(a_million_lines)
{
	struct ktap_parser *p = ktap_parser_new();
	const struct ktap_run *run;
	char line[64];
	int i, n;

	ASSERT_NE(NULL, p);
	for (i = 0; i < 1000000; i++) {
		n = snprintf(line, sizeof(line), i % 2 ? "ok %d t%d\n" : "# note %d %d\n", i + 1,
			     i % 3000);
		ktap_parser_feed(p, line, n);
	}
	ktap_parser_finish(p);
	run = ktap_parser_run(p);
	EXPECT_EQ(1000000U, run->lines);
	EXPECT_EQ((size_t)KTAP_MAX_TESTS, run->ntests);
	EXPECT_EQ((size_t)(500000 - KTAP_MAX_TESTS), run->dropped_tests);
	EXPECT_LE(strlen(run->agent_log), (size_t)KTAP_MAX_AGENT_LOG);
	ktap_parser_free(p);
}

TEST(plan_with_skip_directive)
{
	struct ktap_parser *p = parse_str("TAP version 13\n1..0 # SKIP no devices\n");
	const struct ktap_run *run = ktap_parser_run(p);

	EXPECT_EQ(0, run->plan);
	EXPECT_EQ(0U, run->garbage_lines);
	EXPECT_EQ(0U, run->ntests);
	ktap_parser_free(p);
}

/* When each check ran, from the agent's "ran" lines; malformed ones are only logged. */
TEST(ran_lines_time_their_tests)
{
	struct ktap_parser *p =
		parse_str("TAP version 13\n1..2\n"
			  "ok 1 mmc.identity\n"
			  "# guestcheck-agent: ran mmc.identity start=0.000 end=1.250\n"
			  "ok 2 zoned.zone_report\n"
			  "# guestcheck-agent: ran zoned.zone_report start=2 end=1\n"
			  "# guestcheck-agent: ran nosuch.test start=0 end=1\n"
			  "# guestcheck-agent: ran zoned.zone_report start=nan end=1\n");
	const struct ktap_run *run;

	ASSERT_NE(NULL, p);
	run = ktap_parser_run(p);
	ASSERT_TRUE(find(run, "mmc.identity")->ran);
	EXPECT_TRUE(find(run, "mmc.identity")->ran_start == 0);
	EXPECT_TRUE(find(run, "mmc.identity")->ran_end == 1.25);
	EXPECT_FALSE(find(run, "zoned.zone_report")->ran);
	EXPECT_EQ(2U, run->ntests);
	ASSERT_NE(NULL, run->agent_log);
	EXPECT_NE(NULL, strstr(run->agent_log, "ran zoned.zone_report start=2 end=1"));
	EXPECT_NE(NULL, strstr(run->agent_log, "ran nosuch.test"));
	ktap_parser_free(p);
}

TEST_HARNESS_MAIN
