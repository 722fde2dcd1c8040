// SPDX-License-Identifier: GPL-2.0-or-later
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One KTAP diagnostic line per message, whatever the message holds. */
static void emit(FILE *out, const char *tag, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(out, "# %s%s\n", tag, msg);
	fflush(out);
}

void check_note(struct check_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(ctx->out, "", fmt, ap);
	va_end(ap);
}

void check_fail(struct check_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	ctx->failed = true;
	va_start(ap, fmt);
	emit(ctx->out, "FAIL ", fmt, ap);
	va_end(ap);
}

void check_skip(struct check_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	ctx->skipped = true;
	va_start(ap, fmt);
	vsnprintf(ctx->skip_reason, sizeof(ctx->skip_reason), fmt, ap);
	va_end(ap);
}

void check_doing(struct check_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->doing || !ctx->doing_size)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx->doing, ctx->doing_size, fmt, ap);
	va_end(ap);
}

size_t check_devices(const struct check_env *env, const struct device_kind *kind,
		     struct check_device *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < env->config->nsections; i++) {
		const struct config_section *sec = &env->config->sections[i];
		const char *name = config_section_suffix(sec, "device");
		const struct config_entry *t = config_entry(sec, "type");
		const struct device_kind *k = t ? device_kind_find(t->value) : NULL;

		if (!name || !t || (kind && k != kind))
			continue;
		if (n < max)
			out[n] = (struct check_device){
				.name = name, .type = t->value, .kind = k, .section = sec
			};
		n++;
	}
	return n;
}

const char *check_device_get(const struct check_device *dev, const char *key)
{
	const struct config_entry *e = config_entry(dev->section, key);

	return e ? e->value : NULL;
}
