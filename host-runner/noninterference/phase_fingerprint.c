// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/phase_fingerprint.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "units.h"

#define TAG "fingerprint "

static bool hex32(const char *v)
{
	if (strlen(v) != 32)
		return false;
	for (; *v; v++)
		if (!isxdigit((unsigned char)*v) || isupper((unsigned char)*v))
			return false;
	return true;
}

static bool word(const char *v, size_t max)
{
	if (!*v || strlen(v) >= max)
		return false;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && *v != '_' && *v != '-')
			return false;
	return true;
}

/* One "key=value" token; returns false when a known key has a bad value. */
static bool take(struct phase_fingerprint *fp, char *tok, unsigned int *seen)
{
	static const struct {
		const char *key;
		size_t offset;
	} counters[] = {
		{ "bytes", offsetof(struct phase_fingerprint, bytes) },
		{ "wr-ios", offsetof(struct phase_fingerprint, wr_ios) },
		{ "wr-sectors", offsetof(struct phase_fingerprint, wr_sectors) },
		{ "discard-ios", offsetof(struct phase_fingerprint, discard_ios) },
		{ "discard-sectors", offsetof(struct phase_fingerprint, discard_sectors) },
	};
	char *v = strchr(tok, '=');

	if (!v)
		return true;
	*v++ = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(counters); i++)
		if (!strcmp(tok, counters[i].key)) {
			*seen |= 1u << i;
			return parse_u64(v, (uint64_t *)((char *)fp + counters[i].offset)) == 0;
		}
	if (!strcmp(tok, "node")) {
		*seen |= 1u << 5;
		snprintf(fp->node, sizeof(fp->node), "%s", v);
		return word(v, sizeof(fp->node));
	}
	if (!strcmp(tok, "xxh3-128")) {
		*seen |= 1u << 6;
		snprintf(fp->digest, sizeof(fp->digest), "%s", v);
		return hex32(v);
	}
	if (!strcmp(tok, "layout-xxh3-128")) {
		*seen |= 1u << 7;
		snprintf(fp->layout_digest, sizeof(fp->layout_digest), "%s", v);
		return hex32(v);
	}
	if (!strcmp(tok, "seconds"))
		fp->seconds = strtod(v, NULL);
	return true; /* keys this runner does not know yet */
}

int phase_fingerprint_parse(const char *line, struct phase_fingerprint *fp)
{
	/* bytes, wr-ios, wr-sectors, node, both digests: required. */
	const unsigned int required = 1u << 0 | 1u << 1 | 1u << 2 | 1u << 5 | 1u << 6 | 1u << 7;
	char copy[1024], *tok, *save;
	unsigned int seen = 0;

	*fp = (struct phase_fingerprint){ .seconds = -1 };
	if (strncmp(line, TAG, strlen(TAG)) || strlen(line) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, line + strlen(TAG));
	tok = strtok_r(copy, " ", &save);
	if (!tok || !word(tok, sizeof(fp->device)))
		return -EINVAL;
	strcpy(fp->device, tok);
	while ((tok = strtok_r(NULL, " ", &save)))
		if (!take(fp, tok, &seen))
			return -EINVAL;
	return (seen & required) == required ? 0 : -EINVAL;
}

int phase_fingerprint_find(const struct ktap_run *run, const char *device,
			   struct phase_fingerprint *fp)
{
	for (size_t i = 0; i < run->ntests; i++) {
		const char *d = run->tests[i].diagnostics;

		if (strcmp(run->tests[i].name, "mmc.fingerprint"))
			continue;
		while (d && *d) {
			size_t n = strcspn(d, "\n");
			char line[1024];

			snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : 0), d);
			if (phase_fingerprint_parse(line, fp) == 0 && !strcmp(fp->device, device))
				return 0;
			d += n + (d[n] == '\n');
		}
	}
	return -ENOENT;
}
