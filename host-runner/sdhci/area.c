// SPDX-License-Identifier: GPL-2.0-or-later
#include "sdhci/area.h"

#include <string.h>

#include "noninterference/installer_plan.h"
#include "sdhci/qemu_mtree.h"

/*
 * A checks run with an SD host controller. Non-interference's phases
 * never fetched the map (their reports have no place for it): left so.
 */
static bool wanted(const struct scenario *s)
{
	return mtree_wanted(s) && strcmp(s->kind, SCENARIO_KIND_NON_INTERFERENCE);
}

/* QEMU's memory map beside the results, for the sdhci.* checks' findings. */
static int at_end(const struct area_ctx *ctx, void *state, struct qmp *qmp, char *err,
		  size_t errsize)
{
	struct mtree_target t = { .results_dir = ctx->results_dir, .prefix = ctx->log_prefix };

	return mtree_write(qmp, &t, err, errsize);
}

const struct host_area_ops sdhci_area = {
	.name = "sdhci",
	.wanted = wanted,
	.at_end = at_end,
};
