// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's KTAP stream (session/ktap_parse.h) as the runner gets it: in
 * pieces of any size, then the end of stream; then the run judged and
 * written by the report writers (KTAP, JSON, JUnit, terminal), whose input
 * is the guest's text too. The first byte chooses the piece size.
 */
#include <stdio.h>

#include "fuzz.h"

#include "report/report.h"
#include "session/ktap_parse.h"
#include "session/run_result.h"

static void write_reports(const struct ktap_run *run)
{
	struct run_result r = { .ktap = run, .boot_seconds = -1, .total_seconds = -1 };
	char path[512], err[256];
	FILE *out;

	snprintf(r.scenario, sizeof(r.scenario), "fuzz");
	r.verdict = run_result_verdict(&r);
	snprintf(path, sizeof(path), "%s/ktap.txt", fuzz_scratch());
	report_ktap_write(&r, path, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/result.json", fuzz_scratch());
	report_json_write(&r, path, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/junit.xml", fuzz_scratch());
	report_junit_write(&r, path, err, sizeof(err));
	out = fopen("/dev/null", "we");
	if (out) {
		report_terminal_print(&r, out);
		fclose(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ktap_parser *p;
	size_t step;

	if (!size)
		return 0;
	step = data[0] % 64 + 1;
	data++, size--;
	p = ktap_parser_new();
	if (!p)
		return 0;
	for (size_t off = 0; off < size; off += step)
		ktap_parser_feed(p, (const char *)data + off,
				 size - off < step ? size - off : step);
	ktap_parser_finish(p);
	ktap_count(ktap_parser_run(p));
	write_reports(ktap_parser_run(p));
	ktap_parser_free(p);
	return 0;
}
