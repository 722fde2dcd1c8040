// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/monitor.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "noninterference/phase_wrap.h"

void monitor_init(struct monitor_state *st)
{
	*st = (struct monitor_state){ .last_uptime = -1 };
}

/* "NAME F1 ... FN": Documentation/block/stat.rst, 11 to 17 fields. */
static int parse_node(char *s, struct monitor_node *out)
{
	uint64_t f[17] = { 0 };
	char *tok, *save, *end;
	size_t n = 0;

	tok = strtok_r(s, " \t", &save);
	if (!tok || strlen(tok) >= sizeof(out->node))
		return -EINVAL;
	for (const char *p = tok; *p; p++)
		if (!isalnum((unsigned char)*p))
			return -EINVAL;
	snprintf(out->node, sizeof(out->node), "%s", tok);
	while ((tok = strtok_r(NULL, " \t", &save)) && n < 17) {
		if (!isdigit((unsigned char)*tok))
			return -EINVAL;
		errno = 0;
		f[n++] = strtoull(tok, &end, 10);
		if (errno || *end)
			return -EINVAL;
	}
	if (n < 11 || tok)
		return -EINVAL;
	out->wr_ios = f[4];
	out->wr_sectors = f[6];
	out->discard_ios = f[11];
	out->discard_sectors = f[13];
	return 0;
}

static void merge(struct monitor_state *st, const struct monitor_node *n, double up)
{
	struct monitor_node *m = NULL;

	for (size_t i = 0; i < st->nnodes; i++)
		if (!strcmp(st->nodes[i].node, n->node))
			m = &st->nodes[i];
	if (!m) {
		if (st->nnodes == MONITOR_MAX_NODES)
			return;
		m = &st->nodes[st->nnodes++];
		*m = *n;
		m->first_uptime = up;
	}
	/* Counters only grow: a lower value is a forgery or a reset; keep the highest. */
#define KEEP_MAX(f) m->f = n->f > m->f ? n->f : m->f
	KEEP_MAX(wr_ios);
	KEEP_MAX(wr_sectors);
	KEEP_MAX(discard_ios);
	KEEP_MAX(discard_sectors);
#undef KEEP_MAX
	m->last_uptime = up;
}

static void parse_line(struct monitor_state *st, char *line)
{
	char *p = strstr(line, PHASE_MONITOR_PREFIX), *end, *item, *save;
	struct monitor_node batch[MONITOR_MAX_NODES];
	size_t nbatch = 0;
	double up;

	if (!p)
		return;
	p += strlen(PHASE_MONITOR_PREFIX);
	p[strcspn(p, "\r")] = '\0';
	if (!strncmp(p, "error ", 6)) {
		snprintf(st->error, sizeof(st->error), "%s", p + 6);
		for (char *c = st->error; *c; c++)
			if (!isprint((unsigned char)*c))
				*c = '?';
		return;
	}
	up = strtod(p, &end);
	if (end == p || *end != ' ' || !(up >= 0)) {
		st->garbage++;
		return;
	}
	p = end + 1;
	if (strcmp(p, "none")) {
		for (item = strtok_r(p, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
			if (nbatch == MONITOR_MAX_NODES || parse_node(item, &batch[nbatch]) < 0) {
				st->garbage++;
				return;
			}
			nbatch++;
		}
	}
	for (size_t i = 0; i < nbatch; i++)
		merge(st, &batch[i], up);
	st->lines++;
	st->last_uptime = up;
}

void monitor_feed(struct monitor_state *st, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			st->line[st->len] = '\0';
			if (!st->overlong)
				parse_line(st, st->line);
			st->len = 0;
			st->overlong = false;
			continue;
		}
		if (st->len + 1 < sizeof(st->line))
			st->line[st->len++] = buf[i] ? buf[i] : '?';
		else
			st->overlong = true;
	}
}

void monitor_finish(struct monitor_state *st)
{
	if (st->len)
		monitor_feed(st, "\n", 1);
}

const struct monitor_node *monitor_find(const struct monitor_state *st, const char *node)
{
	for (size_t i = 0; i < st->nnodes; i++)
		if (!strcmp(st->nodes[i].node, node))
			return &st->nodes[i];
	return NULL;
}
