/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KTAP lines as the host writes them, for every KTAP document it makes
 * (results.ktap, a non-interference run's verdicts): text that came from a
 * guest or a user never starts a directive or a line of its own.
 */
#ifndef GUESTCHECK_KTAP_LINES_H
#define GUESTCHECK_KTAP_LINES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "macro.h"

/* "VERSION\n1..N\n": "KTAP version 1", or the kselftest harness's "TAP version 13". */
void ktap_put_header(FILE *f, const char *version, size_t ntests);

/* One "# LINE" per line of text ("#" for an empty line); nothing for NULL or "". */
void ktap_put_diagnostics(FILE *f, const char *text);

/* A formatted diagnostic, through ktap_put_diagnostics(); "#" when it is empty. */
void ktap_put_diag(FILE *f, const char *fmt, ...) __printf(2, 3);
void ktap_put_vdiag(FILE *f, const char *fmt, va_list ap) __printf(2, 0);

/* The text after a directive: its first line, sanitised, '#' as '_'. */
void ktap_put_reason(FILE *f, const char *reason);

/*
 * "ok N NAME" or "not ok N NAME" ('#' in NAME as '_'), then
 * " # DIRECTIVE REASON" when directive ("SKIP", "XFAIL", ...) is not NULL.
 */
void ktap_put_result(FILE *f, bool ok, size_t number, const char *name, const char *directive,
		     const char *reason);

#endif
