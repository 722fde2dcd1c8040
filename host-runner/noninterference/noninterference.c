// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"
#include "mkdir_p.h"

#include "devices/device_type.h"
#include "noninterference/noninterference.h"
#include "noninterference/phase_wrap.h"
#include "report/report.h"
#include "session/session.h"
#include "vm/accel.h"
#include "vm/run_dir.h"
#include "vm/vm.h"

const char *const ni_phase_names[NI_PHASES] = { "baseline", "installer", "verify" };

/*
 * Every report is attempted whatever failed before; the first failure is
 * kept, with the fix, and makes the run exit 3 (as `run`'s reports do).
 */
static void report_result(struct ni_run *n, int rc, const char *why)
{
	if (rc >= 0 || n->report_status < 0)
		return;
	n->report_status = errmsg(n->report_error, sizeof(n->report_error), rc, "%s", why);
	report_write_fix(n->report_error, sizeof(n->report_error), rc, n->out);
}

/* Each phase's ktap.log or console.log cut by a write error, a line each. */
static bool print_cut_logs(const struct ni_run *n)
{
	const char *cut[] = { n->agent[NI_BASELINE].log_error, n->installer.log_error,
			      n->agent[NI_VERIFY].log_error };
	bool any = false;

	for (size_t i = 0; i < ARRAY_SIZE(cut); i++)
		if (cut[i][0]) {
			fprintf(stderr, "guestcheck: %s\n", cut[i]);
			any = true;
		}
	return any;
}

#define STOP_PREPARING "while preparing the disks: no phase ran"
#define STOP_BETWEEN   "between phases: results so far are kept"

/*
 * Interrupted in a phase, or a stop signal pending since (where says when, for
 * the message): no later step runs.
 */
static bool stopped(struct ni_run *n, const char *where)
{
	static const struct timespec now = { 0 };
	sigset_t set;
	int sig;

	if (n->interrupted)
		return true;
	vm_stop_signals(&set);
	sig = sigtimedwait(&set, NULL, &now);
	if (sig <= 0)
		return false;
	n->interrupted = sig;
	snprintf(n->infra_error, sizeof(n->infra_error), "interrupted by signal %d %s", sig, where);
	return true;
}

static void say(const struct ni_run *n, const char *fmt, ...) __printf(2, 3);
static void say(const struct ni_run *n, const char *fmt, ...)
{
	va_list ap;

	if (n->o->quiet)
		return;
	fprintf(stderr, "[%6.1fs] %s: ", now_s() - n->start, n->sc.name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* XXH3-128 of a file's bytes: for raw images, what mmc.fingerprint computes in the guest. */
static int digest_file(const char *path, char hex[33], char *err, size_t errsize)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = malloc(1 << 20);
	XXH3_state_t *st = XXH3_createState();
	XXH128_canonical_t c;
	ssize_t len;

	if (fd < 0 || !buf || !st) {
		errmsg(err, errsize, -EIO, "%s: cannot read: %s", path, strerror(errno));
		XXH3_freeState(st);
		return -EIO;
	}
	XXH3_128bits_reset(st);
	while ((len = read(fd, buf, 1 << 20)) > 0)
		XXH3_128bits_update(st, buf, len);
	XXH128_canonicalFromHash(&c, XXH3_128bits_digest(st));
	XXH3_freeState(st);
	if (len < 0)
		return errmsg(err, errsize, -EIO, "%s: read failed: %s", path, strerror(errno));
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", c.digest[i]);
	return 0;
}

static int sparse_file(const char *path, uint64_t size, char *err, size_t errsize)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 || ftruncate(fd, size) < 0) {
		errmsg(err, errsize, -EIO, "%s: cannot create a %llu-byte image: %s", path,
		       (unsigned long long)size, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

static struct ni_card *card_of(struct ni_run *n, size_t index)
{
	for (size_t i = 0; i < n->ncards; i++)
		if (n->cards[i].index == index)
			return &n->cards[i];
	return NULL;
}

/*
 * Every disk the guests see lives in the work directory: protected cards
 * as a chain of overlays over the pristine image, other images behind one
 * overlay shared by all phases (the user's files stay as they are), scratch
 * disks as sparse files that the installer's writes persist in.
 */
static int prepare_disks(struct ni_run *n, char *err, size_t errsize)
{
	for (size_t i = 0; i < n->plan.nprotect; i++) {
		struct ni_card *c = &n->cards[n->ncards++];
		const struct scenario_device *d = &n->sc.devices[n->plan.protect[i]];

		c->index = n->plan.protect[i];
		c->name = d->name;
		c->node = d->guest_node;
	}
	for (size_t i = 0; i < n->sc.ndevices; i++) {
		struct scenario_device *d = &n->sc.devices[i];
		struct ni_card *c = card_of(n, i);
		char path[PATH_MAX];
		int r;

		/* A step is a qemu-img or a whole image read: a stop is taken between. */
		if (stopped(n, STOP_PREPARING))
			return -EINTR;
		if (!c && !d->image[0] && !d->size)
			continue; /* no disk: a network device */
		if (!c && !d->image[0]) {
			snprintf(path, sizeof(path), "%s/%s.img", n->workdir, d->name);
			if ((r = sparse_file(path, d->size, err, errsize)) < 0)
				return r;
			snprintf(d->image, sizeof(d->image), "%s", path);
			continue;
		}
		if (!c) {
			snprintf(path, sizeof(path), "%s/%s.qcow2", n->workdir, d->name);
			if ((r = overlay_create(d->image, "raw", path, OVERLAY_FAST, err,
						errsize)) < 0)
				return r;
			snprintf(d->image, sizeof(d->image), "%s", path);
			snprintf(d->format, sizeof(d->format), "qcow2");
			continue;
		}
		if (d->image[0]) {
			snprintf(c->pristine, sizeof(c->pristine), "%s", d->image);
		} else {
			snprintf(c->pristine, sizeof(c->pristine), "%s/%s.pristine.img", n->workdir,
				 d->name);
			if ((r = sparse_file(c->pristine, d->size, err, errsize)) < 0)
				return r;
			c->pristine_made = true;
		}
		if (digest_file(c->pristine, c->digest_before, c->digest_error,
				sizeof(c->digest_error)) < 0)
			c->digest_before[0] = '\0';
		for (int p = 0; p < NI_PHASES; p++) {
			if (stopped(n, STOP_PREPARING))
				return -EINTR;
			snprintf(c->overlay[p], sizeof(c->overlay[p]), "%s/%s.%s.qcow2", n->workdir,
				 d->name, ni_phase_names[p]);
			r = overlay_create(p ? c->overlay[p - 1] : c->pristine, p ? "qcow2" : "raw",
					   c->overlay[p], OVERLAY_EXACT, err, errsize);
			if (r < 0)
				return r;
		}
		snprintf(d->format, sizeof(d->format), "qcow2");
	}
	return 0;
}

/* Each phase sees its own overlay of every protected card. */
static void attach_phase(struct ni_run *n, enum ni_phase p)
{
	n->phase = p;
	for (size_t i = 0; i < n->ncards; i++)
		snprintf(n->sc.devices[n->cards[i].index].image, sizeof(n->sc.devices[0].image),
			 "%s", n->cards[i].overlay[p]);
}

static void after_phase(struct ni_run *n, enum ni_phase p)
{
	for (size_t i = 0; i < n->ncards; i++) {
		struct ni_card *c = &n->cards[i];

		if (overlay_map(c->overlay[p], &c->map[p], c->map_error[p],
				sizeof(c->map_error[p])) == 0)
			c->map_error[p][0] = '\0';
		if (n->parser[p])
			c->have_fp[p] = phase_fingerprint_find(ktap_parser_run(n->parser[p]),
							       c->name, &c->fp[p]) == 0;
	}
}

/* sign_ms: as session_config's (0 but for the KVM try under --accel auto). */
static int agent_boot(struct ni_run *n, enum ni_phase p, const char *accel, uint64_t hello_ms,
		      uint64_t sign_ms, const char *prefix)
{
	char dir[PATH_MAX], why[PATH_MAX + 128];
	struct session_config c = {
		.scenario = &n->sc,
		.qemu_binary = n->g->qemu,
		.qemu_version = n->g->qemu_info ? n->g->qemu_info->version.text : NULL,
		.kernel = n->g->kernel,
		.base_initrd = n->g->initramfs,
		.accel = accel,
		.hello_timeout_ms = hello_ms,
		.sign_ms = sign_ms,
		.results_dir = dir,
		.log_prefix = prefix,
		.progress = n->o->quiet ? NULL : stderr,
		.keep_rundir = n->o->keep_rundir,
		.run = n, /* for the area's part (area.c): the block statistics at the end */
	};
	int r;

	snprintf(dir, sizeof(dir), "%s/%s", n->out, ni_phase_names[p]);
	if (n->parser[p]) {
		ktap_parser_free(n->parser[p]);
		free(n->agent[p].console_tail);
	}
	n->agent[p] = (struct run_result){ 0 };
	snprintf(n->agent[p].scenario, sizeof(n->agent[p].scenario), "%s-%s", n->sc.name,
		 ni_phase_names[p]);
	if (n->g->qemu_info)
		snprintf(n->agent[p].qemu_version, sizeof(n->agent[p].qemu_version), "%s",
			 n->g->qemu_info->version.text);
	r = session_run(&c, &n->agent[p], &n->parser[p]);
	if (n->agent[p].interrupted)
		n->interrupted = n->agent[p].interrupted;
	n->agent[p].ktap = ktap_parser_run(n->parser[p]);
	n->agent[p].verdict = r == 0 ? run_result_verdict(&n->agent[p]) : VERDICT_INFRA;
	report_result(n, n->agent[p].boot_file_status, n->agent[p].boot_file_error);
	report_result(n, report_write_run_files(&n->agent[p], dir, why, sizeof(why)), why);
	n->ran[p] = true;
	return r;
}

/* A baseline attempt under the accelerator accel_run() chose. */
static int baseline_boot(void *opaque, struct accel_attempt *a)
{
	struct ni_run *n = opaque;
	int r = agent_boot(n, NI_BASELINE, a->accel, a->hello_ms, a->sign_ms, a->log_prefix);

	a->hello = n->agent[NI_BASELINE].ktap->saw_hello;
	a->error = n->agent[NI_BASELINE].infra_error;
	return r;
}

/* Baseline, choosing the accelerator the way `run --accel` does: the phases after use it. */
static int baseline(struct ni_run *n)
{
	struct accel_policy p = { .mode = n->o->accel,
				  .boot_ms = n->sc.boot_timeout_ms,
				  .watchdog_ms = n->o->kvm_watchdog_ms,
				  .name = n->sc.name,
				  .progress = n->o->quiet ? NULL : stderr };
	struct accel_choice choice;
	int r;

	attach_phase(n, NI_BASELINE);
	r = accel_run(&p, baseline_boot, n, &choice, n->infra_error, sizeof(n->infra_error));
	n->accel = choice.accel;
	snprintf(n->accel_reason, sizeof(n->accel_reason), "%s", choice.reason);
	return r;
}

static int installer(struct ni_run *n)
{
	const char *drives[SCENARIO_MAX_DEVICES];
	char dir[PATH_MAX], initrd[PATH_MAX], init[256], append[sizeof(n->plan.append) + 64];
	char err[512], disk[PATH_MAX];
	struct installer_boot b = {
		.scenario = &n->sc,
		.qemu_binary = n->g->qemu,
		.kernel = n->plan.kernel[0] ? n->plan.kernel : n->g->kernel,
		.initrd = n->plan.initrd,
		.append = n->plan.append,
		.accel = n->accel,
		.timeout_ms = n->plan.timeout_ms,
		.results_dir = dir,
		.drives = drives,
		.ndrives = n->ncards,
		.progress = n->o->quiet ? NULL : stderr,
		.keep_rundir = n->o->keep_rundir,
	};
	int r;

	attach_phase(n, NI_INSTALLER);
	snprintf(dir, sizeof(dir), "%s/installer", n->out);
	for (size_t i = 0; i < n->ncards; i++)
		drives[i] = n->cards[i].name;
	if (n->plan.image[0]) {
		/* The installer's own disk too: its writes go to a throwaway overlay. */
		snprintf(disk, sizeof(disk), "%s/installer-disk.qcow2", n->workdir);
		r = overlay_create(n->plan.image, n->plan.image_format, disk, OVERLAY_FAST, err,
				   sizeof(err));
		if (r < 0) {
			snprintf(n->infra_error, sizeof(n->infra_error), "installer: %s", err);
			return r;
		}
		b.disk = disk;
		b.disk_format = "qcow2";
		b.disk_port = n->plan.image_port;
	}
	if (n->plan.watch) {
		phase_wrap_real_init(n->plan.append, init, sizeof(init));
		snprintf(initrd, sizeof(initrd), "%s/installer-initrd.img", n->workdir);
		r = phase_wrap_initrd(n->plan.initrd, n->g->initramfs, init, initrd, err,
				      sizeof(err));
		if (r < 0) {
			snprintf(n->infra_error, sizeof(n->infra_error), "installer: %s", err);
			return r;
		}
		snprintf(append, sizeof(append), "%s%srdinit=" PHASE_WRAP_RDINIT, n->plan.append,
			 n->plan.append[0] ? " " : "");
		b.initrd = initrd;
		b.append = append;
	}
	r = installer_boot_run(&b, &n->installer);
	n->ran[NI_INSTALLER] = true;
	report_result(n, n->installer.file_status, n->installer.file_error);
	for (size_t i = 0; i < n->ncards; i++)
		n->cards[i].stats[NI_INSTALLER] = n->installer.stats[i];
	if (n->installer.end == INSTALLER_INTERRUPTED) {
		n->interrupted = n->installer.interrupted;
		r = -EINTR;
	}
	if (r < 0)
		snprintf(n->infra_error, sizeof(n->infra_error), "installer: %s",
			 n->installer.error);
	return r;
}

static int prepare(struct ni_run *n, char *err, size_t errsize)
{
	static const char *const subdirs[] = { "baseline", "installer", "verify" };
	char path[PATH_MAX];
	int r;

	r = installer_plan_load(&n->g->scenario, &n->plan, err, errsize);
	if (r < 0)
		return r;
	if (n->o->results_dir[0])
		snprintf(n->out, sizeof(n->out), "%s", n->o->results_dir);
	else
		snprintf(n->out, sizeof(n->out), "guestcheck-results/%s", n->sc.name);
	for (size_t i = 0; i < ARRAY_SIZE(subdirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", n->out, subdirs[i]);
		if ((r = mkdir_p(path)) < 0)
			return errmsg(err, errsize, r, "%s: cannot create: %s", path, strerror(-r));
	}
	snprintf(n->workdir, sizeof(n->workdir), "%s/guestcheck-ni-XXXXXX",
		 getenv("TMPDIR") ?: "/tmp");
	n->workdir_owner = run_dir_create(n->workdir, stderr, err, errsize);
	if (n->workdir_owner < 0) {
		n->workdir[0] = '\0';
		return n->workdir_owner;
	}
	return prepare_disks(n, err, errsize);
}

static int finish(struct ni_run *n)
{
	_cleanup_free_ char *ktap = NULL;
	struct ktap_parser *parser = ktap_parser_new();
	struct run_result r = { 0 };
	size_t len = 0;
	FILE *mem = open_memstream(&ktap, &len);
	char path[PATH_MAX], why[PATH_MAX + 128];
	_cleanup_fclose_ FILE *log = NULL;
	bool logs_cut;
	int rc;

	for (size_t i = 0; i < n->ncards; i++) {
		struct ni_card *c = &n->cards[i];

		if (c->digest_before[0] &&
		    digest_file(c->pristine, c->digest_after, c->digest_error,
				sizeof(c->digest_error)) < 0)
			c->digest_after[0] = '\0';
	}
	if (!mem || !parser) {
		fprintf(stderr, "guestcheck: out of memory\n");
		return VERDICT_INFRA;
	}
	ni_report_ktap(n, mem);
	fclose(mem);
	snprintf(path, sizeof(path), "%s/ktap.log", n->out);
	log = fopen(path, "we");
	if (!log || fputs(ktap, log) == EOF || fflush(log) == EOF) {
		rc = errno ? -errno : -EIO;
		errmsg(why, sizeof(why), rc, "%s: cannot write: %s", path, strerror(-rc));
		report_result(n, rc, why);
	}
	ktap_parser_feed(parser, ktap, len);
	ktap_parser_finish(parser);

	snprintf(r.scenario, sizeof(r.scenario), "%s", n->sc.name);
	snprintf(r.scenario_path, sizeof(r.scenario_path), "%s", n->sc.path);
	snprintf(r.accel, sizeof(r.accel), "%s", n->accel ?: "");
	snprintf(r.accel_reason, sizeof(r.accel_reason), "%s", n->accel_reason);
	snprintf(r.kernel, sizeof(r.kernel), "%s", n->g->kernel);
	snprintf(r.qemu, sizeof(r.qemu), "%s", n->g->qemu);
	if (n->g->qemu_info)
		snprintf(r.qemu_version, sizeof(r.qemu_version), "%s",
			 n->g->qemu_info->version.text);
	snprintf(r.started_at, sizeof(r.started_at), "%s", n->started_at);
	r.boot_seconds = n->agent[NI_BASELINE].boot_seconds;
	r.total_seconds = now_s() - n->start;
	r.ktap = ktap_parser_run(parser);
	r.verdict = n->infra_error[0] ? VERDICT_INFRA : run_result_verdict(&r);
	r.interrupted = n->interrupted;
	snprintf(r.infra_error, sizeof(r.infra_error), "%s", n->infra_error);
	report_result(n, report_write_run_files(&r, n->out, why, sizeof(why)), why);
	snprintf(path, sizeof(path), "%s/non-interference.json", n->out);
	report_result(n, ni_report_json(n, path, why, sizeof(why)), why);
	/* A report that cannot be written fails the run, after showing what was measured. */
	if ((rc = report_terminal_print(&r, stdout)) < 0)
		report_result(n, rc, "stdout: cannot print the results");
	if (r.verdict == VERDICT_INFRA)
		fprintf(stderr, "guestcheck: %s: ERROR: %s\n", r.scenario, r.infra_error);
	printf("results: %s\n", n->out);
	logs_cut = print_cut_logs(n);
	if (n->report_status < 0)
		fprintf(stderr, "guestcheck: %s\n", n->report_error);
	ktap_parser_free(parser);
	return n->report_status < 0 || logs_cut ? VERDICT_INFRA : r.verdict;
}

int noninterference_run(const struct run_options *o, const struct guest *g)
{
	struct ni_run *n = calloc(1, sizeof(*n));
	time_t wall = time(NULL);
	sigset_t stop, old_mask;
	char err[1024];
	int ret, r;

	if (!n) {
		fprintf(stderr, "guestcheck: out of memory\n");
		return VERDICT_INFRA;
	}
	n->o = o;
	n->g = g;
	n->workdir_owner = -1;
	n->sc = g->scenario; /* shares the parsed file: never freed through this copy */
	n->start = now_s();
	strftime(n->started_at, sizeof(n->started_at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&wall));
	/*
	 * Held for the whole run (vm.c holds them only during a boot): one that
	 * comes between two boots is taken there, as one during a boot is,
	 * instead of killing the runner with its work folder and reports undone.
	 */
	vm_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, &old_mask);
	/*
	 * A failure with a stop signal pending is the signal's doing (a Ctrl-C
	 * reaches the terminal's whole process group, qemu-img included).
	 */
	r = prepare(n, err, sizeof(err));
	if (r < 0 && !stopped(n, STOP_PREPARING))
		snprintf(n->infra_error, sizeof(n->infra_error), "%s", err);
	if (r < 0 || stopped(n, STOP_PREPARING)) {
		ret = finish(n);
		goto out;
	}
	say(n, "phase 1 of 3: baseline (the agent fingerprints %zu protected card%s)", n->ncards,
	    n->ncards == 1 ? "" : "s");
	if (baseline(n) == 0) {
		after_phase(n, NI_BASELINE);
		if (stopped(n, STOP_BETWEEN))
			goto done;
		say(n, "phase 2 of 3: installer (%s, time limit %.0f s)",
		    n->plan.image[0] ? n->plan.image : n->plan.initrd, n->plan.timeout_ms / 1000.0);
		r = installer(n);
		if (r == 0 || n->interrupted)
			after_phase(n, NI_INSTALLER);
		if (r < 0 || stopped(n, STOP_BETWEEN))
			goto done;
		say(n, "phase 3 of 3: verify (the agent again, on what the installer left)");
		attach_phase(n, NI_VERIFY);
		if (agent_boot(n, NI_VERIFY, n->accel, n->sc.boot_timeout_ms, 0, "") < 0)
			snprintf(n->infra_error, sizeof(n->infra_error), "verify: %s",
				 n->agent[NI_VERIFY].infra_error);
		after_phase(n, NI_VERIFY);
	} else if (!n->infra_error[0]) {
		after_phase(n, NI_BASELINE);
		snprintf(n->infra_error, sizeof(n->infra_error), "baseline: %s",
			 n->agent[NI_BASELINE].infra_error);
	}
done:
	ret = finish(n);
out:
	run_dir_remove(n->workdir, n->workdir_owner, o->keep_rundir);
	if (n->workdir[0] && o->keep_rundir)
		fprintf(stderr, "guestcheck: kept the overlays in %s\n", n->workdir);
	/* A second signal during the reports: the run is ending anyway. */
	while (sigtimedwait(&stop, NULL, &(const struct timespec){ 0 }) > 0)
		;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	for (int p = 0; p < NI_PHASES; p++) {
		ktap_parser_free(n->parser[p]);
		free(n->agent[p].console_tail);
	}
	free(n->installer.console_tail);
	free(n);
	return ret;
}
