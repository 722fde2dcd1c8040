/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef GUESTCHECK_RUN_DIR_H
#define GUESTCHECK_RUN_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Private run directories ($TMPDIR/guestcheck-XXXXXX: sockets, the initrd,
 * scratch images) that a killed runner cannot leave behind for good.
 *
 * Each holds RUN_DIR_OWNER, locked with flock() for as long as its runner,
 * or a job it forked, is alive: the kernel drops the lock when the last
 * holder dies, SIGKILL included. Creating a run directory first removes every
 * sibling named guestcheck-* whose owner file nobody holds any more. A folder
 * without one (kept with --keep-rundir, made by an older guestcheck or by
 * anything else) is never touched, nor one owned by another user.
 */
#define RUN_DIR_OWNER  ".owner"
#define RUN_DIR_PREFIX "guestcheck-"

/*
 * path: a mkdtemp() template (PARENT/guestcheck-...XXXXXX), completed in place.
 * Stale siblings removed are named on note (when not NULL), one line each.
 * Returns the owner file's descriptor (close-on-exec, to hand back to
 * run_dir_remove()), or -errno with err saying what failed.
 */
int run_dir_create(char *path, FILE *note, char *err, size_t errsize);

/* The folder and all in it removed; with keep, only the ownership: never swept. */
void run_dir_remove(const char *path, int owner_fd, bool keep);

/* Every stale run directory (guestcheck-*) in parent removed. */
void run_dir_sweep(const char *parent, FILE *note);

#endif
