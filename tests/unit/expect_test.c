// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Declared failures: [expect CHECK] sections as scenario.c reads them, and
 * the verdicts run_result.c gives each test against them (XFAIL, XPASS,
 * another diagnosis, an undeclared second finding, no such test).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "kselftest_harness.h"

#include "scenario/scenario.h"
#include "session/run_result.h"

#define HEAD "[scenario]\nname = t\n\n"

/* Loading: every malformed declaration is refused with its line and the fix. */
FIXTURE(load){};
FIXTURE_SETUP(load)
{
}
FIXTURE_TEARDOWN(load)
{
}

FIXTURE_VARIANT(load)
{
	const char *text;
	const char *error; /* the start of the message; NULL: loads */
};

FIXTURE_VARIANT_ADD(load, ok){
	.text = HEAD "[expect sdhci.supplies]\nresult = fail\ndiagnosis = report no voltage\n",
};
FIXTURE_VARIANT_ADD(load, no_name){
	.text = HEAD "[expect]\nresult = fail\ndiagnosis = x y\n",
	.error = "<string>:4: [expect] names no test: write [expect AREA.CHECK]",
};
FIXTURE_VARIANT_ADD(load, name_with_a_space){
	.text = HEAD "[expect sdhci supplies]\nresult = fail\ndiagnosis = x y\n",
	.error = "<string>:4: [expect sdhci supplies]: 'sdhci supplies' is not a test name",
};
FIXTURE_VARIANT_ADD(load, name_without_area){
	.text = HEAD "[expect supplies]\nresult = fail\ndiagnosis = x y\n",
	.error = "<string>:4: [expect supplies]: 'supplies' is not a test name",
};
FIXTURE_VARIANT_ADD(load, no_result){
	.text = HEAD "[expect a.b]\ndiagnosis = x y\n",
	.error = "<string>:4: [expect a.b] has no result: add 'result = fail'",
};
FIXTURE_VARIANT_ADD(load, result_pass){
	.text = HEAD "[expect a.b]\nresult = pass\ndiagnosis = x y\n",
	.error = "<string>:5: [expect a.b] result = 'pass': write result = fail",
};
FIXTURE_VARIANT_ADD(load, empty_result){
	.text = HEAD "[expect a.b]\nresult =\ndiagnosis = x y\n",
	.error = "<string>:5: [expect a.b] result is empty: write result = fail",
};
FIXTURE_VARIANT_ADD(load, no_diagnosis){
	.text = HEAD "[expect a.b]\nresult = fail\nreason = on purpose\n",
	.error = "<string>:4: [expect a.b] has no diagnosis: add 'diagnosis = '",
};
FIXTURE_VARIANT_ADD(load, empty_diagnosis){
	.text = HEAD "[expect a.b]\nresult = fail\ndiagnosis =\n",
	.error = "<string>:6: [expect a.b] diagnosis is empty: write the words of the failure line",
};
FIXTURE_VARIANT_ADD(load, diagnosis_of_wildcards){
	.text = HEAD "[expect a.b]\nresult = fail\ndiagnosis = * ?*\n",
	.error = "<string>:6: [expect a.b] diagnosis = '* ?*' matches any line",
};
FIXTURE_VARIANT_ADD(load, second_diagnosis_of_wildcards){
	.text = HEAD "[expect a.b]\nresult = fail\ndiagnosis = x y\ndiagnosis2 = *\n",
	.error = "<string>:7: [expect a.b] diagnosis2 = '*' matches any line",
};
FIXTURE_VARIANT_ADD(load, unknown_key){
	.text = HEAD "[expect a.b]\nresult = fail\ndiagnostic = x y\n",
	.error =
		"<string>:6: [expect a.b]: unknown key 'diagnostic' for [expect CHECK]: known keys "
		"are result, diagnosis, diagnosis2",
};
FIXTURE_VARIANT_ADD(load, twice){
	.text = HEAD "[expect a.b]\nresult = fail\ndiagnosis = x\n[expect a.b]\nresult = fail\n",
	.error = "<string>:7: section [expect a.b] appears twice (first on line 4)",
};
FIXTURE_VARIANT_ADD(load, in_a_non_interference_scenario){
	.text = "[scenario]\nname = t\nkind = non-interference\n[expect a.b]\nresult = fail\n"
		"diagnosis = x y\n",
	.error = "<string>:4: [expect a.b]: a non-interference scenario's verdict comes from its "
		 "phases",
};

TEST_F(load, errors_name_the_line_and_the_fix)
{
	char err[1024] = "";
	struct scenario s;
	int r = scenario_load_string(&s, variant->text, "/nonexistent", err, sizeof(err));

	if (!variant->error) {
		ASSERT_EQ(0, r) TH_LOG("%s", err);
		ASSERT_EQ((size_t)1, s.nexpects);
		EXPECT_STREQ("sdhci.supplies", s.expects[0].check);
		EXPECT_EQ(4, s.expects[0].line);
		EXPECT_EQ((size_t)1, s.expects[0].ndiagnoses);
		EXPECT_STREQ("report no voltage", s.expects[0].diagnosis[0]);
		EXPECT_EQ(6, s.expects[0].diagnosis_line[0]);
		EXPECT_NULL(s.expects[0].reason);
		scenario_free(&s);
		return;
	}
	EXPECT_EQ(-EINVAL, r);
	EXPECT_EQ(0, strncmp(variant->error, err, strlen(variant->error))) TH_LOG("saw '%s'", err);
}

TEST(several_diagnoses_in_key_order_and_a_reason)
{
	char err[1024] = "";
	struct scenario s;

	ASSERT_EQ(0,
		  scenario_load_string(&s,
				       HEAD "[expect a.b]\nreason = on purpose\n"
					    "diagnosis3 = three\ndiagnosis = one\nresult = fail\n"
					    "[expect c.d]\nresult = fail\ndiagnosis = four\n",
				       "/nonexistent", err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ((size_t)2, s.nexpects);
	ASSERT_EQ((size_t)2, s.expects[0].ndiagnoses);
	EXPECT_STREQ("one", s.expects[0].diagnosis[0]);
	EXPECT_EQ(7, s.expects[0].diagnosis_line[0]);
	EXPECT_STREQ("three", s.expects[0].diagnosis[1]);
	EXPECT_STREQ("on purpose", s.expects[0].reason);
	EXPECT_STREQ("c.d", s.expects[1].check);
	scenario_free(&s);
}

/* Judging: one test, as the guest reported it, against one declaration. */
FIXTURE(judge){};
FIXTURE_SETUP(judge)
{
}
FIXTURE_TEARDOWN(judge)
{
}

FIXTURE_VARIANT(judge)
{
	enum ktap_status status; /* the guest's */
	const char *diagnostics;
	const char *reason;
	size_t diag_dropped;
	const char *diagnosis[3];
	const char *name; /* the declaration's, when not the test's */
	enum ktap_status verdict;
	enum run_verdict run;
	const char *says; /* in the judgement's text */
};

FIXTURE_VARIANT_ADD(judge, declared_failure_happened){
	.status = KTAP_FAIL,
	.diagnostics = "0000:00:02.0: fine\nFAIL 0000:00:03.0: capabilities 0x007834b4 report no "
		       "voltage (3.3V, 3.0V, 1.8V all no)\nsupplies: Test failed",
	.diagnosis = { "capabilities 0x007834b4 report no voltage (3.3V, 3.0V, 1.8V all no)" },
	.verdict = KTAP_XFAIL,
	.run = VERDICT_PASS,
	.says = "declares this failure, and it happened: 'capabilities 0x007834b4 report no "
		"voltage (3.3V, 3.0V, 1.8V all no)' matched 'FAIL 0000:00:03.0: capabilities",
};
FIXTURE_VARIANT_ADD(judge, wildcards_and_brackets){
	.status = KTAP_FAIL,
	.diagnostics = "FAIL kernel log: 'mmc1: Internal clock never stabilised.': the clock",
	.diagnosis = { "kernel log: 'mmc[01]: Internal clock * stabilised.'" },
	.verdict = KTAP_XFAIL,
	.run = VERDICT_PASS,
};
FIXTURE_VARIANT_ADD(judge, two_diagnoses_two_lines){
	.status = KTAP_FAIL,
	.diagnostics = "FAIL net1: the gateway did not resolve\nFAIL net1: 0 of 3 ICMP echoes",
	.diagnosis = { "did not resolve", "0 of ? ICMP" },
	.verdict = KTAP_XFAIL,
	.run = VERDICT_PASS,
};
FIXTURE_VARIANT_ADD(judge, passed){
	.status = KTAP_PASS,
	.diagnostics = "0000:00:03.0: voltages 3.3V",
	.diagnosis = { "report no voltage" },
	.verdict = KTAP_XPASS,
	.run = VERDICT_FAIL,
	.says = "declares a failure with 'report no voltage' (line 7), but the test passed: the "
		"failure is gone",
};
FIXTURE_VARIANT_ADD(judge, another_diagnosis){
	.status = KTAP_FAIL,
	.diagnostics = "FAIL sd0: expected product name WRONG, saw QEMU!",
	.diagnosis = { "expected manufacturer" },
	.verdict = KTAP_FAIL,
	.run = VERDICT_FAIL,
	.says = "declares a failure with 'expected manufacturer' (line 7), but no failure line "
		"matches it: the test failed with 'FAIL sd0: expected product name WRONG, saw "
		"QEMU!'",
};
FIXTURE_VARIANT_ADD(judge, a_note_line_is_no_failure_line){
	.status = KTAP_FAIL,
	.diagnostics = "sd0: report no voltage is what we look for\nFAIL sd0: something else",
	.diagnosis = { "report no voltage" },
	.verdict = KTAP_FAIL,
	.run = VERDICT_FAIL,
	.says = "but no failure line matches it",
};
FIXTURE_VARIANT_ADD(judge, one_of_two_diagnoses_missing){
	.status = KTAP_FAIL,
	.diagnostics = "FAIL net1: the gateway did not resolve",
	.diagnosis = { "did not resolve", "0 of ? ICMP" },
	.verdict = KTAP_FAIL,
	.run = VERDICT_FAIL,
	.says = "declares a failure with '0 of ? ICMP' (line 8), but no failure line matches it",
};
FIXTURE_VARIANT_ADD(judge, a_second_undeclared_finding){
	.status = KTAP_FAIL,
	.diagnostics = "FAIL sd1: registers unreadable\nFAIL sd0: card not present",
	.diagnosis = { "sd1: registers unreadable" },
	.verdict = KTAP_FAIL,
	.run = VERDICT_FAIL,
	.says = "but the test also failed with 'FAIL sd0: card not present', which no diagnosis "
		"matches: a second fault: fix it, or declare it with diagnosis2 = ...",
};
FIXTURE_VARIANT_ADD(judge, dropped_lines_cannot_vouch){
	.status = KTAP_FAIL,
	.diagnostics = "FAIL sd1: registers unreadable",
	.diag_dropped = 100,
	.diagnosis = { "registers unreadable" },
	.verdict = KTAP_FAIL,
	.run = VERDICT_FAIL,
	.says = "100 diagnostic bytes past the cap were not kept",
};
FIXTURE_VARIANT_ADD(judge, a_crash_has_no_fail_line_but_a_reason){
	.status = KTAP_FAIL,
	.reason = "killed by signal 11",
	.diagnosis = { "signal 11" },
	.verdict = KTAP_XFAIL,
	.run = VERDICT_PASS,
};
FIXTURE_VARIANT_ADD(judge, skipped){
	.status = KTAP_SKIP,
	.reason = "no SD host controller",
	.diagnosis = { "report no voltage" },
	.verdict = KTAP_FAIL,
	.run = VERDICT_FAIL,
	.says = "but the test was skipped: no SD host controller",
};
FIXTURE_VARIANT_ADD(judge, never_reported){
	.status = KTAP_NOT_RUN,
	.diagnosis = { "report no voltage" },
	.verdict = KTAP_NOT_RUN,
	.run = VERDICT_FAIL,
	.says = "but the test never reported a result",
};
FIXTURE_VARIANT_ADD(judge, guest_xpass_stays_xpass){
	.status = KTAP_XPASS,
	.diagnosis = { "report no voltage" },
	.verdict = KTAP_XPASS,
	.run = VERDICT_FAIL,
};
FIXTURE_VARIANT_ADD(judge, no_test_of_that_name){
	.status = KTAP_PASS,
	.name = "sdhci.suplies",
	.diagnosis = { "report no voltage" },
	.verdict = KTAP_PASS, /* the guest's test itself: nothing declared for it */
	.run = VERDICT_FAIL,
};

TEST_F(judge, verdict_and_what_it_says)
{
	struct ktap_test t = {
		.name = "sdhci.supplies",
		.number = 1,
		.status = variant->status,
		.diagnostics = (char *)variant->diagnostics,
		.reason = (char *)variant->reason,
		.diag_dropped = variant->diag_dropped,
	};
	struct ktap_run run = { .plan = 1, .tests = &t, .ntests = 1, .saw_hello = true };
	struct scenario_expect x = { .line = 5 };
	struct run_result r = { .ktap = &run, .expects = &x, .nexpects = 1 };
	struct test_judgement j;
	_cleanup_free_ char *text = NULL;

	snprintf(r.scenario_path, sizeof(r.scenario_path), "s.ini");
	snprintf(x.check, sizeof(x.check), "%s", variant->name ?: t.name);
	for (size_t d = 0; d < 3 && variant->diagnosis[d]; d++) {
		x.diagnosis[d] = variant->diagnosis[d];
		x.diagnosis_line[d] = 7 + d;
		x.ndiagnoses++;
	}
	run_result_judge(&r, 0, &j);
	EXPECT_EQ((int)variant->verdict, (int)j.verdict)
	TH_LOG("verdict %s", ktap_status_name(j.verdict));
	EXPECT_EQ((int)variant->run, (int)run_result_verdict(&r));
	text = test_judgement_text(&r, &j);
	if (variant->name) {
		/* The declaration becomes a failing entry of its own, after the guest's tests. */
		_cleanup_free_ char *missing = NULL;

		ASSERT_EQ((size_t)2, run_result_ntests(&r));
		run_result_judge(&r, 1, &j);
		EXPECT_EQ((int)KTAP_FAIL, (int)j.verdict);
		EXPECT_NULL(j.test);
		EXPECT_STREQ("sdhci.suplies", j.name);
		missing = test_judgement_text(&r, &j);
		ASSERT_NE(NULL, missing);
		EXPECT_NE(NULL,
			  strstr(missing, "[expect sdhci.suplies] (s.ini:5) declares a failure, "
					  "but no test of that name ran (did you mean "
					  "sdhci.supplies?)"))
		TH_LOG("%s", missing);
		return;
	}
	ASSERT_NE(NULL, text);
	EXPECT_EQ(0, strncmp(text, "[expect sdhci.supplies] (s.ini:5) ", 34)) TH_LOG("%s", text);
	if (variant->says)
		EXPECT_NE(NULL, strstr(text, variant->says)) TH_LOG("%s", text);
}

TEST(counts_each_test_once)
{
	struct ktap_test t[4] = {
		{ .name = "a.pass", .number = 1, .status = KTAP_PASS },
		{ .name = "a.declared",
		  .number = 2,
		  .status = KTAP_FAIL,
		  .diagnostics = "FAIL x y" },
		{ .name = "a.fixed", .number = 3, .status = KTAP_PASS },
		{ .name = "a.skip", .number = 4, .status = KTAP_SKIP },
	};
	struct ktap_run run = { .plan = 4, .tests = t, .ntests = 4, .saw_hello = true };
	struct scenario_expect x[3] = {
		{ .check = "a.declared", .diagnosis = { "x y" }, .ndiagnoses = 1 },
		{ .check = "a.fixed", .diagnosis = { "x y" }, .ndiagnoses = 1 },
		{ .check = "b.typo", .diagnosis = { "x y" }, .ndiagnoses = 1 },
	};
	struct run_result r = { .ktap = &run, .expects = x, .nexpects = 1 };
	struct run_counts c;

	c = run_result_count(&r);
	EXPECT_EQ((size_t)4, c.total);
	EXPECT_EQ((size_t)2, c.passed);
	EXPECT_EQ((size_t)1, c.xfail);
	EXPECT_EQ((size_t)1, c.skipped);
	EXPECT_EQ((size_t)0, c.failed + c.xpass + c.not_run);
	EXPECT_EQ((int)VERDICT_PASS, (int)run_result_verdict(&r));

	r.nexpects = 3;
	c = run_result_count(&r);
	EXPECT_EQ((size_t)5, c.total); /* b.typo counts as a failed entry */
	EXPECT_EQ((size_t)1, c.passed);
	EXPECT_EQ((size_t)1, c.xfail);
	EXPECT_EQ((size_t)1, c.xpass);
	EXPECT_EQ((size_t)1, c.failed);
	EXPECT_EQ((int)VERDICT_FAIL, (int)run_result_verdict(&r));

	/* After an infrastructure error nothing is judged missing: the error says it all. */
	r.verdict = VERDICT_INFRA;
	EXPECT_EQ((size_t)4, run_result_ntests(&r));
	EXPECT_EQ((int)VERDICT_INFRA, (int)run_result_verdict(&r));
}

TEST_HARNESS_MAIN
