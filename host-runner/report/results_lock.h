/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef GUESTCHECK_RESULTS_LOCK_H
#define GUESTCHECK_RESULTS_LOCK_H

#include <stddef.h>

/*
 * One run per results folder. Two runners given one -o would each write half
 * of the reports (measured: the folder held the second's junit.xml beside the
 * first's console.log, and the first said PASS). The folder's lock file
 * (RESULTS_LOCK, holding the pid) is locked with flock() for the run's life;
 * the kernel drops it when the runner dies, even by SIGKILL, so a killed run
 * never blocks the next.
 *
 * Returns the lock's descriptor (close-on-exec; closing it ends the claim),
 * -EBUSY with err naming the other run's pid and the fix, or -errno.
 */
#define RESULTS_LOCK ".guestcheck.lock"

int results_dir_claim(const char *dir, char *err, size_t errsize);

#endif
