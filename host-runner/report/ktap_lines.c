// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/ktap_lines.h"

#include <stdlib.h>
#include <string.h>

#include "cleanup.h"

#include "session/ktap_parse.h"

void ktap_put_header(FILE *f, const char *version, size_t ntests)
{
	fprintf(f, "%s\n1..%zu\n", version, ntests);
}

void ktap_put_diagnostics(FILE *f, const char *text)
{
	size_t n;

	for (; text && *text; text += n + (text[n] == '\n')) {
		n = strcspn(text, "\n");
		fprintf(f, n ? "# %.*s\n" : "#\n", (int)n, text);
	}
}

void ktap_put_vdiag(FILE *f, const char *fmt, va_list ap)
{
	_cleanup_free_ char *text = NULL;

	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	if (text && *text)
		ktap_put_diagnostics(f, text);
	else
		fputs("#\n", f);
}

void ktap_put_diag(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_put_vdiag(f, fmt, ap);
	va_end(ap);
}

/* '#' would start a directive where KTAP does not expect one. */
static void put_hashless(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' ? '_' : *s, f);
}

void ktap_put_reason(FILE *f, const char *reason)
{
	_cleanup_free_ char *c = strndup(reason, strcspn(reason, "\n"));

	if (!c)
		return;
	ktap_sanitize(c, strlen(c));
	put_hashless(f, c);
}

void ktap_put_result(FILE *f, bool ok, size_t number, const char *name, const char *directive,
		     const char *reason)
{
	fprintf(f, "%s %zu ", ok ? "ok" : "not ok", number);
	put_hashless(f, name);
	if (directive) {
		fprintf(f, " # %s ", directive);
		if (reason)
			ktap_put_reason(f, reason);
	}
	fputc('\n', f);
}
