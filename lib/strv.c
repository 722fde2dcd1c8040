// SPDX-License-Identifier: GPL-2.0-or-later
#include "strv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push(struct strv *s, char *owned)
{
	char **v;

	if (!owned || s->error) {
		free(owned);
		s->error = -ENOMEM;
		return;
	}
	v = realloc(s->v, (s->n + 2) * sizeof(*v));
	if (!v) {
		free(owned);
		s->error = -ENOMEM;
		return;
	}
	s->v = v;
	s->v[s->n++] = owned;
	s->v[s->n] = NULL;
}

void strv_add(struct strv *s, const char *arg)
{
	push(s, strdup(arg));
}

void strv_addf(struct strv *s, const char *fmt, ...)
{
	char *arg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&arg, fmt, ap) < 0)
		arg = NULL;
	va_end(ap);
	push(s, arg);
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct strv){ 0 };
}

static int needs_quotes(const char *a)
{
	if (!*a)
		return 1;
	for (; *a; a++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-_=,./:+@%",
			    *a))
			return 1;
	return 0;
}

char *strv_join_shell(const struct strv *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		const char *a = s->v[i];

		if (i)
			fputc(' ', f);
		if (!needs_quotes(a)) {
			fputs(a, f);
			continue;
		}
		fputc('\'', f);
		for (; *a; a++)
			*a == '\'' ? fputs("'\\''", f) : fputc(*a, f);
		fputc('\'', f);
	}
	fclose(f);
	return out;
}
