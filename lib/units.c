// SPDX-License-Identifier: GPL-2.0-or-later
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"

int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

static const struct {
	const char *suffix;
	unsigned int shift;
} size_suffixes[] = {
	{ "", 0 },     { "B", 0 },  { "K", 10 },   { "KiB", 10 }, { "M", 20 },
	{ "MiB", 20 }, { "G", 30 }, { "GiB", 30 }, { "T", 40 },	  { "TiB", 40 },
};

int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	for (size_t i = 0; i < ARRAY_SIZE(size_suffixes); i++) {
		unsigned int shift = size_suffixes[i].shift;

		if (strcasecmp(end, size_suffixes[i].suffix))
			continue;
		if (shift && v > (UINT64_MAX >> shift))
			return -ERANGE;
		*out = (uint64_t)v << shift;
		return 0;
	}
	return -EINVAL;
}

int parse_duration_ms(const char *s, uint64_t *out)
{
	double v, scale = 1000;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	/* strtod() also takes hex and exponents ("0x10", "1e3"): digits and '.' only. */
	if (end != s + strspn(s, "0123456789."))
		return -EINVAL;
	if (errno)
		return -ERANGE;
	if (!strcmp(end, "ms"))
		scale = 1;
	else if (!strcmp(end, "m"))
		scale = 60000;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	if (v * scale > 1e15)
		return -ERANGE;
	*out = (uint64_t)(v * scale + 0.5);
	return 0;
}

int parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "yes", "true", "1", "on" };
	static const char *const no[] = { "no", "false", "0", "off" };

	for (size_t i = 0; s && i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return *out = 1, 0;
		if (!strcasecmp(s, no[i]))
			return *out = 0, 0;
	}
	return -EINVAL;
}

const char *format_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	int unit = -1;

	while (unit < 3 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
	else
		snprintf(buf, size, "%llu %s", (unsigned long long)bytes, units[unit]);
	return buf;
}
