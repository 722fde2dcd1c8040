// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html: one self-contained page per run set (no network, no script):
 * the jobs, each job's tests with their diagnostics (register dumps, zone
 * summaries and loss reports are diagnostics), the console tail of jobs that
 * failed to run, a timing picture, and every picture a job left (*.svg,
 * *.png) embedded as a data: URI, where no SVG can run script.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>
#include <libxml/xmlwriter.h>

#include "cleanup.h"
#include "errmsg.h"
#include "write_file.h"

#include "report/report_set.h"
#include "session/run_result.h"

#define MAX_PICTURE_BYTES (8 << 20)

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
	"table{border-collapse:collapse;margin:1em 0}"
	"th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
	"th{background:#f3f3f3}.PASS,.pass{background:#d8f5d8}.xfail{background:#d8ecf5}"
	".FAIL,.fail,.not-run,.xpass"
	"{background:#f9d6d6}.ERROR,.USAGE{background:#f5c6a5}.skip{background:#eee}"
	".FLAKY{background:#fbefb0}pre{background:#f7f7f7;padding:6px;white-space:pre-wrap;"
	"margin:0;font-size:12px}h2{margin-top:2em;border-bottom:1px solid #ddd}"
	"img{max-width:100%;border:1px solid #ddd;margin:6px 0}";

/* HTML needs an end tag on every non-void element: "<pre/>" opens a pre. */
static void end(xmlTextWriterPtr w)
{
	xmlTextWriterFullEndElement(w);
}

static void end_void(xmlTextWriterPtr w)
{
	xmlTextWriterEndElement(w);
}

static void text_element(xmlTextWriterPtr w, const char *name, const char *cls, const char *text)
{
	xmlTextWriterStartElement(w, BAD_CAST name);
	if (cls)
		xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST cls);
	xmlTextWriterWriteString(w, BAD_CAST(text ? text : ""));
	end(w);
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && !json_object_is_type(v, json_type_null)
		       ? json_object_get_string(v)
		       : NULL;
}

static double jnum(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_double(v) : -1;
}

static const char *label(const struct set_job *j)
{
	if (j->verdict == VERDICT_PASS && j->attempts > 1)
		return "FLAKY";
	return j->verdict < 0 ? "ERROR" : run_verdict_name(j->verdict);
}

/* Boot and check time of each job, as bars: where a slow set spends its time. */
static void timing_picture(xmlTextWriterPtr w, const struct set_job *jobs,
			   struct json_object **results, size_t n)
{
	double longest = 1;
	int height = 24 * (int)n + 30;

	for (size_t i = 0; i < n; i++)
		if (jnum(results[i], "total_seconds") > longest)
			longest = jnum(results[i], "total_seconds");
	text_element(w, "h2", NULL, "Where the time went");
	xmlTextWriterStartElement(w, BAD_CAST "svg");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/2000/svg");
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "width", "%d", 760);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "height", "%d", height);
	xmlTextWriterWriteAttribute(w, BAD_CAST "role", BAD_CAST "img");
	for (size_t i = 0; i < n; i++) {
		double boot = jnum(results[i], "boot_seconds"),
		       total = jnum(results[i], "total_seconds");
		int y = 10 + 24 * (int)i;

		xmlTextWriterStartElement(w, BAD_CAST "text");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "x", "%d", 0);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "y", "%d", y + 14);
		xmlTextWriterWriteAttribute(w, BAD_CAST "font-size", BAD_CAST "12");
		xmlTextWriterWriteFormatString(w, "%.28s", jobs[i].name);
		end(w);
		if (total <= 0)
			continue;
		xmlTextWriterStartElement(w, BAD_CAST "rect");
		xmlTextWriterWriteAttribute(w, BAD_CAST "x", BAD_CAST "200");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "y", "%d", y);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "width", "%.0f",
						  500 * total / longest);
		xmlTextWriterWriteAttribute(w, BAD_CAST "height", BAD_CAST "18");
		xmlTextWriterWriteAttribute(w, BAD_CAST "fill", BAD_CAST "#7fb8e6");
		end(w);
		if (boot > 0) {
			xmlTextWriterStartElement(w, BAD_CAST "rect");
			xmlTextWriterWriteAttribute(w, BAD_CAST "x", BAD_CAST "200");
			xmlTextWriterWriteFormatAttribute(w, BAD_CAST "y", "%d", y);
			xmlTextWriterWriteFormatAttribute(w, BAD_CAST "width", "%.0f",
							  500 * boot / longest);
			xmlTextWriterWriteAttribute(w, BAD_CAST "height", BAD_CAST "18");
			xmlTextWriterWriteAttribute(w, BAD_CAST "fill", BAD_CAST "#c9c9c9");
			end(w);
		}
		xmlTextWriterStartElement(w, BAD_CAST "text");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "x", "%.0f",
						  205 + 500 * total / longest);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "y", "%d", y + 14);
		xmlTextWriterWriteAttribute(w, BAD_CAST "font-size", BAD_CAST "12");
		xmlTextWriterWriteFormatString(w, "%.1f s", total);
		end(w);
	}
	xmlTextWriterStartElement(w, BAD_CAST "text");
	xmlTextWriterWriteAttribute(w, BAD_CAST "x", BAD_CAST "200");
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "y", "%d", height - 4);
	xmlTextWriterWriteAttribute(w, BAD_CAST "font-size", BAD_CAST "11");
	xmlTextWriterWriteString(w, BAD_CAST
				 "grey: QEMU start to the agent's hello; blue: to the verdict");
	end(w);
	end(w); /* svg */
}

static void embed_pictures(xmlTextWriterPtr w, const char *dir)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name, *dot = strrchr(name, '.');
		const char *mime = !dot			  ? NULL
				   : !strcmp(dot, ".svg") ? "image/svg+xml"
				   : !strcmp(dot, ".png") ? "image/png"
							  : NULL;
		char path[PATH_MAX + 256];
		FILE *f;

		if (mime) {
			_cleanup_free_ char *buf = malloc(MAX_PICTURE_BYTES);
			size_t len;

			snprintf(path, sizeof(path), "%s/%s", dir, name);
			f = buf ? fopen(path, "rbe") : NULL;
			len = f ? fread(buf, 1, MAX_PICTURE_BYTES, f) : 0;
			if (f)
				fclose(f);
			if (len && len < MAX_PICTURE_BYTES) {
				xmlTextWriterStartElement(w, BAD_CAST "img");
				xmlTextWriterWriteAttribute(w, BAD_CAST "alt", BAD_CAST name);
				xmlTextWriterStartAttribute(w, BAD_CAST "src");
				xmlTextWriterWriteFormatString(w, "data:%s;base64,", mime);
				xmlTextWriterWriteBase64(w, buf, 0, len);
				xmlTextWriterEndAttribute(w);
				end_void(w);
			}
		}
		free(list[i]);
	}
	free(list);
}

/* One row: the verdict (declarations applied), the name, then why and what the test said. */
static void test_row(xmlTextWriterPtr w, struct json_object *t, const char *name)
{
	struct json_object *expect = NULL, *diags;
	const char *verdict = jstr(t, "verdict") ?: jstr(t, "status") ?: "?";

	json_object_object_get_ex(t, "expectation", &expect);
	xmlTextWriterStartElement(w, BAD_CAST "tr");
	text_element(w, "td", verdict, verdict);
	text_element(w, "td", NULL, name);
	xmlTextWriterStartElement(w, BAD_CAST "td");
	xmlTextWriterStartElement(w, BAD_CAST "pre");
	if (jstr(expect, "message"))
		xmlTextWriterWriteFormatString(w, "%s\n", jstr(expect, "message"));
	if (jstr(t, "reason"))
		xmlTextWriterWriteFormatString(w, "%s\n", jstr(t, "reason"));
	if (json_object_object_get_ex(t, "diagnostics", &diags) &&
	    json_object_is_type(diags, json_type_array))
		for (size_t d = 0; d < json_object_array_length(diags); d++)
			xmlTextWriterWriteFormatString(
				w, "%s\n",
				json_object_get_string(json_object_array_get_idx(diags, d)));
	end(w); /* pre */
	end(w); /* td */
	end(w); /* tr */
}

static void test_rows(xmlTextWriterPtr w, struct json_object *result)
{
	struct json_object *ktap, *tests, *expects;

	if (!json_object_object_get_ex(result, "ktap", &ktap) ||
	    !json_object_object_get_ex(ktap, "tests", &tests))
		return;
	xmlTextWriterStartElement(w, BAD_CAST "table");
	xmlTextWriterStartElement(w, BAD_CAST "tr");
	text_element(w, "th", NULL, "verdict");
	text_element(w, "th", NULL, "test");
	text_element(w, "th", NULL, "diagnostics");
	end(w);
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		struct json_object *t = json_object_array_get_idx(tests, i);

		test_row(w, t, jstr(t, "name"));
	}
	/* Declarations no test answered: failures of the run, shown as rows of their own. */
	if (json_object_object_get_ex(result, "expectations", &expects) &&
	    json_object_is_type(expects, json_type_array))
		for (size_t i = 0; i < json_object_array_length(expects); i++) {
			struct json_object *x = json_object_array_get_idx(expects, i), *ran;
			struct json_object *row;

			if (!json_object_object_get_ex(x, "test_ran", &ran) ||
			    json_object_get_boolean(ran))
				continue;
			row = json_object_new_object();
			json_object_object_add(row, "verdict", json_object_new_string("fail"));
			json_object_object_add(row, "expectation", json_object_get(x));
			test_row(w, row, jstr(x, "check"));
			json_object_put(row);
		}
	end(w); /* table */
}

static void job_section(xmlTextWriterPtr w, const struct set_job *j, struct json_object *result)
{
	char line[2048];

	xmlTextWriterStartElement(w, BAD_CAST "h2");
	xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST j->name);
	xmlTextWriterWriteFormatString(w, "%s: %s", j->name, label(j));
	end(w);
	snprintf(line, sizeof(line),
		 "scenario %s, kernel %s, QEMU %s (%s), under %s (%s), %u attempt%s", j->scenario,
		 jstr(result, "kernel") ?: "?",
		 jstr(result, "qemu_version")
			 ?: j->qemu_version[0] ? j->qemu_version
					       : "?",
		 jstr(result, "qemu") ?: "?", jstr(result, "accel") ?: "?",
		 jstr(result, "accel_reason") ?: "", j->attempts, j->attempts == 1 ? "" : "s");
	text_element(w, "p", NULL, line);
	if (jstr(result, "infra_error")) {
		text_element(w, "p", "ERROR", jstr(result, "infra_error"));
		text_element(w, "h3", NULL, "Console (last lines)");
		text_element(w, "pre", NULL, jstr(result, "console_tail"));
	}
	if (!result)
		text_element(w, "p", "ERROR",
			     "no results.json: see runner.log in the job's folder");
	test_rows(w, result);
	embed_pictures(w, j->dir);
}

static void jobs_table(xmlTextWriterPtr w, const struct set_job *jobs, struct json_object **results,
		       size_t n)
{
	xmlTextWriterStartElement(w, BAD_CAST "table");
	xmlTextWriterStartElement(w, BAD_CAST "tr");
	for (const char *const *h = (const char *const[]){ "verdict", "job", "passed", "failed",
							   "expected failures", "skipped",
							   "not run", "seconds", "attempts", NULL };
	     *h; h++)
		text_element(w, "th", NULL, *h);
	end(w);
	for (size_t i = 0; i < n; i++) {
		struct json_object *counts = NULL;
		char num[32];

		if (results[i])
			json_object_object_get_ex(results[i], "counts", &counts);
		xmlTextWriterStartElement(w, BAD_CAST "tr");
		text_element(w, "td", label(&jobs[i]), label(&jobs[i]));
		xmlTextWriterStartElement(w, BAD_CAST "td");
		xmlTextWriterStartElement(w, BAD_CAST "a");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "href", "#%s", jobs[i].name);
		xmlTextWriterWriteString(w, BAD_CAST jobs[i].name);
		end(w);
		end(w);
		for (const char *const *k = (const char *const[]){ "passed", "failed", "xfail",
								   "skipped", "not_run", NULL };
		     *k; k++) {
			snprintf(num, sizeof(num), "%.0f", counts ? jnum(counts, *k) : 0);
			text_element(w, "td", NULL, num);
		}
		snprintf(num, sizeof(num), "%.1f", jobs[i].seconds);
		text_element(w, "td", NULL, num);
		snprintf(num, sizeof(num), "%u", jobs[i].attempts);
		text_element(w, "td", NULL, num);
		end(w);
	}
	end(w);
}

int report_html_write(const struct set_job *jobs, size_t n, const char *path, double seconds,
		      char *err, size_t errsize)
{
	struct json_object **results = calloc(n ? n : 1, sizeof(*results));
	/* Into memory first: libxml2's own file output does not say why a write failed. */
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char title[128], when[64];
	time_t now = time(NULL);
	int r;

	if (!w || !results) {
		free(results);
		if (w)
			xmlFreeTextWriter(w);
		xmlBufferFree(buf);
		return errmsg(err, errsize, -ENOMEM, "%s: cannot build the page: out of memory",
			      path);
	}
	for (size_t i = 0; i < n; i++) {
		char file[PATH_MAX + 16];

		snprintf(file, sizeof(file), "%s/results.json", jobs[i].dir);
		results[i] = json_object_from_file(file);
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	snprintf(title, sizeof(title), "guestcheck: %zu job%s, %s", n, n == 1 ? "" : "s", when);
	xmlTextWriterWriteDTD(w, BAD_CAST "html", NULL, NULL, NULL);
	xmlTextWriterStartElement(w, BAD_CAST "html");
	xmlTextWriterWriteAttribute(w, BAD_CAST "lang", BAD_CAST "en");
	xmlTextWriterStartElement(w, BAD_CAST "head");
	xmlTextWriterStartElement(w, BAD_CAST "meta");
	xmlTextWriterWriteAttribute(w, BAD_CAST "charset", BAD_CAST "utf-8");
	end_void(w);
	text_element(w, "title", NULL, title);
	text_element(w, "style", NULL, style);
	end(w); /* head */
	xmlTextWriterStartElement(w, BAD_CAST "body");
	text_element(w, "h1", NULL, title);
	xmlTextWriterStartElement(w, BAD_CAST "p");
	xmlTextWriterWriteFormatString(w, "%.1f s in all. JUnit: junit.xml, data: results.json.",
				       seconds);
	end(w);
	jobs_table(w, jobs, results, n);
	timing_picture(w, jobs, results, n);
	for (size_t i = 0; i < n; i++)
		job_section(w, &jobs[i], results[i]);
	end(w); /* body */
	end(w); /* html */
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	for (size_t i = 0; i < n; i++)
		json_object_put(results[i]);
	free(results);
	r = write_file(path, xmlBufferContent(buf), xmlBufferLength(buf));
	xmlBufferFree(buf);
	if (r < 0)
		return errmsg(err, errsize, r, "%s: cannot write the page: %s", path, strerror(-r));
	return 0;
}
