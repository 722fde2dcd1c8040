// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Report writers: what they write must parse back (libxml2, json-c) with the
 * counts and fields a CI server reads, whatever bytes the guest sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "cleanup.h"
#include "kselftest_harness.h"

#include "report/report.h"

static const char stream[] =
	"# guestcheck-agent: hello version=0.1 kernel=6.1.0-56-amd64\n"
	"# guestcheck-agent: module-failed nvme: -ENOENT (not in the image)\n"
	"# guestcheck-agent: will-run devices.present\n"
	"# guestcheck-agent: will-run mmc.identity\n"
	"# guestcheck-agent: will-run agent.modules\n"
	"# guestcheck-agent: will-run zoned.report\n"
	"TAP version 13\n"
	"1..4\n"
	"#  RUN           devices.present ...\n"
	"# sd0: /dev/mmcblk0 present, driver mmcblk\n"
	"# FAIL zns0: expected /dev/nvme0n1, saw nothing: check that the nvme module is in the "
	"image\n"
	"#            FAIL  devices.present\n"
	"not ok 1 devices.present\n"
	"#  RUN           mmc.identity ...\n"
	"ok 2 mmc.identity # SKIP no sd-card in the scenario\n"
	"#  RUN           zoned.report ...\n"
	"# 32 zones\n"
	"ok 3 zoned.report\n"
	"ok 4 usb.known # XFAIL firmware bug 1234\n"
	"# guestcheck-agent: end\n";

/* Hostile strings a hand-built run can hold, bypassing the parser's cleaning. */
#define EVIL_NAME  "a<b>&\"'\xff\xfe]]>\x01\x1b[2J\xc3\xa9"
#define CLEAN_NAME "a<b>&\"'??]]>??[2J\xc3\xa9"

static void fill_result(struct run_result *r, const struct ktap_run *run, bool infra)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->scenario, sizeof(r->scenario), "demo");
	snprintf(r->scenario_path, sizeof(r->scenario_path), "scenarios/demo.ini");
	snprintf(r->accel, sizeof(r->accel), "tcg");
	snprintf(r->accel_reason, sizeof(r->accel_reason), "/dev/kvm: not present");
	snprintf(r->kernel, sizeof(r->kernel), "/boot/vmlinuz-6.1.0-56-amd64");
	snprintf(r->started_at, sizeof(r->started_at), "2024-05-01T12:00:00Z");
	r->boot_seconds = -1;
	r->total_seconds = 12.345;
	r->ktap = run;
	r->verdict = VERDICT_PASS;
	if (infra) {
		r->verdict = VERDICT_INFRA;
		snprintf(r->infra_error, sizeof(r->infra_error),
			 "guest: no output for 30 s after \"will-run\": raise --timeout or check "
			 "the "
			 "console log");
		r->console_tail = "[ 1.0] Kernel panic - not syncing <&>\n[ 1.1] ---[ end ]---";
	} else {
		r->verdict = run_result_verdict(r);
	}
}

static struct ktap_parser *parse_stream(void)
{
	struct ktap_parser *p = ktap_parser_new();

	if (p) {
		ktap_parser_feed(p, stream, strlen(stream));
		ktap_parser_finish(p);
	}
	return p;
}

/* XPath string() of expr, "" when nothing matches; caller frees. */
static char *xstr(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = ctx ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
	char *s = strdup(o && o->stringval ? (const char *)o->stringval : "(no match)");

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

static double xnum(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = ctx ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
	double v = o ? o->floatval : -1;

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return v;
}

#define EXPECT_XSTR(doc, expr, want)                                                               \
	do {                                                                                       \
		_cleanup_free_ char *_s = xstr(doc, "string(" expr ")");                           \
		EXPECT_STREQ(want, _s);                                                            \
	} while (0)

/* Well-formed or NULL: no recovery, no network, errors not printed. */
static xmlDocPtr read_xml(const char *path)
{
	return xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* Strict JSON with UTF-8 validation, or NULL. */
static json_object *read_json(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *buf = NULL;
	struct json_tokener *tok;
	json_object *o;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 1 << 20);
	if (!buf)
		return NULL;
	n = fread(buf, 1, (1 << 20) - 1, f);
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, buf, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *jgets(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							     : "(absent)";
}

static int64_t jgeti(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v ? json_object_get_int64(v) : -12345;
}

FIXTURE(out)
{
	char dir[64];
	char junit[128];
	char json[128];
};

FIXTURE_SETUP(out)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/guestcheck-report-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->junit, sizeof(self->junit), "%s/junit.xml", self->dir);
	snprintf(self->json, sizeof(self->json), "%s/results.json", self->dir);
}

FIXTURE_TEARDOWN(out)
{
	unlink(self->junit);
	unlink(self->json);
	rmdir(self->dir);
}

TEST_F(out, junit_counts_and_fields)
{
	struct ktap_parser *p = parse_stream();
	struct run_result r;
	xmlDocPtr doc;

	ASSERT_NE(NULL, p);
	fill_result(&r, ktap_parser_run(p), true);
	ASSERT_EQ(0, report_junit_write(&r, self->junit, NULL, 0));
	doc = read_xml(self->junit);
	ASSERT_NE(NULL, doc);

	EXPECT_XSTR(doc, "name(/*)", "testsuites");
	EXPECT_EQ(1, xnum(doc, "count(/testsuites/testsuite)"));
	EXPECT_XSTR(doc, "/testsuites/testsuite/@name", "demo");
	/* 5 tests + the infrastructure case */
	EXPECT_XSTR(doc, "/testsuites/testsuite/@tests", "6");
	EXPECT_XSTR(doc, "/testsuites/testsuite/@failures", "1");
	EXPECT_XSTR(doc, "/testsuites/testsuite/@errors", "2");
	EXPECT_XSTR(doc, "/testsuites/testsuite/@skipped", "1");
	EXPECT_XSTR(doc, "/testsuites/testsuite/@time", "12.345");
	EXPECT_XSTR(doc, "/testsuites/testsuite/@timestamp", "2024-05-01T12:00:00");
	EXPECT_EQ(6, xnum(doc, "count(//testcase)"));
	EXPECT_EQ(6, xnum(doc, "count(//testcase[@classname='guestcheck.demo'])"));
	EXPECT_EQ(1, xnum(doc, "count(//failure)"));
	EXPECT_EQ(1, xnum(doc, "count(//skipped)"));
	EXPECT_EQ(2, xnum(doc, "count(//error)"));

	EXPECT_XSTR(doc, "//property[@name='accel']/@value", "tcg");
	EXPECT_XSTR(doc, "//property[@name='accel_reason']/@value", "/dev/kvm: not present");
	EXPECT_XSTR(doc, "//property[@name='kernel']/@value", "/boot/vmlinuz-6.1.0-56-amd64");
	EXPECT_XSTR(doc, "//property[@name='guest_kernel']/@value", "6.1.0-56-amd64");
	EXPECT_XSTR(doc, "//property[@name='agent_version']/@value", "0.1");

	EXPECT_XSTR(doc, "//testcase[@name='devices.present']/failure/@message",
		    "FAIL zns0: expected /dev/nvme0n1, saw nothing: check that the nvme module is "
		    "in the image");
	EXPECT_XSTR(doc, "//testcase[@name='devices.present']/failure",
		    "sd0: /dev/mmcblk0 present, driver mmcblk\nFAIL zns0: expected /dev/nvme0n1, "
		    "saw nothing: check that the nvme module is in the image");
	EXPECT_XSTR(doc, "//testcase[@name='mmc.identity']/skipped/@message",
		    "no sd-card in the scenario");
	EXPECT_XSTR(doc, "//testcase[@name='agent.modules']/error/@message",
		    "not run: the guest never reported this test");
	EXPECT_EQ(0, xnum(doc, "count(//testcase[@name='zoned.report']/*[name()!='system-out'])"));
	EXPECT_XSTR(doc, "//testcase[@name='zoned.report']/system-out", "32 zones");
	EXPECT_EQ(0, xnum(doc, "count(//testcase[@name='usb.known']/failure)"));
	EXPECT_XSTR(doc, "//testcase[@name='infrastructure']/error/@message", r.infra_error);
	EXPECT_XSTR(doc, "//testcase[@name='infrastructure']/system-out", r.console_tail);
	EXPECT_EQ(1, xnum(doc, "count(/testsuites/testsuite/system-out[contains(., "
			       "'module-failed nvme')])"));

	xmlFreeDoc(doc);
	ktap_parser_free(p);
}

/*
 * A name the guest sends twice stays two cases: CI servers key a case by
 * (classname, name), and GitLab keeps one per key and status.
 */
TEST_F(out, junit_repeated_name_is_told_apart)
{
	static const char twice[] = "TAP version 13\n1..3\nnot ok 1 mmc.identity\n"
				    "not ok 2 mmc.identity\nok 3 mmc.identity\n";
	struct ktap_parser *p = ktap_parser_new();
	struct run_result r;
	xmlDocPtr doc;

	ASSERT_NE(NULL, p);
	ktap_parser_feed(p, twice, strlen(twice));
	ktap_parser_finish(p);
	fill_result(&r, ktap_parser_run(p), false);
	ASSERT_EQ(0, report_junit_write(&r, self->junit, NULL, 0));
	doc = read_xml(self->junit);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(3, xnum(doc, "count(//testcase)"));
	EXPECT_EQ(1, xnum(doc, "count(//testcase[@name='mmc.identity']/failure)"));
	EXPECT_EQ(1, xnum(doc, "count(//testcase[@name='mmc.identity#2']/failure)"));
	EXPECT_EQ(1, xnum(doc, "count(//testcase[@name='mmc.identity#3'][not(*)])"));
	xmlFreeDoc(doc);
	ktap_parser_free(p);
}

TEST_F(out, junit_without_infra_has_no_infra_case)
{
	struct ktap_parser *p = parse_stream();
	struct run_result r;
	xmlDocPtr doc;

	ASSERT_NE(NULL, p);
	fill_result(&r, ktap_parser_run(p), false);
	EXPECT_EQ((int)VERDICT_FAIL, (int)r.verdict);
	ASSERT_EQ(0, report_junit_write(&r, self->junit, NULL, 0));
	doc = read_xml(self->junit);
	ASSERT_NE(NULL, doc);
	EXPECT_XSTR(doc, "/testsuites/testsuite/@tests", "5");
	EXPECT_XSTR(doc, "/testsuites/testsuite/@errors", "1");
	EXPECT_EQ(0, xnum(doc, "count(//testcase[@name='infrastructure'])"));
	xmlFreeDoc(doc);
	ktap_parser_free(p);
}

TEST_F(out, json_fields)
{
	struct ktap_parser *p = parse_stream();
	json_object *root, *ktap, *counts, *tests, *t, *diags;
	struct run_result r;

	ASSERT_NE(NULL, p);
	fill_result(&r, ktap_parser_run(p), true);
	ASSERT_EQ(0, report_json_write(&r, self->json, NULL, 0));
	root = read_json(self->json);
	ASSERT_NE(NULL, root);

	EXPECT_STREQ("demo", jgets(root, "scenario"));
	EXPECT_STREQ("scenarios/demo.ini", jgets(root, "scenario_path"));
	EXPECT_STREQ("tcg", jgets(root, "accel"));
	EXPECT_STREQ("ERROR", jgets(root, "verdict"));
	EXPECT_EQ(3, jgeti(root, "exit_status"));
	EXPECT_STREQ(r.infra_error, jgets(root, "infra_error"));
	EXPECT_STREQ(r.console_tail, jgets(root, "console_tail"));
	EXPECT_STREQ("2024-05-01T12:00:00Z", jgets(root, "started_at"));
	/* "absent" is null, never -1 */
	EXPECT_TRUE(json_object_object_get_ex(root, "boot_seconds", NULL));
	EXPECT_NULL(jget(root, "boot_seconds"));
	EXPECT_EQ(12.345, json_object_get_double(jget(root, "total_seconds")));

	counts = jget(root, "counts");
	ASSERT_NE(NULL, counts);
	EXPECT_EQ(5, jgeti(counts, "total"));
	EXPECT_EQ(1, jgeti(counts, "passed"));
	EXPECT_EQ(1, jgeti(counts, "xfail"));
	EXPECT_EQ(0, jgeti(counts, "xpass"));
	EXPECT_EQ(1, jgeti(counts, "failed"));
	EXPECT_EQ(1, jgeti(counts, "skipped"));
	EXPECT_EQ(1, jgeti(counts, "not_run"));

	ktap = jget(root, "ktap");
	ASSERT_NE(NULL, ktap);
	EXPECT_TRUE(json_object_get_boolean(jget(ktap, "saw_hello")));
	EXPECT_TRUE(json_object_get_boolean(jget(ktap, "saw_end")));
	EXPECT_STREQ("6.1.0-56-amd64", jgets(ktap, "guest_kernel"));
	EXPECT_EQ(4, jgeti(ktap, "plan"));
	EXPECT_EQ(0, jgeti(ktap, "garbage_lines"));
	EXPECT_EQ((int64_t)strlen(stream), jgeti(ktap, "bytes"));
	EXPECT_EQ(1, (int)json_object_array_length(jget(ktap, "agent_log")));

	tests = jget(ktap, "tests");
	ASSERT_NE(NULL, tests);
	ASSERT_EQ(5, (int)json_object_array_length(tests));
	t = json_object_array_get_idx(tests, 0);
	EXPECT_STREQ("devices.present", jgets(t, "name"));
	EXPECT_STREQ("fail", jgets(t, "status"));
	EXPECT_EQ(1, jgeti(t, "number"));
	diags = jget(t, "diagnostics");
	ASSERT_EQ(2, (int)json_object_array_length(diags));
	EXPECT_STREQ("sd0: /dev/mmcblk0 present, driver mmcblk",
		     json_object_get_string(json_object_array_get_idx(diags, 0)));
	t = json_object_array_get_idx(tests, 1);
	EXPECT_STREQ("skip", jgets(t, "status"));
	EXPECT_STREQ("no sd-card in the scenario", jgets(t, "reason"));
	t = json_object_array_get_idx(tests, 2);
	EXPECT_STREQ("agent.modules", jgets(t, "name"));
	EXPECT_STREQ("not-run", jgets(t, "status"));
	EXPECT_NULL(jget(t, "number"));
	t = json_object_array_get_idx(tests, 4);
	EXPECT_STREQ("usb.known", jgets(t, "name"));
	EXPECT_STREQ("xfail", jgets(t, "status"));
	EXPECT_STREQ("firmware bug 1234", jgets(t, "reason"));

	json_object_put(root);
	ktap_parser_free(p);
}

TEST_F(out, hostile_strings_stay_well_formed)
{
	struct ktap_test tests[2] = {
		{
			.name = EVIL_NAME,
			.number = 1,
			.status = KTAP_FAIL,
			.diagnostics = "FAIL <&> \xc3\x28 ]]> \x07 bell\nsecond \xef\xbf\xbe line",
			.reason = "\xf0\x28\x8c\x28",
		},
		{ .name = "plain", .number = 2, .status = KTAP_SKIP, .reason = "\xff<skip>" },
	};
	struct ktap_run run = { .plan = -1, .tests = tests, .ntests = 2 };
	struct run_result r;
	json_object *root, *t;
	xmlDocPtr doc;

	run.agent_log = "garbage: \x1b]0;title\x07 \xc0\x80";
	fill_result(&r, &run, true);
	snprintf(r.scenario, sizeof(r.scenario), "de<mo>&\xff");
	r.console_tail = "\x02<tail>&\xff";
	snprintf(r.infra_error, sizeof(r.infra_error), "QEMU said \"%s\"", "\x01\xfe");

	ASSERT_EQ(0, report_junit_write(&r, self->junit, NULL, 0));
	doc = read_xml(self->junit);
	ASSERT_NE(NULL, doc);
	EXPECT_XSTR(doc, "//testcase[1]/@name", CLEAN_NAME);
	EXPECT_XSTR(doc, "//testcase[1]/@classname", "guestcheck.de<mo>&?");
	EXPECT_XSTR(doc, "//testcase[1]/failure/@message", "FAIL <&> ?( ]]> ? bell");
	EXPECT_XSTR(doc, "//testcase[2]/skipped/@message", "?<skip>");
	EXPECT_XSTR(doc, "/testsuites/testsuite/@name", "de<mo>&?");
	xmlFreeDoc(doc);

	ASSERT_EQ(0, report_json_write(&r, self->json, NULL, 0));
	root = read_json(self->json);
	ASSERT_NE(NULL, root);
	t = json_object_array_get_idx(jget(jget(root, "ktap"), "tests"), 0);
	EXPECT_STREQ(CLEAN_NAME, jgets(t, "name"));
	EXPECT_STREQ("?(?(", jgets(t, "reason"));
	json_object_put(root);
}

TEST_F(out, unwritable_path_is_an_error)
{
	struct ktap_run run = { .plan = -1 };
	struct run_result r;
	char path[192];

	char err[512];

	fill_result(&r, &run, false);
	snprintf(path, sizeof(path), "%s/missing/junit.xml", self->dir);
	EXPECT_EQ(-ENOENT, report_junit_write(&r, path, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, path) && strstr(err, "cannot write the JUnit report"));
	snprintf(path, sizeof(path), "%s/missing/results.json", self->dir);
	EXPECT_EQ(-ENOENT, report_json_write(&r, path, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, path) && strstr(err, "cannot write the JSON report"));
}

/* /dev/full takes the open and refuses the bytes: a full disk, seen at the write or the close. */
TEST(full_disk_is_an_error_naming_the_file)
{
	struct ktap_run run = { .plan = -1 };
	struct run_result r;
	char err[512];
	FILE *f;

	fill_result(&r, &run, false);
	EXPECT_EQ(-ENOSPC, report_junit_write(&r, "/dev/full", err, sizeof(err)));
	EXPECT_STREQ("/dev/full: cannot write the JUnit report: No space left on device", err);
	EXPECT_EQ(-ENOSPC, report_json_write(&r, "/dev/full", err, sizeof(err)));
	EXPECT_STREQ("/dev/full: cannot write the JSON report: No space left on device", err);
	EXPECT_EQ(-ENOSPC, report_ktap_write(&r, "/dev/full", err, sizeof(err)));
	EXPECT_STREQ("/dev/full: cannot write the KTAP report: No space left on device", err);
	EXPECT_EQ(-ENOSPC, report_write_fix(err, sizeof(err), -ENOSPC, "out"));
	EXPECT_STREQ("/dev/full: cannot write the KTAP report: No space left on device: free space "
		     "in out or pass -o elsewhere",
		     err);
	f = fopen("/dev/full", "w");
	ASSERT_NE(NULL, f);
	EXPECT_EQ(-ENOSPC, report_terminal_print(&r, f));
	fclose(f);
}

TEST(terminal_table)
{
	struct ktap_parser *p = parse_stream();
	_cleanup_free_ char *buf = NULL;
	struct run_result r;
	size_t len = 0;
	FILE *f;

	ASSERT_NE(NULL, p);
	fill_result(&r, ktap_parser_run(p), false);
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	report_terminal_print(&r, f);
	fclose(f);

	EXPECT_NE(NULL, strstr(buf, "FAIL     devices.present\n"
				    "           FAIL zns0: expected /dev/nvme0n1, saw nothing"));
	EXPECT_NE(NULL, strstr(buf, "SKIP     mmc.identity  (no sd-card in the scenario)\n"));
	EXPECT_NE(NULL, strstr(buf, "NOT RUN  agent.modules\n"));
	EXPECT_NE(NULL, strstr(buf, "PASS     zoned.report\n"));
	EXPECT_NE(NULL, strstr(buf, "XFAIL    usb.known  (expected failure: firmware bug 1234)\n"));
	EXPECT_NE(NULL, strstr(buf, "agent: module-failed nvme: -ENOENT (not in the image)\n"));
	EXPECT_NE(NULL,
		  strstr(buf, "scenario demo: FAIL (1 passed, 1 failed, 1 expected failure, 0 "
			      "unexpected passes, 1 skipped, 1 not run) in 12.3s under tcg\n"));
	/* not a tty: no colour */
	EXPECT_NULL(strchr(buf, '\033'));
	ktap_parser_free(p);
}

TEST(terminal_never_passes_escapes_through)
{
	struct ktap_test t = { .name = "x\033[2Jy",
			       .number = 1,
			       .status = KTAP_FAIL,
			       .diagnostics = "\033]0;owned\007" };
	struct ktap_run run = { .plan = -1, .tests = &t, .ntests = 1 };
	_cleanup_free_ char *buf = NULL;
	struct run_result r;
	size_t len = 0;
	FILE *f;

	fill_result(&r, &run, true);
	r.console_tail = "panic \033[31m";
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	report_terminal_print(&r, f);
	fclose(f);
	EXPECT_NULL(strchr(buf, '\033'));
	EXPECT_NE(NULL, strstr(buf, "FAIL     x?[2Jy\n"));
	EXPECT_NE(NULL, strstr(buf, "    panic ?[31m\n"));
	EXPECT_NE(NULL, strstr(buf, "scenario demo: ERROR (0 passed, 1 failed"));
}

TEST(verdicts)
{
	struct ktap_test t[2] = { { .name = "a", .number = 1, .status = KTAP_PASS },
				  { .name = "b", .number = 2, .status = KTAP_SKIP } };
	struct ktap_run run = { .plan = -1, .tests = t, .ntests = 2, .saw_hello = true };
	struct run_result r = { .ktap = &run };

	EXPECT_EQ((int)VERDICT_PASS, (int)run_result_verdict(&r));
	t[1].status = KTAP_XFAIL;
	EXPECT_EQ((int)VERDICT_PASS, (int)run_result_verdict(&r));
	t[1].status = KTAP_FAIL;
	EXPECT_EQ((int)VERDICT_FAIL, (int)run_result_verdict(&r));
	t[1].status = KTAP_XPASS;
	EXPECT_EQ((int)VERDICT_FAIL, (int)run_result_verdict(&r));
	t[1].status = KTAP_NOT_RUN;
	EXPECT_EQ((int)VERDICT_FAIL, (int)run_result_verdict(&r));
	t[1].status = KTAP_PASS;
	run.dropped_tests = 1;
	EXPECT_EQ((int)VERDICT_FAIL, (int)run_result_verdict(&r));
	run.dropped_tests = 0;
	r.verdict = VERDICT_INFRA;
	EXPECT_EQ((int)VERDICT_INFRA, (int)run_result_verdict(&r));
	r.verdict = VERDICT_USAGE;
	EXPECT_EQ((int)VERDICT_USAGE, (int)run_result_verdict(&r));
	r.verdict = VERDICT_PASS;
	run.ntests = 0;
	EXPECT_EQ((int)VERDICT_FAIL, (int)run_result_verdict(&r));

	EXPECT_STREQ("PASS", run_verdict_name(VERDICT_PASS));
	EXPECT_STREQ("FAIL", run_verdict_name(VERDICT_FAIL));
	EXPECT_STREQ("USAGE", run_verdict_name(VERDICT_USAGE));
	EXPECT_STREQ("ERROR", run_verdict_name(VERDICT_INFRA));
}

TEST_HARNESS_MAIN
