/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options of `guestcheck run` and `qemu-args`, and the guest they resolve to. */
#ifndef GUESTCHECK_RUN_OPTIONS_H
#define GUESTCHECK_RUN_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include "accel.h"
#include "scenario.h"

#define RUN_MAX_ARGS 256

struct run_options {
	const char *scenario_path; /* the first SCENARIO */
	char *scenarios[RUN_MAX_ARGS]; /* every SCENARIO or DIR named (run) */
	size_t nscenarios;
	const char *kernels[16]; /* every --kernel: a kernel matrix (run) */
	size_t nkernels;
	unsigned int jobs;      /* -j: guests at once (run) */
	unsigned int shard, nshards; /* --shard I/N, 1-based; 0/0 when not sharded */
	unsigned int retries;   /* --retries N: re-run a failed job up to N times */
	char results_dir[PATH_MAX];
	enum accel_mode accel;
	uint64_t kvm_watchdog_ms;
	const char *kernel;    /* --kernel */
	const char *initramfs; /* --initramfs */
	bool keep_rundir;
	bool quiet;
};

/*
 * 1 to go on; 0 when --help was printed; -2 on bad usage (message printed).
 * `many`: several SCENARIOs/DIRs and the run-set options are allowed.
 */
int run_options_parse(struct run_options *o, int argc, char **argv, bool many);

struct guest {
	struct scenario scenario;
	char kernel[PATH_MAX];
	char release[128];
	char initramfs[PATH_MAX];
	const char *qemu;
};

/*
 * Load the scenario, pick the kernel and the base initramfs. 0, or the exit
 * status (2 bad scenario or option, 3 a missing kernel or image) after one
 * line on stderr.
 */
int guest_resolve(struct guest *g, const struct run_options *o);
/* Like guest_resolve, but a missing initramfs is not an error (qemu-args). */
int guest_resolve_no_image(struct guest *g, const struct run_options *o);
void guest_free(struct guest *g);

#endif
