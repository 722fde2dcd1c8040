/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check interface. A check is a function over a struct check_ctx: it
 * reads the system only through ctx->env->root (lib/sysroot.h) and reports
 * only through check_note/check_fail/check_skip, so the same code runs as a
 * forked child in a guest (agent/runner.c) and on the host against a
 * captured sysfs tree in a unit test.
 *
 * Adding a check: one function in checks/AREA/, one line in checks/registry.def.
 */
#ifndef GUESTCHECK_CHECK_H
#define GUESTCHECK_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "cleanup.h"
#include "config.h"
#include "device_kind.h"
#include "sysroot.h"

#define CHECK_MAX_MODULES 64

/* What the agent did before the checks run: one entry per module it loaded. */
struct module_load {
	char name[64];
	int error; /* 0, or -errno from finit_module / lookup */
	char detail[128];
};

/* Read-only context every check may use; built once by the agent. */
struct check_env {
	const struct config *config; /* the scenario / agent.ini; never NULL */
	const struct sysroot *root;  /* "" in a guest */
	const struct module_load *modules;
	size_t nmodules;
	bool pid1;		  /* the agent is the guest's init (it loaded modules itself) */
	const char *config_error; /* why the configuration was not read, or NULL */
};

struct check_ctx {
	const struct check_env *env;
	FILE *out;   /* diagnostics go here as KTAP "# " lines */
	bool failed; /* set by check_fail */
	bool skipped;
	char skip_reason[256];
	/* What the check is doing now, kept where its runner reads it when the
	 * check hangs (agent/check_proc.c); NULL in unit tests. */
	char *doing;
	size_t doing_size;
};

/*
 * Messages name the device, the operation, what was expected, what was
 * seen, and what to try: "mmcblk0: expected 512 MiB, saw 256 MiB: check the
 * -drive size".
 */
void check_note(struct check_ctx *ctx, const char *fmt, ...) __printf(2, 3);
void check_fail(struct check_ctx *ctx, const char *fmt, ...) __printf(2, 3);
void check_skip(struct check_ctx *ctx, const char *fmt, ...) __printf(2, 3);
/*
 * Before a step that may block (I/O a device may never complete, a sysfs
 * write that waits for it): what the check is doing, in words a failure can
 * carry: "sd0 (/dev/sda): scheduler none, burst 3 of 12: waiting for 17 of
 * 96 writes". Costs a snprintf; nothing is printed unless the check times
 * out, when its failure says "timed out ... while <this>".
 */
void check_doing(struct check_ctx *ctx, const char *fmt, ...) __printf(2, 3);

typedef int (*check_fn)(struct check_ctx *ctx); /* 0, or -errno on an error it did not report */

/* The scenario's [device NAME] sections. */
struct check_device {
	const char *name;		/* "sd0" */
	const char *type;		/* "sd-card": as written, for messages */
	const struct device_kind *kind; /* &sd_card_kind; NULL: a type this agent does not know */
	const struct config_section *section;
};
/* Every device (kind NULL) or those of one kind, in order; counts past max. */
size_t check_devices(const struct check_env *env, const struct device_kind *kind,
		     struct check_device *out, size_t max);
const char *check_device_get(const struct check_device *dev, const char *key);

/* registry.def's flags: run with no other check running (see there why). */
#define CHECK_ALONE (1u << 0)

/* The check functions, one per registry.def line. */
#define AREA(area, devices)
#define CHECK(area, name, timeout, fn, flags, summary) int fn(struct check_ctx *ctx);
#include "registry.def"
#undef AREA
#undef CHECK

#endif
