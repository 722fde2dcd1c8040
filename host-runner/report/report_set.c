// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/report_set.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "errmsg.h"
#include "write_file.h"

#include "report/report.h"
#include "session/run_result.h"

struct job_counts {
	long passed, failed, skipped, not_run, xfail, xpass;
};

/* A passing job that needed more than one attempt. */
static bool flaky(const struct set_job *j)
{
	return j->verdict == VERDICT_PASS && j->attempts > 1;
}

static const char *job_label(const struct set_job *j)
{
	if (flaky(j))
		return "FLAKY";
	return j->verdict < 0 ? "NOT RUN" : run_verdict_name(j->verdict);
}

static long count_of(struct json_object *counts, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(counts, key, &v) ? json_object_get_int64(v) : 0;
}

static struct job_counts read_counts(const struct set_job *j)
{
	char path[PATH_MAX + 16];
	struct json_object *root, *counts;
	struct job_counts c = { 0 };

	snprintf(path, sizeof(path), "%s/results.json", j->dir);
	root = json_object_from_file(path);
	if (root && json_object_object_get_ex(root, "counts", &counts)) {
		c.passed = count_of(counts, "passed");
		c.failed = count_of(counts, "failed");
		c.skipped = count_of(counts, "skipped");
		c.not_run = count_of(counts, "not_run");
		c.xfail = count_of(counts, "xfail");
		c.xpass = count_of(counts, "xpass");
	}
	json_object_put(root);
	return c;
}

double set_job_seconds(const struct set_job *jobs, size_t n)
{
	double seconds = 0;

	for (size_t i = 0; i < n; i++)
		seconds += jobs[i].seconds;
	return seconds;
}

void set_speed_line(char *buf, size_t size, size_t n, double wall, double job_seconds)
{
	const char *jobs = n == 1 ? "job" : "jobs";

	if (wall > 0)
		snprintf(buf, size, "%zu %s in %.0f s wall, %.0f s of job time: %.2fx", n, jobs,
			 wall, job_seconds, job_seconds / wall);
	else
		snprintf(buf, size, "%zu %s, %.0f s of job time (wall time not known: merged)", n,
			 jobs, job_seconds);
}

/* wall: as report_set_write()'s; seconds: wall, or the jobs' sum when it is not known. */
static int write_json(const struct set_job *jobs, size_t n, const char *dir, double wall,
		      double seconds, char *err, size_t errsize)
{
	double job_seconds = set_job_seconds(jobs, n);
	struct json_object *root = json_object_new_object(), *list = json_object_new_array();
	char path[PATH_MAX + 16];
	const char *s;
	int r;

	for (size_t i = 0; i < n; i++) {
		const struct set_job *j = &jobs[i];
		struct job_counts c = read_counts(j);
		struct json_object *o = json_object_new_object(), *co = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(j->name));
		json_object_object_add(o, "scenario", json_object_new_string(j->scenario));
		json_object_object_add(o, "kernel_release", json_object_new_string(j->release));
		json_object_object_add(o, "qemu_version", json_object_new_string(j->qemu_version));
		json_object_object_add(o, "dir", json_object_new_string(j->dir));
		json_object_object_add(o, "verdict", json_object_new_string(job_label(j)));
		json_object_object_add(o, "exit_status", json_object_new_int(j->verdict));
		json_object_object_add(o, "attempts", json_object_new_int(j->attempts));
		json_object_object_add(o, "flaky", json_object_new_boolean(flaky(j)));
		json_object_object_add(o, "seconds", json_object_new_double(j->seconds));
		json_object_object_add(co, "passed", json_object_new_int64(c.passed));
		json_object_object_add(co, "failed", json_object_new_int64(c.failed));
		json_object_object_add(co, "skipped", json_object_new_int64(c.skipped));
		json_object_object_add(co, "not_run", json_object_new_int64(c.not_run));
		json_object_object_add(co, "xfail", json_object_new_int64(c.xfail));
		json_object_object_add(co, "xpass", json_object_new_int64(c.xpass));
		json_object_object_add(o, "counts", co);
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "jobs", list);
	json_object_object_add(root, "seconds", json_object_new_double(seconds));
	/* Side by side: wall against the jobs' own time (null: a merge, no wall). */
	json_object_object_add(root, "wall_seconds",
			       wall > 0 ? json_object_new_double(wall) : NULL);
	json_object_object_add(root, "job_seconds", json_object_new_double(job_seconds));
	json_object_object_add(root, "speedup",
			       wall > 0 ? json_object_new_double(job_seconds / wall) : NULL);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	r = s ? write_file(path, s, strlen(s)) : -ENOMEM;
	if (r < 0)
		errmsg(err, errsize, r, "%s: cannot write the set's JSON report: %s", path,
		       strerror(-r));
	json_object_put(root);
	return r;
}

static void set_int_attr(xmlNodePtr node, const char *name, long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", value);
	xmlSetProp(node, BAD_CAST name, BAD_CAST buf);
}

static long int_attr(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetProp(node, BAD_CAST name);
	long n = v ? strtol((const char *)v, NULL, 10) : 0;

	xmlFree(v);
	return n;
}

static void add_property(xmlNodePtr suite, const char *name, const char *value)
{
	xmlNodePtr props = NULL, p;

	for (xmlNodePtr c = suite->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST "properties"))
			props = c;
	if (!props) {
		props = xmlNewNode(NULL, BAD_CAST "properties");
		/* JUnit wants <properties> first in a suite. */
		if (suite->children)
			xmlAddPrevSibling(suite->children, props);
		else
			xmlAddChild(suite, props);
	}
	p = xmlNewChild(props, NULL, BAD_CAST "property", NULL);
	xmlSetProp(p, BAD_CAST "name", BAD_CAST name);
	xmlSetProp(p, BAD_CAST "value", BAD_CAST value);
}

/*
 * The class of a job's cases: "guestcheck.JOB". A job's own junit.xml says
 * "guestcheck.SCENARIO", the same for every kernel and QEMU of a matrix, and
 * CI servers key a case by (classname, name): GitLab shows classname as the
 * suite, and before it added the suite's name to its key kept one case per
 * pair (a 2-kernel, 2-QEMU set of 712 cases had 178 pairs). Job names are
 * unique in a set and in a merge, so these pairs are too.
 */
static void job_classname(const struct set_job *j, char *buf, size_t size)
{
	snprintf(buf, size, "guestcheck.%s", j->name);
}

static void set_classnames(xmlNodePtr suite, const struct set_job *j)
{
	char classname[sizeof(j->name) + 16];

	job_classname(j, classname, sizeof(classname));
	for (xmlNodePtr c = suite->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST "testcase"))
			xmlSetProp(c, BAD_CAST "classname", BAD_CAST classname);
}

/* A job that left no junit.xml still shows up: as an error, never silently. */
static xmlNodePtr missing_suite(const struct set_job *j)
{
	xmlNodePtr suite = xmlNewNode(NULL, BAD_CAST "testsuite"), tc, err;

	xmlSetProp(suite, BAD_CAST "name", BAD_CAST j->name);
	set_int_attr(suite, "tests", 1);
	set_int_attr(suite, "failures", 0);
	set_int_attr(suite, "errors", 1);
	set_int_attr(suite, "skipped", 0);
	tc = xmlNewChild(suite, NULL, BAD_CAST "testcase", NULL);
	xmlSetProp(tc, BAD_CAST "name", BAD_CAST "infrastructure");
	err = xmlNewChild(tc, NULL, BAD_CAST "error", NULL);
	xmlSetProp(err, BAD_CAST "message",
		   BAD_CAST(j->verdict < 0 ? "never started: the run set was interrupted"
					   : "the job left no junit.xml: see its runner.log"));
	return suite;
}

static int write_junit(const struct set_job *jobs, size_t n, const char *dir, double seconds,
		       char *err, size_t errsize)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "testsuites");
	long tests = 0, failures = 0, errors = 0, skipped = 0;
	char path[PATH_MAX + 16], buf[32];
	xmlChar *xml = NULL;
	int len = 0, r;

	xmlDocSetRootElement(doc, root);
	xmlSetProp(root, BAD_CAST "name", BAD_CAST "guestcheck");
	for (size_t i = 0; i < n; i++) {
		const struct set_job *j = &jobs[i];
		xmlDocPtr job;
		xmlNodePtr suite = NULL;

		snprintf(path, sizeof(path), "%s/junit.xml", j->dir);
		job = xmlReadFile(path, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		for (xmlNodePtr c = job ? xmlDocGetRootElement(job)->children : NULL; c;
		     c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    !xmlStrcmp(c->name, BAD_CAST "testsuite")) {
				suite = xmlDocCopyNode(c, doc, 1);
				break;
			}
		xmlFreeDoc(job);
		if (!suite)
			suite = missing_suite(j);
		/* The job's name tells matrix rows apart (scenario@kernel). */
		xmlSetProp(suite, BAD_CAST "name", BAD_CAST j->name);
		set_classnames(suite, j);
		snprintf(buf, sizeof(buf), "%u", j->attempts);
		add_property(suite, "attempts", buf);
		add_property(suite, "flaky", flaky(j) ? "true" : "false");
		tests += int_attr(suite, "tests");
		failures += int_attr(suite, "failures");
		errors += int_attr(suite, "errors");
		skipped += int_attr(suite, "skipped");
		xmlAddChild(root, suite);
	}
	set_int_attr(root, "tests", tests);
	set_int_attr(root, "failures", failures);
	set_int_attr(root, "errors", errors);
	set_int_attr(root, "skipped", skipped);
	snprintf(buf, sizeof(buf), "%.3f", seconds);
	xmlSetProp(root, BAD_CAST "time", BAD_CAST buf);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	/* Into memory first: libxml2's own file output does not say why a write failed. */
	xmlDocDumpFormatMemoryEnc(doc, &xml, &len, "UTF-8", 1);
	r = xml && len >= 0 ? write_file(path, xml, len) : -ENOMEM;
	if (r < 0)
		errmsg(err, errsize, r, "%s: cannot write the set's JUnit report: %s", path,
		       strerror(-r));
	xmlFree(xml);
	xmlFreeDoc(doc);
	return r;
}

static void print_summary(const struct set_job *jobs, size_t n, const char *dir, double wall,
			  double seconds, FILE *out)
{
	char speed[128];
	size_t passed = 0, failed = 0, errors = 0, nflaky = 0;
	long xfail = 0, xfail_jobs = 0;

	for (size_t i = 0; i < n; i++) {
		const struct set_job *j = &jobs[i];
		struct job_counts c = read_counts(j);

		fprintf(out, "%-8s %-40s %ld passed, %ld failed, ", job_label(j), j->name, c.passed,
			c.failed);
		if (c.xfail)
			fprintf(out, "%ld expected failure%s, ", c.xfail, c.xfail == 1 ? "" : "s");
		if (c.xpass)
			fprintf(out, "%ld unexpected pass%s, ", c.xpass, c.xpass == 1 ? "" : "es");
		fprintf(out, "%ld skipped, %ld not run  %.1fs", c.skipped, c.not_run, j->seconds);
		if (j->attempts > 1)
			fprintf(out, "  (%u attempts)", j->attempts);
		fputc('\n', out);
		passed += j->verdict == VERDICT_PASS;
		failed += j->verdict == VERDICT_FAIL;
		errors += j->verdict == VERDICT_INFRA || j->verdict == VERDICT_USAGE ||
			  j->verdict < 0;
		nflaky += flaky(j);
		xfail += c.xfail;
		xfail_jobs += c.xfail > 0;
	}
	fprintf(out, "run set: %zu jobs: %zu passed (%zu flaky), %zu failed, %zu errors in %.1fs",
		n, passed, nflaky, failed, errors, seconds);
	/* Every QEMU version the jobs ran under, once each. */
	for (size_t i = 0, shown = 0; i < n; i++) {
		bool seen = !jobs[i].qemu_version[0];

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(jobs[k].qemu_version, jobs[i].qemu_version);
		if (!seen)
			fprintf(out, "%s%s", shown++ ? ", " : ", QEMU ", jobs[i].qemu_version);
	}
	fputc('\n', out);
	set_speed_line(speed, sizeof(speed), n, wall, set_job_seconds(jobs, n));
	fprintf(out, "run set: %s\n", speed);
	if (xfail)
		fprintf(out,
			"expected failures: %ld in %ld job%s, each as its scenario's [expect] "
			"declares it\n",
			xfail, xfail_jobs, xfail_jobs == 1 ? "" : "s");
	fprintf(out, "results: %s (report.html, junit.xml, results.json)\n", dir);
}

int report_set_write(const struct set_job *jobs, size_t n, const char *dir, double wall, FILE *out,
		     char *err, size_t errsize)
{
	double seconds = wall >= 0 ? wall : set_job_seconds(jobs, n);
	char path[PATH_MAX + 16];
	int r, first;

	/* Each is attempted whatever failed before it; the first failure is told. */
	first = write_json(jobs, n, dir, wall, seconds, err, errsize);
	r = write_junit(jobs, n, dir, seconds, first ? NULL : err, errsize);
	first = first ?: r;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	r = report_html_write(jobs, n, path, seconds, first ? NULL : err, errsize);
	first = first ?: r;
	print_summary(jobs, n, dir, wall, seconds, out);
	errno = 0;
	if (fflush(out) == EOF && !first)
		first = errmsg(err, errsize, errno ? -errno : -EIO,
			       "stdout: cannot print the summary: %s", strerror(errno ?: EIO));
	return first ? report_write_fix(err, errsize, first, dir) : 0;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

int report_set_read(const char *dir, struct set_job *jobs, size_t max)
{
	char path[PATH_MAX + 16];
	struct json_object *root, *list;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	root = json_object_from_file(path);
	if (!root || !json_object_object_get_ex(root, "jobs", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(root);
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(list) && n < max; i++) {
		struct json_object *o = json_object_array_get_idx(list, i), *v;
		struct set_job *j = &jobs[n++];

		*j = (struct set_job){ .fd = -1, .log = -1 };
		snprintf(j->name, sizeof(j->name), "%s", str_of(o, "name"));
		snprintf(j->scenario, sizeof(j->scenario), "%s", str_of(o, "scenario"));
		snprintf(j->release, sizeof(j->release), "%s", str_of(o, "kernel_release"));
		snprintf(j->qemu_version, sizeof(j->qemu_version), "%s", str_of(o, "qemu_version"));
		snprintf(j->dir, sizeof(j->dir), "%s", str_of(o, "dir"));
		j->verdict = json_object_object_get_ex(o, "exit_status", &v)
				     ? json_object_get_int(v)
				     : VERDICT_INFRA;
		j->attempts =
			json_object_object_get_ex(o, "attempts", &v) ? json_object_get_int(v) : 1;
		j->seconds =
			json_object_object_get_ex(o, "seconds", &v) ? json_object_get_double(v) : 0;
	}
	json_object_put(root);
	return n;
}
