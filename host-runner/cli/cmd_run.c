// SPDX-License-Identifier: GPL-2.0-or-later
/* guestcheck run SCENARIO: boot it, collect the results, write the reports. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "mkdir_p.h"
#include "units.h"

#include "cli/commands.h"
#include "cli/run_options.h"
#include "report/report.h"
#include "report/results_lock.h"
#include "runset/run_set.h"
#include "session/area.h"
#include "session/guest_image.h"
#include "session/session.h"
#include "vm/accel.h"
#include "vm/qemu_argv.h"
#include "vm/qemu_probe.h"
#include "vm/vm.h"

/*
 * Every report is attempted whatever failed before it: a CI server may still
 * read the others. The first failure comes back with its message and the fix.
 */
static int write_reports(const struct run_result *r, const char *dir, char *err, size_t errsize)
{
	char why[PATH_MAX + 128];
	int ret = 0, rc;

	/* A file the boot wrote (agent.ini, an area's own, ...) failed first. */
	if (r->boot_file_status < 0)
		ret = errmsg(err, errsize, r->boot_file_status, "%s", r->boot_file_error);
	rc = report_write_run_files(r, dir, why, sizeof(why));
	if (rc < 0 && !ret)
		ret = errmsg(err, errsize, rc, "%s", why);
	return ret ? report_write_fix(err, errsize, ret, dir) : 0;
}

struct single_boot {
	const struct run_options *o;
	const struct guest *g;
	struct run_result *r;
	struct ktap_parser **parser;
};

/* One boot under one accelerator (accel_run()'s). */
static int boot(void *opaque, struct accel_attempt *a)
{
	struct single_boot *b = opaque;
	const struct guest *g = b->g;
	struct session_config c = {
		.scenario = &g->scenario,
		.qemu_binary = g->qemu_info ? g->qemu_info->path : g->qemu,
		.qemu_version = g->qemu_info ? g->qemu_info->version.text : NULL,
		.machine_audiodev = g->qemu_info && qemu_machine_has_audio(g->scenario.machine) &&
				    qemu_machine_audiodev(g->qemu_info, g->scenario.machine),
		.kernel = g->kernel,
		.base_initrd = g->initramfs,
		.accel = a->accel,
		.hello_timeout_ms = a->hello_ms,
		.sign_ms = a->sign_ms,
		.results_dir = b->o->results_dir,
		.log_prefix = a->log_prefix,
		.progress = b->o->quiet ? NULL : stderr,
		.keep_rundir = b->o->keep_rundir,
	};
	int ret;

	/* A second attempt: the first one's results are forgotten. */
	if (*b->parser) {
		ktap_parser_free(*b->parser);
		*b->parser = NULL;
		free(b->r->console_tail);
		b->r->console_tail = NULL;
		b->r->infra_error[0] = '\0';
		b->r->verdict = VERDICT_PASS;
	}
	ret = session_run(&c, b->r, b->parser);
	a->hello = *b->parser && ktap_parser_run(*b->parser)->saw_hello;
	a->error = b->r->infra_error;
	return ret;
}

static int run_with_accel(const struct run_options *o, const struct guest *g, struct run_result *r,
			  struct ktap_parser **parser)
{
	struct accel_policy p = { .mode = o->accel,
				  .boot_ms = g->scenario.boot_timeout_ms,
				  .watchdog_ms = o->kvm_watchdog_ms,
				  .name = g->scenario.name,
				  .progress = o->quiet ? NULL : stderr };
	struct single_boot b = { .o = o, .g = g, .r = r, .parser = parser };
	struct accel_choice choice;
	int ret;

	ret = accel_run(&p, boot, &b, &choice, r->infra_error, sizeof(r->infra_error));
	snprintf(r->accel_reason, sizeof(r->accel_reason), "%s", choice.reason);
	r->accel_fallback_seconds = choice.fallback_seconds > 0 ? choice.fallback_seconds : 0;
	if (ret == -ENODEV && !*parser) {
		/* Not booted at all: --accel kvm without KVM. */
		snprintf(r->accel, sizeof(r->accel), "%s", choice.accel);
		r->verdict = VERDICT_INFRA;
		*parser = ktap_parser_new();
	}
	return ret;
}

/* The QEMU could not run the scenario: said once, and in the reports when there are any. */
static int qemu_refused(const struct run_options *o, const struct guest *g, int verdict,
			const char *why)
{
	struct run_result r = { .verdict = verdict };
	struct ktap_parser *parser;
	char err[PATH_MAX + 256];

	fprintf(stderr, "guestcheck: %s\n", why);
	if (!o->results_dir[0] || mkdir_p(o->results_dir) < 0)
		return verdict;
	/* A run set's report shows the reason beside the job, not "no results". */
	parser = ktap_parser_new();
	if (!parser)
		return verdict;
	ktap_parser_finish(parser);
	r.ktap = ktap_parser_run(parser);
	r.boot_seconds = -1;
	snprintf(r.scenario, sizeof(r.scenario), "%s", g->scenario.name);
	snprintf(r.scenario_path, sizeof(r.scenario_path), "%s", g->scenario.path);
	snprintf(r.kernel, sizeof(r.kernel), "%s", g->kernel);
	snprintf(r.qemu, sizeof(r.qemu), "%s", g->qemu);
	if (g->qemu_info)
		snprintf(r.qemu_version, sizeof(r.qemu_version), "%s", g->qemu_info->version.text);
	snprintf(r.infra_error, sizeof(r.infra_error), "%s", why);
	/* The run has failed already, and says why: the exit status stays that failure's. */
	if (write_reports(&r, o->results_dir, err, sizeof(err)) < 0)
		fprintf(stderr, "guestcheck: %s\n", err);
	ktap_parser_free(parser);
	return verdict;
}

/*
 * Stop signals that came during the teardown and the reports, taken: the run
 * had ended (or been interrupted) and everything is cleaned and written.
 */
static void late_signals(const sigset_t *stop, int interrupted)
{
	int sig;

	while ((sig = sigtimedwait(stop, NULL, &(const struct timespec){ 0 })) > 0)
		fprintf(stderr,
			"guestcheck: signal %d during the teardown: %s; cleaned up and "
			"reported first\n",
			sig, interrupted ? "the run was already interrupted" : "the run had ended");
}

int run_single(const struct run_options *o)
{
	struct run_options opt = *o;
	struct run_result r = { 0 };
	struct ktap_parser *parser = NULL;
	struct qemu_cache *own = NULL;
	const struct host_area_ops *kind;
	struct guest g;
	time_t now = time(NULL);
	sigset_t stop, old_mask;
	char why[1024], report_err[PATH_MAX + 256];
	int ret, reported, lock = -1;

	ret = guest_resolve(&g, &opt);
	if (ret)
		return ret;
	/* Asked once per binary: a run set's jobs share what the set asked before forking. */
	if (!opt.qemu_cache && !(opt.qemu_cache = own = calloc(1, sizeof(*own)))) {
		guest_free(&g);
		return VERDICT_INFRA;
	}
	ret = guest_probe_qemu(&g, opt.qemu_cache, why, sizeof(why));
	if (ret) {
		ret = qemu_refused(&opt, &g, ret, why);
		goto out;
	}
	if (!opt.results_dir[0])
		snprintf(opt.results_dir, sizeof(opt.results_dir), "guestcheck-results/%s",
			 g.scenario.name);
	if (mkdir_p(opt.results_dir) < 0) {
		fprintf(stderr, "guestcheck: %s: cannot create the results directory: %s\n",
			opt.results_dir, strerror(errno));
		ret = VERDICT_USAGE;
		goto out;
	}
	lock = results_dir_claim(opt.results_dir, why, sizeof(why));
	if (lock < 0) {
		fprintf(stderr, "guestcheck: %s\n", why);
		ret = lock == -EBUSY ? VERDICT_USAGE : VERDICT_INFRA;
		goto out;
	}
	/* A kind of run with boots of its own (area.h). */
	if ((kind = host_area_run_kind(&g.scenario))) {
		ret = kind->run(&opt, &g);
		goto out;
	}
	snprintf(r.scenario, sizeof(r.scenario), "%s", g.scenario.name);
	snprintf(r.scenario_path, sizeof(r.scenario_path), "%s", g.scenario.path);
	snprintf(r.kernel, sizeof(r.kernel), "%s", g.kernel);
	snprintf(r.qemu, sizeof(r.qemu), "%s", g.qemu_info->path);
	snprintf(r.qemu_version, sizeof(r.qemu_version), "%s", g.qemu_info->version.text);
	strftime(r.started_at, sizeof(r.started_at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));

	/*
	 * Held from the boot to the last report (vm.c holds them only while its
	 * VM lives): a second SIGTERM during the teardown, as a supervisor that
	 * stops and then stops harder sends, would otherwise end the runner when
	 * vm_close() lets it through, with the run folder and the reports undone.
	 */
	vm_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, &old_mask);
	ret = run_with_accel(&opt, &g, &r, &parser);
	r.ktap = ktap_parser_run(parser);
	r.expects = g.scenario.expects;
	r.nexpects = g.scenario.nexpects;
	if (ret == 0)
		r.verdict = run_result_verdict(&r);
	else
		r.verdict = VERDICT_INFRA;
	/* A report that cannot be written fails the run, after showing what was measured. */
	reported = write_reports(&r, opt.results_dir, report_err, sizeof(report_err));
	if ((!opt.quiet || r.verdict != VERDICT_PASS || reported < 0) &&
	    (ret = report_terminal_print(&r, stdout)) < 0 && !reported)
		reported = errmsg(report_err, sizeof(report_err), ret,
				  "stdout: cannot print the results: %s", strerror(-ret));
	if (r.verdict == VERDICT_INFRA)
		fprintf(stderr, "guestcheck: %s: ERROR: %s\n", r.scenario, r.infra_error);
	printf("results: %s\n", opt.results_dir);
	if (r.log_error[0])
		fprintf(stderr, "guestcheck: %s\n", r.log_error);
	if (reported < 0)
		fprintf(stderr, "guestcheck: %s\n", report_err);
	ret = reported < 0 || r.log_error[0] ? VERDICT_INFRA : r.verdict;
	late_signals(&stop, r.interrupted);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	ktap_parser_free(parser);
	free(r.console_tail);
out:
	if (lock >= 0)
		close(lock);
	guest_free(&g);
	if (own)
		qemu_cache_free(own);
	free(own);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_options o = { .accel = ACCEL_AUTO, .kvm_watchdog_ms = ACCEL_KVM_WATCHDOG_MS };
	struct stat st;
	int ret = run_options_parse(&o, argc, argv, true);

	if (ret <= 0)
		return -ret;
	/* One scenario file on one kernel under one QEMU is a plain run; anything more a set. */
	if (o.nscenarios == 1 && o.nkernels <= 1 && o.nqemus <= 1 && !o.nshards && !o.retries &&
	    !(stat(o.scenario_path, &st) == 0 && S_ISDIR(st.st_mode)))
		return run_single(&o);
	return run_set(&o);
}
