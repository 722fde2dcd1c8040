/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing a file so that a failure is seen: a full disk often shows only when
 * the stdio buffer is flushed or the file closed, so both are checked.
 */
#ifndef GUESTCHECK_WRITE_FILE_H
#define GUESTCHECK_WRITE_FILE_H

#include <stddef.h>
#include <stdio.h>

/* PATH created or truncated, holding len bytes of data. 0 or -errno. */
int write_file(const char *path, const void *data, size_t len);

/* DIR/NAME holding the string text (a run's qemu-cmdline.txt, say). 0 or -errno. */
int write_text_in(const char *dir, const char *name, const char *text);

/* Flush and close f (closed either way). 0, or -errno of the first failed write, flush or close. */
int fclose_checked(FILE *f);

#endif
