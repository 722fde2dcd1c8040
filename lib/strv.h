/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable, NULL-terminated argument vector. */
#ifndef GUESTCHECK_STRV_H
#define GUESTCHECK_STRV_H

#include <stddef.h>

#include "cleanup.h"

struct strv {
	char **v; /* NULL-terminated once anything was added */
	size_t n;
	int error; /* sticky -ENOMEM: callers add freely and check once */
};

void strv_add(struct strv *s, const char *arg);
void strv_addf(struct strv *s, const char *fmt, ...) __printf(2, 3);
void strv_free(struct strv *s);

/* One shell-quoted line, for qemu-cmdline.txt and `guestcheck qemu-args`. */
char *strv_join_shell(const struct strv *s);

#endif
