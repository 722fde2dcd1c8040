// SPDX-License-Identifier: GPL-2.0-or-later
#include "errmsg.h"

#include <stdio.h>
#include <string.h>

static const char cut_mark[] = " (cut)";

/* Mark a message that did not fit: its end replaced by " (cut)". */
static void mark_cut(char *err, size_t errsize, int wanted)
{
	if (wanted < 0 || (size_t)wanted < errsize || errsize < sizeof(cut_mark))
		return;
	memcpy(err + errsize - sizeof(cut_mark), cut_mark, sizeof(cut_mark));
}

int verrmsg(char *err, size_t errsize, int code, const char *fmt, va_list ap)
{
	if (!err || errsize == 0)
		return code;
	mark_cut(err, errsize, vsnprintf(err, errsize, fmt, ap));
	return code;
}

int errmsg(char *err, size_t errsize, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrmsg(err, errsize, code, fmt, ap);
	va_end(ap);
	return code;
}

int errmsg_prefix(char *err, size_t errsize, int code, const char *fmt, ...)
{
	size_t len;
	va_list ap;
	int sep, n;

	if (!err || errsize == 0)
		return code;
	len = strnlen(err, errsize - 1);
	/* Straight into err after ": ", so a long message is marked cut, never cut silently. */
	sep = len ? snprintf(err + len, errsize - len, ": ") : 0;
	if (len + sep >= errsize - 1) {
		mark_cut(err, errsize, (int)errsize);
		return code;
	}
	va_start(ap, fmt);
	n = vsnprintf(err + len + sep, errsize - len - sep, fmt, ap);
	va_end(ap);
	mark_cut(err, errsize, n < 0 ? n : (int)(len + sep) + n);
	return code;
}
