/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel modules, loaded the way modprobe would: dependencies first, as the
 * kernel's modules.dep lists them, but with no modprobe in the image.
 */
#ifndef GUESTCHECK_AGENT_MODULES_H
#define GUESTCHECK_AGENT_MODULES_H

#include <stddef.h>

#include "check.h"

struct module_dep_table;

/* Parse the text of a modules.dep ("path.ko: dep.ko dep.ko"). NULL on ENOMEM. */
struct module_dep_table *module_deps_parse(const char *text);
void module_deps_free(struct module_dep_table *t);

/* "sdhci-pci", "sdhci_pci" and "kernel/.../sdhci-pci.ko" name the same module. */
void module_name_normalise(const char *in, char *out, size_t size);

/*
 * The module files to load for `name`, dependencies first, each once, and
 * appended to `order` after what is there already (so several names share
 * one order with no repeats). Returns the new count, -ENOENT if `name` is
 * not in the table, -ELOOP on a dependency cycle, -E2BIG if max is exceeded.
 */
int module_deps_resolve(const struct module_dep_table *t, const char *name, const char **order,
			size_t count, size_t max);

/*
 * Load every module in the space/comma separated `names` (and their
 * dependencies) from /lib/modules/`release`. Results go to out[], one per
 * requested name; returns how many entries were written.
 */
size_t modules_load(const char *release, const char *names, struct module_load *out, size_t max);

/*
 * Load one module with a parameter string ("nr_devices=0"), its dependencies
 * first and without parameters, from /lib/modules/`release`. The result goes
 * to *out as in modules_load(); returns out->error. A module that is already
 * loaded keeps the parameters it had (-EEXIST is reported, not ignored).
 */
int module_load_params(const char *release, const char *name, const char *params,
		       struct module_load *out);

#endif
