/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host parts of a check area, behind one interface: the session and
 * the QEMU command line know no area by name; they call what each area in
 * host_areas[] provides (after selftests/vfio's lib/drivers/, one table of
 * drivers). Adding an area's host part = one const struct in the area's
 * folder and one line in areas.c.
 *
 * For every area whose wanted() says yes, in this order:
 *
 *   qemu_args     while the command line is built (qemu_argv_build(), pure)
 *   start         the run directory exists, QEMU does not yet
 *   agent_config  into agent.ini
 *   qemu_started  QEMU was started
 *   on_ktap       after every read of the agent's port
 *   tick          every turn of the session's loop (about every 100 ms)
 *   at_end        the agent said `end`, before it is released to power off
 *   stop          QEMU is stopped and reaped
 *   report        the area's files in the results directory; the run
 *                 directory still exists
 *
 * at_end and report return 0, or -errno with one sentence in err naming a
 * file of the area's that could not be written: the run then exits 3, as
 * for its own reports (its verdict is still shown).
 *   free
 *
 * Every member may be NULL. Once an area's turn to start came (even when
 * its start failed, or QEMU never started), stop, report and free are
 * called. A session is one boot: a KVM attempt and its TCG retry each run
 * the whole sequence.
 */
#ifndef GUESTCHECK_AREA_H
#define GUESTCHECK_AREA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "strv.h"

#include "scenario/scenario.h"
#include "session/ktap_parse.h"

struct guest;
struct qmp;
struct run_options;

/* What a session tells its areas; it outlives every call. */
struct area_ctx {
	const struct scenario *scenario;
	const char *rundir;	  /* private to this boot: sockets, scratch files */
	const char *results_dir;  /* the area's files go there... */
	const char *log_prefix;	  /* ...with this before their names: "" or "kvm-attempt-" */
	FILE *progress;		  /* live progress lines, or NULL */
	double start;		  /* CLOCK_MONOTONIC s of QEMU's start; before it, 0 */
	pid_t qemu_pid;		  /* once started; else 0 */
	const char *qemu_version; /* "10.0.2", or NULL */
	/*
	 * The run that started the session, for an area that is a kind of run
	 * (non-interference: its struct ni_run); NULL otherwise.
	 */
	void *run;
};

struct host_area_ops {
	const char *name;
	/* Does the scenario use this area? No other member is called when not. */
	bool (*wanted)(const struct scenario *s);
	/*
	 * An area that is a kind of run (a scenario's kind): `run` calls this
	 * instead of one agent session. It runs its boots (each a session
	 * whose areas get the run as ctx->run), writes the reports and returns
	 * the exit status (cli/commands.h).
	 */
	int (*run)(const struct run_options *o, const struct guest *g);
	/* Extra QEMU arguments; rundir is escaped for QEMU's options already. */
	void (*qemu_args)(const struct scenario *s, const char *rundir, struct strv *argv);
	/*
	 * Start what the area runs beside QEMU; *state is handed to every
	 * later member. 0, or -errno with one sentence in err, naming the area
	 * (the boot then ends as an infrastructure error).
	 */
	int (*start)(const struct area_ctx *ctx, void **state, char *err, size_t errsize);
	/* Sections of the area's own in the guest's agent.ini. */
	void (*agent_config)(const struct area_ctx *ctx, void *state, FILE *out);
	void (*qemu_started)(const struct area_ctx *ctx, void *state);
	/* The KTAP so far (the guest's, untrusted but parsed and bounded). */
	void (*on_ktap)(const struct area_ctx *ctx, void *state, const struct ktap_run *run);
	void (*tick)(const struct area_ctx *ctx, void *state);
	/*
	 * The agent finished, the guest still runs. qmp is the session's
	 * negotiated monitor, or NULL when QEMU's QMP did not answer. An area
	 * with at_end makes the session speak QMP.
	 */
	int (*at_end)(const struct area_ctx *ctx, void *state, struct qmp *qmp, char *err,
		      size_t errsize);
	void (*stop)(const struct area_ctx *ctx, void *state);
	/* run: the KTAP as it ended, or NULL. */
	int (*report)(const struct area_ctx *ctx, void *state, const struct ktap_run *run,
		      char *err, size_t errsize);
	void (*free)(void *state);
};

/* Every area with host parts (areas.c), NULL-terminated. */
extern const struct host_area_ops *const host_areas[];

static inline bool host_area_wanted(const struct host_area_ops *a, const struct scenario *s)
{
	return !a->wanted || a->wanted(s);
}

/* The area whose run the scenario is (host_area_ops.run), or NULL for one agent session. */
const struct host_area_ops *host_area_run_kind(const struct scenario *s);

/* The areas' extra QEMU arguments, for qemu_argv_build(). rundir escaped. */
void host_areas_qemu_args(const struct scenario *s, const char *rundir, struct strv *argv);

#endif
