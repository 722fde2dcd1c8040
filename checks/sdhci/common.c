// SPDX-License-Identifier: GPL-2.0-or-later
/* What every sdhci.* check does first: find the controllers and read them. */
#include "common.h"

#include <stdio.h>
#include <string.h>

int sdhci_prologue(struct check_ctx *ctx, struct sdhci_set *set, bool read)
{
	size_t unmatched;

	set->n = sdhci_find(ctx->env, set->c, ARRAY_SIZE(set->c), &unmatched, set->unmatched,
			    sizeof(set->unmatched));
	if (set->n > ARRAY_SIZE(set->c))
		set->n = ARRAY_SIZE(set->c);
	set->nunmatched = unmatched;
	if (!set->n && !unmatched) {
		check_skip(ctx, "no SD host controller in this guest (no PCI class 0x0805, no "
				"SDHCI node in the device tree, no sdhci_base in the scenario)");
		return -ENODEV;
	}
	for (size_t i = 0; read && i < set->n; i++)
		sdhci_read(ctx->env, &set->c[i], &set->r[i]);
	return 0;
}

bool sdhci_have_regs(const struct sdhci_readout *r)
{
	return r->source != SDHCI_SRC_NONE && r->regs.valid && r->error == 0;
}

bool sdhci_regs_answer(const struct sdhci_readout *r)
{
	return sdhci_have_regs(r) && !sdhci_regs_all(&r->regs, 0) && !sdhci_regs_all(&r->regs, ~0u);
}
