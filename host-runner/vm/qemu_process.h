/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU's life belongs to the runner (after QEMU's own libqtest): QEMU dies
 * with the runner (PR_SET_PDEATHSIG), and every exit path stops it: SIGTERM,
 * a grace period, then SIGKILL.
 */
#ifndef GUESTCHECK_QEMU_PROCESS_H
#define GUESTCHECK_QEMU_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

/* Start argv[0] with stdin from /dev/null, stdout and stderr to log_path. */
int qemu_spawn(char *const argv[], const char *log_path, pid_t *pid);

/* Reaped already? Fills the wait status when it has exited. */
bool qemu_exited(pid_t pid, int *status);

/* Stop and reap; returns the wait status, or -1 if it was already reaped. */
int qemu_stop(pid_t pid, unsigned int grace_ms);

#endif
