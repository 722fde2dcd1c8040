// SPDX-License-Identifier: GPL-2.0-or-later
#include "runner.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "check_proc.h"
#include "checklist.h"
#include "clock.h"
#include "device_wait.h"
#include "ktap_out.h"
#include "schedule.h"

struct runner {
	const struct check_env *env;
	int out;
	const struct agent_check **checks; /* the selected, registry order */
	struct check_proc *procs;
	struct sched sched;
	struct ktap_totals totals;
	sigset_t child_mask; /* the mask checks run with: the runner's own */
	uint64_t t0;
	struct device_wait devices;
	bool awaiting; /* some device has not appeared yet, and there is time */
};

/* Same area, same number: the harness's "test cases". */
static size_t number_areas(struct runner *r)
{
	size_t nareas = 0;

	for (size_t i = 0; i < r->sched.n; i++) {
		size_t j = 0;

		while (j < i && r->checks[j]->area != r->checks[i]->area)
			j++;
		r->sched.items[i].area = j < i ? r->sched.items[j].area : nareas++;
		r->sched.items[i].alone = r->checks[i]->flags & CHECK_ALONE;
	}
	return nareas;
}

static void start(struct runner *r, size_t i)
{
	bool live = sched_live(&r->sched, i);

	/* A live check's turn has come (schedule.h): its lines go out as written. */
	if (live)
		ktap_out_run(r->out, r->checks[i]->name);
	sched_started(&r->sched, i);
	if (check_proc_start(&r->procs[i], r->checks[i], r->env, live ? r->out : -1,
			     &r->child_mask) < 0)
		sched_finished(&r->sched, i);
}

static void emit(struct runner *r, size_t i)
{
	struct check_proc *p = &r->procs[i];

	if (!sched_live(&r->sched, i)) {
		ktap_out_run(r->out, p->check->name);
		check_proc_copy_output(p, r->out);
	}
	ktap_out_result(r->out, i + 1, p->check->name, &p->outcome, &r->totals);
	ktap_out_ran(r->out, p->check->name, (p->started_ns - r->t0) / 1e9,
		     (p->ended_ns - r->t0) / 1e9);
	check_proc_release(p);
}

/* Which checks still wait for their area's devices (device_wait.h). */
static void look_for_devices(struct runner *r)
{
	if (!r->awaiting)
		return;
	r->awaiting = device_wait_poll(&r->devices, r->out);
	for (size_t i = 0; i < r->sched.n; i++)
		r->sched.items[i].waiting = !device_wait_ready(&r->devices, r->checks[i]->area);
}

/* Until the next child exits, the nearest deadline or the next look for devices. */
static void wait_for_event(struct runner *r)
{
	uint64_t now = now_ns(), until = UINT64_MAX;
	sigset_t chld;
	struct timespec ts;

	for (size_t i = 0; i < r->sched.n; i++)
		if (r->procs[i].pid > 0 && r->procs[i].deadline_ns < until)
			until = r->procs[i].deadline_ns;
	if (r->awaiting && now + DEVICE_WAIT_POLL_MS * 1000000ull < until)
		until = now + DEVICE_WAIT_POLL_MS * 1000000ull;
	if (until == UINT64_MAX)
		return;
	until = until > now ? until - now : 0;
	ts = (struct timespec){ .tv_sec = until / 1000000000ull, .tv_nsec = until % 1000000000ull };
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigtimedwait(&chld, NULL, &ts);
}

/* Reap what exited (orphans of a check too), end what is past its deadline. */
static void collect(struct runner *r)
{
	uint64_t now;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (size_t i = 0; i < r->sched.n; i++)
			if (r->procs[i].pid == pid) {
				check_proc_reaped(&r->procs[i], status);
				sched_finished(&r->sched, i);
			}
	now = now_ns();
	for (size_t i = 0; i < r->sched.n; i++)
		if (check_proc_expire(&r->procs[i], now))
			sched_finished(&r->sched, i);
}

static int run(struct runner *r, unsigned int device_wait_ms)
{
	size_t i;
	sigset_t chld;

	ktap_out_header(r->out, r->sched.n, number_areas(r));
	/* Blocked, a child's exit stays pending until wait_for_event takes it. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &r->child_mask);
	r->t0 = now_ns();
	/* After t0: a check held until device_wait_ms starts at t0 + device_wait_ms or later. */
	device_wait_start(&r->devices, r->env, device_wait_ms);
	r->awaiting = true;
	for (;;) {
		look_for_devices(r);
		while ((i = sched_next_emit(&r->sched)) != SCHED_NONE)
			emit(r, i);
		if (sched_complete(&r->sched))
			break;
		while ((i = sched_next_start(&r->sched)) != SCHED_NONE) {
			start(r, i);
			/* A check that could not start is done: write it before the next. */
			while ((i = sched_next_emit(&r->sched)) != SCHED_NONE)
				emit(r, i);
		}
		wait_for_event(r);
		collect(r);
	}
	sigprocmask(SIG_SETMASK, &r->child_mask, NULL);
	ktap_out_totals(r->out, &r->totals);
	return r->totals.fail ? 1 : 0;
}

int runner_run(const struct check_env *env, int out, char *const *only, size_t nonly,
	       unsigned int device_wait_ms)
{
	size_t nall, n = 0;
	const struct agent_check *all = checklist_all(&nall);
	struct runner r = { .env = env, .out = out };
	int result = 1;

	r.checks = calloc(nall, sizeof(*r.checks));
	r.procs = calloc(nall, sizeof(*r.procs));
	r.sched.items = calloc(nall, sizeof(*r.sched.items));
	if (r.checks && r.procs && r.sched.items) {
		for (size_t i = 0; i < nall; i++)
			if (checklist_selected(all[i].name, only, nonly))
				r.checks[n++] = &all[i];
		r.sched.n = n;
		result = run(&r, device_wait_ms);
	} else {
		dprintf(out, "Bail out! the agent is out of memory for %zu checks\n", nall);
	}
	free(r.checks);
	free(r.procs);
	free(r.sched.items);
	return result;
}
