/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options of `guestcheck run` and `qemu-args`, and the guest they resolve to. */
#ifndef GUESTCHECK_RUN_OPTIONS_H
#define GUESTCHECK_RUN_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "scenario/scenario.h"
#include "vm/accel.h"
#include "vm/qemu_probe.h"

#define RUN_MAX_ARGS  256
#define RUN_MAX_QEMUS 8

struct run_options {
	const char *scenario_path;     /* the first SCENARIO */
	char *scenarios[RUN_MAX_ARGS]; /* every SCENARIO or DIR named (run) */
	size_t nscenarios;
	const char *kernels[16]; /* every --kernel: a kernel matrix (run) */
	size_t nkernels;
	const char *qemus[RUN_MAX_QEMUS]; /* every --qemu: a QEMU matrix (run) */
	size_t nqemus;
	const char *qemu; /* --qemu: this run's (a job's), or NULL */
	/* The QEMU binaries asked so far; a run set's, asked before its jobs fork. */
	struct qemu_cache *qemu_cache;
	unsigned int jobs;	     /* -j: guests at once (run) */
	unsigned int shard, nshards; /* --shard I/N, 1-based; 0/0 when not sharded */
	unsigned int retries;	     /* --retries N: re-run a failed job up to N times */
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
	/* --qemu, $GUESTCHECK_QEMU (each for the scenario's arch), or the arch's own */
	char qemu[PATH_MAX];
	const char *qemu_named;	       /* the --qemu FILE or $GUESTCHECK_QEMU, or NULL */
	const char *qemu_named_by;     /* "--qemu", "GUESTCHECK_QEMU", or NULL: the default */
	struct qemu_binary *qemu_info; /* after guest_probe_qemu(): version, devices */
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

/*
 * A kernel for another architecture than scenario s's (kernel_arch()) would
 * boot into silence until the boot timeout: refused in one line naming both
 * and the fix. named_by says where it came from ("--kernel", ...). 0 or 2.
 */
int guest_kernel_fits(const char *kernel, const char *named_by, const struct scenario *s);

/*
 * The QEMU binary the guest runs, from the cache (asked once per binary):
 * found, its version read, and able to run the scenario (qemu_check_scenario).
 * 0, or the exit status (2 a --qemu or $GUESTCHECK_QEMU that is no QEMU, 3 a
 * missing default QEMU, or one too old or without a device the scenario
 * needs) with the one-line message in err.
 */
int guest_probe_qemu(struct guest *g, struct qemu_cache *cache, char *err, size_t errsize);

/*
 * The QEMU binary for scenario s: `named` (--qemu FILE or $GUESTCHECK_QEMU)
 * for s's arch (qemu_for_arch()), or s's arch's own when NULL.
 */
void guest_qemu_path(const char *named, const struct scenario *s, char *buf, size_t size);

#endif
