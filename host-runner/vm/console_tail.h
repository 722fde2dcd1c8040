/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The last bytes of a guest's serial console, kept in a ring so that an
 * infrastructure error can show what the guest said last, whatever it said
 * before.
 */
#ifndef GUESTCHECK_CONSOLE_TAIL_H
#define GUESTCHECK_CONSOLE_TAIL_H

#include <stddef.h>

#define CONSOLE_TAIL_BYTES 16384

struct console_tail {
	char ring[CONSOLE_TAIL_BYTES];
	size_t pos, len;
};

void console_tail_append(struct console_tail *t, const char *buf, size_t len);

/* The last max_lines lines, printable ASCII only (it is the guest's text). Caller frees. */
char *console_tail_text(const struct console_tail *t, size_t max_lines);

#endif
