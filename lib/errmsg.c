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
	char rest[1024];
	va_list ap;
	size_t len;

	if (!err || errsize == 0)
		return code;
	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	len = strnlen(err, errsize - 1);
	mark_cut(err + len, errsize - len,
		 snprintf(err + len, errsize - len, "%s%s", len ? ": " : "", rest));
	return code;
}
