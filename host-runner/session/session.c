// SPDX-License-Identifier: GPL-2.0-or-later
#include "session/session.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"
#include "macro.h"
#include "protocol.h"
#include "write_file.h"

#include "devices/device_type.h"
#include "session/area.h"
#include "session/initrd.h"
#include "vm/qemu_argv.h"
#include "vm/qmp.h"
#include "vm/vcpu_progress.h"
#include "vm/vcpu_state.h"
#include "vm/vm.h"

#define POWEROFF_WAIT_MS 10000
/* One look at a late guest's vCPUs; QEMU answers in milliseconds when it can. */
#define VCPU_STATE_WAIT_MS 2000
#define VCPU_STATE_MAX	   64
/*
 * One pass of the loop (the areas' ticks, a QMP command) longer than this is
 * said: the guest's port is not read meanwhile, and a deadline can pass.
 */
#define LOOP_PASS_SLOW_S 2.0
#define MAX_AREAS	 8

struct session {
	const struct session_config *c;
	struct run_result *r;
	struct ktap_parser *parser;
	struct vm_config vc;
	struct vm *vm;
	double start;
	bool hello, end;
	bool guest_wrote;	 /* a byte on the console or the agent's port */
	struct vcpu_watch watch; /* with c->sign_ms */
	size_t reported;	 /* results already shown as progress */
	struct area_ctx ctx;
	/* The areas the scenario wants, in host_areas[] order, as far as started. */
	struct {
		const struct host_area_ops *ops;
		void *state;
	} areas[MAX_AREAS];
	size_t nareas;
};

/* Call one member of every started area that has it. */
#define for_areas(s, member, ...)                                                                  \
	for (size_t _i = 0; _i < (s)->nareas; _i++)                                                \
		if ((s)->areas[_i].ops->member)                                                    \
	(s)->areas[_i].ops->member(&(s)->ctx, (s)->areas[_i].state, ##__VA_ARGS__)

/*
 * The same for a member that writes files (at_end, report): every area's is
 * attempted, the first that could not be written is kept in the run's result.
 */
#define for_areas_files(s, member, ...)                                                            \
	for (size_t _i = 0; _i < (s)->nareas; _i++)                                                \
		if ((s)->areas[_i].ops->member) {                                                  \
			char _err[sizeof((s)->r->boot_file_error)];                                \
			int _rc = (s)->areas[_i].ops->member(&(s)->ctx, (s)->areas[_i].state,      \
							     ##__VA_ARGS__, _err, sizeof(_err));   \
                                                                                                   \
			if (_rc < 0 && !(s)->r->boot_file_status)                                  \
				(s)->r->boot_file_status =                                         \
					errmsg((s)->r->boot_file_error,                            \
					       sizeof((s)->r->boot_file_error), _rc, "%s", _err);  \
		}

static void progress(struct session *s, const char *fmt, ...) __printf(2, 3);
static void progress(struct session *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->c->progress)
		return;
	fprintf(s->c->progress, "[%6.1fs] %s: ", now_s() - s->start, s->c->scenario->name);
	va_start(ap, fmt);
	vfprintf(s->c->progress, fmt, ap);
	va_end(ap);
	fputc('\n', s->c->progress);
	fflush(s->c->progress);
}

/* The agent's port: bytes as they came (vm.h has logged them). */
static void on_ktap(void *opaque, const char *buf, size_t len)
{
	struct session *s = opaque;
	const struct ktap_run *run;

	s->guest_wrote |= len > 0;
	ktap_parser_feed(s->parser, buf, len);
	run = ktap_parser_run(s->parser);
	if (!s->hello && run->saw_hello) {
		s->hello = true;
		s->r->boot_seconds = now_s() - s->start;
		progress(s, "guest up after %.1f s (kernel %s, agent %s)", s->r->boot_seconds,
			 run->guest_kernel, run->agent_version);
	}
	for_areas(s, on_ktap, run);
	for (; s->reported < run->ntests; s->reported++) {
		const struct ktap_test *t = &run->tests[s->reported];

		if (t->status == KTAP_NOT_RUN)
			break;
		progress(s, "%-7s %s", ktap_status_name(t->status), t->name);
	}
	if (!s->end && run->saw_end) {
		s->end = true;
		for_areas_files(s, at_end, vm_qmp(s->vm));
		/* Release the agent: it waits for this before powering off. */
		vm_send_ktap(s->vm, AGENT_ACK_LINE, strlen(AGENT_ACK_LINE));
	}
}

/* The console: only that the guest wrote (vm.h logs the bytes). */
static void on_console(void *opaque, const char *buf, size_t len)
{
	struct session *s = opaque;

	(void)buf;
	s->guest_wrote |= len > 0;
}

/*
 * With c->sign_ms: do the vCPUs run? A look over QMP when one is due. 1
 * once they did, 0 while it is too early to say, -EHOSTDOWN when they did
 * not in time (s->watch.why says which sign was missing).
 */
static int watch_vcpus(struct session *s)
{
	struct vcpu_watch *w = &s->watch;
	struct qmp *q = vm_qmp(s->vm);
	double now = now_s();
	struct vcpu_look look;
	char err[160];
	int r;

	if (w->seen)
		return 1;
	if (q && !s->guest_wrote && vcpu_watch_look_due(w, now)) {
		int left = (int)((w->deadline - now) * 1000);

		/* A look must not outlast the time the vCPUs have. */
		left = left < 50 ? 50 : left > VCPU_LOOK_TIMEOUT_MS ? VCPU_LOOK_TIMEOUT_MS : left;
		r = vcpu_look(q, left, &look, err, sizeof(err));
		r = vcpu_watch_judge(w, now_s(), r < 0 ? NULL : &look, r < 0 ? err : NULL,
				     s->guest_wrote);
	} else {
		r = vcpu_watch_judge(w, now, NULL, NULL, s->guest_wrote);
	}
	if (r > 0)
		progress(s, "vCPUs run under %s after %.2f s: %s", s->c->accel, w->seen_after,
			 w->why);
	return r;
}

static int infra(struct session *s, int r, const char *fmt, ...) __printf(3, 4);
static int infra(struct session *s, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->r->infra_error, sizeof(s->r->infra_error), fmt, ap);
	va_end(ap);
	s->r->verdict = VERDICT_INFRA;
	return r;
}

static void write_copy(struct session *s, const char *name, const char *text);

/*
 * A guest late with its hello: the console says how far the kernel got, this
 * says what the guest does now. Where its vCPUs are, in one line, and the
 * whole register dump in vcpus.txt beside console.log.
 */
static void look_at_vcpus(struct session *s, char *line, size_t size)
{
	struct vcpu_state v[VCPU_STATE_MAX];
	_cleanup_free_ char *dump = NULL;
	struct qmp *q = vm_qmp(s->vm);

	if (!q) {
		snprintf(line, size, "no QMP to look at its vCPUs");
		return;
	}
	if (qmp_hmp(q, "info registers -a", VCPU_STATE_WAIT_MS, &dump) < 0) {
		snprintf(line, size, "no look at its vCPUs: `info registers -a`: %s", qmp_error(q));
		return;
	}
	write_copy(s, "vcpus.txt", dump);
	vcpu_states_describe(v, vcpu_states_parse(dump, v, ARRAY_SIZE(v)), line, size);
}

static int loop(struct session *s)
{
	double deadline = s->start + s->c->hello_timeout_ms / 1000.0;
	const struct scenario *sc = s->c->scenario;
	bool run_clock = false, poweroff_clock = false, exited = false, last_read = false;

	for (;;) {
		int timeout = (int)((deadline - now_s()) * 1000) + 1, ev;
		double pass_start = now_s(), held;

		/*
		 * At the deadline, one more read that does not wait: a pass that
		 * overran it (see LOOP_PASS_SLOW_S) may have left the hello unread.
		 */
		if (now_s() >= deadline) {
			if (last_read)
				break;
			last_read = true;
			timeout = 0;
		} else {
			last_read = false;
		}
		timeout = timeout > 100 ? 100 : timeout;
		ev = vm_poll(s->vm, timeout);
		if (ev < 0)
			return infra(s, ev, "poll failed: %s", strerror(-ev));
		if (ev & VM_SIGNAL) {
			s->r->interrupted = vm_signal(s->vm);
			return infra(s, -EINTR, "interrupted by signal %d: results so far are kept",
				     s->r->interrupted);
		}
		if (ev & VM_QMP_FAILED)
			progress(s, "%s", vm_qmp_error(s->vm));
		if (ev & VM_EXITED) {
			exited = true;
			break;
		}
		if (vm_ktap_dropped(s->vm))
			return infra(s, -EMSGSIZE,
				     "the guest sent more than %u MiB of KTAP: stopped it; the "
				     "results so far are kept",
				     SESSION_MAX_KTAP_BYTES >> 20);
		/* Boot clock until hello, run clock until end, then power-off grace. */
		if (s->hello && !run_clock) {
			run_clock = true;
			deadline = now_s() + sc->run_timeout_ms / 1000.0;
		}
		if (s->end && !poweroff_clock) {
			poweroff_clock = true;
			deadline = now_s() + POWEROFF_WAIT_MS / 1000.0;
		}
		for_areas(s, tick);
		if (s->c->sign_ms && watch_vcpus(s) < 0)
			return infra(s, -EHOSTDOWN, "%s", s->watch.why);
		held = now_s() - pass_start - timeout / 1000.0;
		if (held > LOOP_PASS_SLOW_S)
			progress(s,
				 "note: the runner's loop was held %.1f s in one pass (the areas' "
				 "steps, QMP): the guest's bytes and the clocks waited that long",
				 held);
	}

	if (s->end)
		return 0; /* finished; a guest slow to power off is simply stopped */
	if (exited) {
		char qemu_err[256], how[32];

		vm_first_log_line(s->vm, qemu_err, sizeof(qemu_err));
		vm_exit_text(s->vm, how, sizeof(how));
		if (!s->hello)
			return infra(
				s, -ECHILD, "QEMU exited (%s) before the agent said hello: %s", how,
				qemu_err[0]
					? qemu_err
					: "the guest stopped during boot: see the console tail");
		return infra(s, -ECHILD,
			     "the guest stopped before the agent finished (QEMU %s): the agent "
			     "crashed or the kernel panicked: see the console tail",
			     how);
	}
	if (!s->hello) {
		char vcpus[320];

		look_at_vcpus(s, vcpus, sizeof(vcpus));
		return infra(s, -ETIMEDOUT,
			     "no hello from the agent within %.0f s under %s: the guest did not "
			     "boot or the agent did not start: see the console tail; %s",
			     s->c->hello_timeout_ms / 1000.0, s->c->accel, vcpus);
	}
	return infra(s, -ETIME,
		     "run timeout: the agent did not finish within %.0f s of its hello: raise "
		     "[scenario] run_timeout or see which test hung",
		     sc->run_timeout_ms / 1000.0);
}

/*
 * agent.ini and qemu-cmdline.txt are copies for the reader (the initrd holds
 * the agent's own): one that cannot be written costs the run its exit 0, not
 * its measurement, as any report does.
 */
static void write_copy(struct session *s, const char *name, const char *text)
{
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%s/%s%s", s->c->results_dir, s->c->log_prefix, name);
	r = write_file(path, text, strlen(text));
	if (r < 0 && !s->r->boot_file_status)
		s->r->boot_file_status =
			errmsg(s->r->boot_file_error, sizeof(s->r->boot_file_error), r,
			       "%s: cannot write: %s", path, strerror(-r));
}

static int prepare(struct session *s, struct strv *argv)
{
	const struct scenario *sc = s->c->scenario;
	const char *rundir = vm_rundir(s->vm);
	struct qemu_plan plan = { .binary = s->c->qemu_binary,
				  .kernel = s->c->kernel,
				  .accel = s->c->accel,
				  .rundir = rundir,
				  .machine_audiodev = s->c->machine_audiodev };
	char initrd[PATH_MAX], err[512];
	_cleanup_free_ char *config = NULL, *cmdline = NULL;
	size_t config_len = 0;
	FILE *mem;

	snprintf(initrd, sizeof(initrd), "%s/initrd.img", rundir);
	plan.initrd = initrd;
	mem = open_memstream(&config, &config_len);
	if (!mem)
		return infra(s, -ENOMEM, "out of memory");
	agent_config_write(sc, mem);
	for_areas(s, agent_config, mem);
	fclose(mem);
	write_copy(s, "agent.ini", config);
	if (initrd_write(s->c->base_initrd, config, initrd, err, sizeof(err)) < 0)
		return infra(s, -EIO, "%s", err);
	if (scenario_create_scratch_images(sc, rundir, false, err, sizeof(err)) < 0)
		return infra(s, -EIO, "%s", err);
	if (qemu_argv_build(sc, &plan, argv) < 0)
		return infra(s, -ENOMEM, "out of memory");
	cmdline = strv_join_shell(argv);
	if (!cmdline)
		return infra(s, -ENOMEM, "out of memory");
	write_copy(s, "qemu-cmdline.txt", cmdline);
	return 0;
}

/* Every area the scenario wants, in table order; an area's failure ends the boot. */
static int areas_start(struct session *s)
{
	char err[512];

	for (const struct host_area_ops *const *a = host_areas; *a; a++) {
		int r;

		if (!host_area_wanted(*a, s->c->scenario))
			continue;
		if (s->nareas == MAX_AREAS)
			return infra(s, -E2BIG, "more than %d areas: raise MAX_AREAS in %s",
				     MAX_AREAS, __FILE__);
		s->areas[s->nareas].ops = *a;
		r = (*a)->start ? (*a)->start(&s->ctx, &s->areas[s->nareas].state, err, sizeof(err))
				: 0;
		s->nareas++;
		/* -EIO: a helper's timeout must not read as the guest's missing hello. */
		if (r < 0)
			return infra(s, -EIO, "%s", err);
	}
	return 0;
}

/* Up to QEMU's start: the vm, the areas, the guest's files. */
static int setup(struct session *s, struct strv *argv)
{
	const struct session_config *c = s->c;
	char err[512];
	int r;

	/*
	 * QMP is always spoken: for an area's at_end, to look at the vCPUs while
	 * KVM is judged (watch_vcpus()) and when a guest is late with its hello
	 * (look_at_vcpus()).
	 */
	s->vc = (struct vm_config){ .results_dir = c->results_dir,
				    .log_prefix = c->log_prefix,
				    .ktap_log_max = SESSION_MAX_KTAP_BYTES,
				    .qmp = true,
				    .keep_rundir = c->keep_rundir,
				    .kept_note = c->progress,
				    .on_ktap = on_ktap,
				    .on_console = on_console,
				    .opaque = s };
	if ((r = vm_open(&s->vc, &s->vm, err, sizeof(err))) < 0)
		return infra(s, r, "%s", err);
	s->ctx = (struct area_ctx){ .scenario = c->scenario,
				    .rundir = vm_rundir(s->vm),
				    .results_dir = c->results_dir,
				    .log_prefix = c->log_prefix,
				    .progress = c->progress,
				    .run = c->run };
	if ((r = areas_start(s)) < 0)
		return r;
	return prepare(s, argv);
}

int session_run(const struct session_config *c, struct run_result *r, struct ktap_parser **parser)
{
	struct session s = { .c = c, .r = r };
	struct strv argv = { 0 };
	char err[512];
	int ret;

	snprintf(r->accel, sizeof(r->accel), "%s", c->accel);
	r->boot_seconds = -1;
	s.parser = ktap_parser_new();
	*parser = s.parser;
	if (!s.parser)
		return infra(&s, -ENOMEM, "out of memory");

	ret = setup(&s, &argv);
	if (ret < 0)
		goto out;
	s.start = s.ctx.start = now_s();
	vcpu_watch_start(&s.watch, s.start, c->sign_ms);
	if ((ret = vm_start(s.vm, argv.v, err, sizeof(err))) < 0) {
		ret = infra(&s, ret, "%s", err);
		goto out;
	}
	s.ctx.qemu_pid = vm_pid(s.vm);
	s.ctx.qemu_version = c->qemu_version;
	progress(&s, "booting under %s (kernel %s%s%s)", c->accel, c->kernel,
		 c->qemu_version ? ", QEMU " : "", c->qemu_version ?: "");
	for_areas(&s, qemu_started);
	ret = loop(&s);
out:
	/*
	 * QEMU first; the areas' records live in the run directory: report
	 * before it goes. vCPUs that never ran have nothing to flush.
	 */
	if (ret == -EHOSTDOWN)
		vm_stop_now(s.vm);
	vm_stop(s.vm);
	for_areas(&s, stop);
	/*
	 * A KVM attempt whose guest never said hello is tried again under TCG:
	 * its areas have nothing to report but that (1 Dec: "the guest never
	 * started the probe" and a QMP "Connection refused" above a fall-back).
	 */
	if (!c->log_prefix || !c->log_prefix[0] || ktap_parser_run(s.parser)->saw_hello)
		for_areas_files(&s, report, ktap_parser_run(s.parser));
	for (size_t i = 0; i < s.nareas; i++)
		if (s.areas[i].ops->free)
			s.areas[i].ops->free(s.areas[i].state);
	r->console_tail = s.vm ? vm_console_tail(s.vm, SESSION_CONSOLE_TAIL_LINES) : NULL;
	/* A log cut short is a report lost: the run says so and never exits 0. */
	vm_log_error(s.vm, r->log_error, sizeof(r->log_error));
	vm_close(s.vm);
	ktap_parser_finish(s.parser);
	r->total_seconds = s.start ? now_s() - s.start : 0;
	strv_free(&argv);
	return ret;
}
