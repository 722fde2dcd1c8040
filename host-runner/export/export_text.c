// SPDX-License-Identifier: GPL-2.0-or-later
#include "export/export_text.h"

#include <errno.h>
#include <string.h>

#include "errmsg.h"

/* QEMU's config parser reads `key = "value"`: 1023 bytes at most. */
#define QEMU_CONFIG_MAX_VALUE 1023

/* Bytes in the UTF-8 sequence that c starts, or 0 when c cannot start one. */
static size_t utf8_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

bool export_text_clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_length(*p);

		if (!n || *p < 0x20 || *p == 0x7f)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false; /* also stops at the terminating NUL */
		p += n;
	}
	return true;
}

int export_qemu_config_value_check(const struct qemu_group *g, size_t prop, char *err,
				   size_t errsize)
{
	const char *key = g->props[prop].key, *v = g->props[prop].value;

	if (!export_text_clean(v))
		return errmsg(err, errsize, -EINVAL,
			      "[%s \"%s\"] %s: a value with a newline, a control character or "
			      "bytes that are not UTF-8 cannot be written: fix the scenario's "
			      "value or the path",
			      g->group, g->id, key);
	if (strchr(v, '"') || strlen(v) > QEMU_CONFIG_MAX_VALUE)
		return errmsg(err, errsize, -EINVAL,
			      "[%s \"%s\"] %s: a value with a '\"' or over %d bytes cannot be "
			      "written to a QEMU config file (it has no escape): use a path "
			      "without '\"', or a shorter one",
			      g->group, g->id, key, QEMU_CONFIG_MAX_VALUE);
	return 0;
}

void export_text_put_visible(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}
