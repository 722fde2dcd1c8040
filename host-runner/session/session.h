/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One boot of one scenario with the agent: its configuration and initrd,
 * QEMU (vm.h owns it: run directory, sockets, logs, teardown), the KTAP
 * stream, the boot, run and power-off clocks.
 */
#ifndef GUESTCHECK_SESSION_H
#define GUESTCHECK_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/scenario.h"
#include "session/ktap_parse.h"
#include "session/run_result.h"

/* A guest that sends more than this is stopped: results so far are kept. */
#define SESSION_MAX_KTAP_BYTES	   (64u << 20)
#define SESSION_CONSOLE_TAIL_LINES 30

struct session_config {
	const struct scenario *scenario;
	const char *qemu_binary;
	const char *qemu_version; /* "10.0.2" for the progress line, or NULL */
	bool machine_audiodev;	  /* the machine takes audiodev= (qemu_argv.h) */
	const char *kernel;
	const char *base_initrd;
	const char *accel;	   /* "tcg" or "kvm" */
	uint64_t hello_timeout_ms; /* the boot timeout, or the KVM watchdog */
	/*
	 * Above 0 (--accel auto's KVM try): the vCPUs must show within this,
	 * from QEMU's start, that they run (vm/vcpu_progress.h), or the boot
	 * stops at once; hello_timeout_ms still applies after the sign.
	 */
	uint64_t sign_ms;
	const char *results_dir; /* exists; raw logs are written as they arrive */
	const char *log_prefix;	 /* "" normally; "kvm-attempt-" for a KVM try */
	FILE *progress;		 /* live progress lines, or NULL */
	bool keep_rundir;
	/*
	 * The run that started the session, for the area that is its kind
	 * (area.h: ctx->run), or NULL. The areas themselves come from
	 * host_areas[]: those the scenario wants take part.
	 */
	void *run;
};

/*
 * Runs the guest and fills r (accel, timings, infra_error, console_tail)
 * and *parser (the KTAP seen, even when the run failed half-way).
 * Returns 0 when the agent finished, -EHOSTDOWN when the vCPUs showed no
 * sign of running within sign_ms, -ETIMEDOUT when no hello came within
 * hello_timeout_ms, -EINTR when a signal stopped the run, and another
 * -errno for other infrastructure errors; r->infra_error says which.
 */
int session_run(const struct session_config *c, struct run_result *r, struct ktap_parser **parser);

#endif
