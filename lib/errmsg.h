/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The project's one error convention, in the spirit of util-linux's err()/
 * errx(), for code that must not exit (the agent may be PID 1; the runner
 * tears QEMU down before it exits):
 *
 *   - a function returns 0 on success and a negative errno on failure
 *     (-EINVAL for bad input: a scenario, an option, a guest's bytes);
 *     "not present" is a distinct value its header documents;
 *   - the caller passes (char *err, size_t errsize); the failing function
 *     writes one sentence naming the thing, the operation, what it saw and
 *     the fix, with errmsg(), which returns the code it is given:
 *
 *         return errmsg(err, errsize, -ENOENT, "%s: no such kernel: %s", path, fix);
 *
 *   - only main() and the commands in host-runner/cli/ turn a code into an
 *     exit status (0 pass, 1 checks failed, 2 usage or input, 3 infrastructure).
 *
 * A message longer than the buffer ends in "(cut)", never silently short: a
 * cut sentence once lost the one word that said what to do.
 */
#ifndef GUESTCHECK_ERRMSG_H
#define GUESTCHECK_ERRMSG_H

#include <stdarg.h>
#include <stddef.h>

#include "macro.h"

/* Write the message into err (when err is not NULL) and return code. */
int errmsg(char *err, size_t errsize, int code, const char *fmt, ...) __printf(4, 5);
int verrmsg(char *err, size_t errsize, int code, const char *fmt, va_list ap) __printf(4, 0);

/* Add ": " and the message to what err holds (context from a caller). Returns code. */
int errmsg_prefix(char *err, size_t errsize, int code, const char *fmt, ...) __printf(4, 5);

#endif
