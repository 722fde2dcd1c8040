/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef GUESTCHECK_BUF_APPEND_H
#define GUESTCHECK_BUF_APPEND_H

#include <stddef.h>

#include "macro.h"

/*
 * printf to buf at *len, never past size: *len moves on by what fit, and
 * once buf is full further calls do nothing. buf stays NUL-terminated.
 */
void buf_append(char *buf, size_t size, size_t *len, const char *fmt, ...) __printf(4, 5);

#endif
