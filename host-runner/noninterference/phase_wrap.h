/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The installer's initrd, wrapped with guestcheck's write monitor: the
 * user's initrd, then an appended newc archive holding busybox (taken from
 * the base image) and /guestcheck/init, a shell script the kernel runs as
 * rdinit. It starts a background loop that prints the kernel's I/O
 * counters of every MMC/SD card on the console (PHASE_MONITOR_PREFIX
 * lines) and then execs the installer's own init, which stays PID 1.
 *
 * The loop uses shell builtins only, so it keeps running when the
 * installer switches root and the initramfs files are deleted.
 */
#ifndef GUESTCHECK_PHASE_WRAP_H
#define GUESTCHECK_PHASE_WRAP_H

#include <stddef.h>

#define PHASE_WRAP_RDINIT    "/guestcheck/init"
#define PHASE_MONITOR_PREFIX "guestcheck-monitor: "

/*
 * Write `out`: `initrd` + the monitor archive. `init` is the installer's
 * own init (its rdinit=, else /init); `base` the base initramfs that holds
 * bin/busybox. 0 or -errno, message in err.
 */
int phase_wrap_initrd(const char *initrd, const char *base, const char *init, const char *out,
		      char *err, size_t errsize);

/* The rdinit= the installer's command line names, or "/init". */
void phase_wrap_real_init(const char *append, char *buf, size_t size);

#endif
