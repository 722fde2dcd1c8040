// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/area.h"

#include <string.h>

#include "noninterference/blockstats.h"
#include "noninterference/installer_plan.h"
#include "noninterference/noninterference.h"

static bool wanted(const struct scenario *s)
{
	return !strcmp(s->kind, SCENARIO_KIND_NON_INTERFERENCE);
}

/* The agent said `end`: what QEMU counted for each protected card in this phase. */
static int at_end(const struct area_ctx *ctx, void *state, struct qmp *qmp, char *err,
		  size_t errsize)
{
	struct ni_run *n = ctx->run;

	/* A session of such a scenario not started by noninterference_run(): nothing to fill. */
	if (!n)
		return 0;
	for (size_t i = 0; i < n->ncards; i++)
		blockstats_query(qmp, n->cards[i].name, &n->cards[i].stats[n->phase]);
	return 0;
}

const struct host_area_ops noninterference_area = {
	.name = "non-interference",
	.wanted = wanted,
	.run = noninterference_run,
	.at_end = at_end,
};
