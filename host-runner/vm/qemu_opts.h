/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QEMU command line `run` builds, regrouped as QEMU's own option groups
 * ([device "id"] driver = ..., [drive "id"] ...), so every export is derived
 * from the same arguments a run starts and cannot drift from them.
 */
#ifndef GUESTCHECK_QEMU_OPTS_H
#define GUESTCHECK_QEMU_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "strv.h"

struct qemu_prop {
	char *key;
	char *value;
};

struct qemu_group {
	char *group; /* "device", "drive", "netdev", "chardev", "machine", "memory", ... */
	char *id;    /* "" for unnamed groups (machine, memory, smp-opts) */
	struct qemu_prop *props;
	size_t nprops;
};

struct qemu_config {
	struct qemu_group *groups;
	size_t ngroups;
	struct strv flags; /* what has no group: -nodefaults, -no-reboot, -display none */
};

/*
 * Split "driver,key=value,..." (",," is a literal comma) into props; the
 * first element, when it has no '=', becomes `implied_key` (driver, type,
 * backend...). 0 or -EINVAL / -ENOMEM.
 */
int qemu_opts_split(const char *opts, const char *implied_key, struct qemu_group *out);

/* Regroup a whole argv (argv[0] is the binary). 0, -EINVAL naming nothing, -ENOMEM. */
int qemu_config_from_argv(char *const *argv, struct qemu_config *cfg);
void qemu_config_free(struct qemu_config *cfg);

const char *qemu_group_get(const struct qemu_group *g, const char *key);
int qemu_group_set(struct qemu_group *g, const char *key, const char *value);
void qemu_group_del(struct qemu_group *g, const char *key);
struct qemu_group *qemu_config_find(struct qemu_config *cfg, const char *group, const char *id);

/* "a,,b" for a value holding a comma: QEMU's own escaping. Caller frees. */
char *qemu_opts_escape(const char *value);

#endif
