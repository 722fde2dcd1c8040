// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/console_tail.h"

#include <stdlib.h>
#include <string.h>

void console_tail_append(struct console_tail *t, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		t->ring[t->pos] = buf[i];
		t->pos = (t->pos + 1) % CONSOLE_TAIL_BYTES;
		if (t->len < CONSOLE_TAIL_BYTES)
			t->len++;
	}
}

char *console_tail_text(const struct console_tail *t, size_t max_lines)
{
	size_t start = (t->pos + CONSOLE_TAIL_BYTES - t->len) % CONSOLE_TAIL_BYTES, lines = 0,
	       from = 0;
	char *out = malloc(t->len + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < t->len; i++) {
		char ch = t->ring[(start + i) % CONSOLE_TAIL_BYTES];

		out[i] = ch == '\n' || (ch >= 0x20 && ch < 0x7f) ? ch : (ch == '\r' ? ' ' : '?');
	}
	out[t->len] = '\0';
	for (size_t i = t->len; i-- > 0;)
		if (out[i] == '\n' && ++lines > max_lines) {
			from = i + 1;
			break;
		}
	memmove(out, out + from, t->len - from + 1);
	return out;
}
