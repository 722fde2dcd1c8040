// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdhci.card: the present-state register shows the card the scenario put in
 * the slot, with the write-protect state it asked for.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

static void judge(struct check_ctx *ctx, const struct sdhci_controller *c,
		  const struct sdhci_readout *r)
{
	const struct sdhci_expect *e = &c->expect;
	uint32_t present = sdhci_reg(&r->regs, SDHCI_PRESENT);
	bool inserted = sdhci_field(&r->regs, PRESENT_CARD_INSERTED);
	bool writable = sdhci_field(&r->regs, PRESENT_WRITE_ENABLED);
	bool want_writable = e->readonly != 1;
	char words[256];

	sdhci_decode_reg(&r->regs, SDHCI_PRESENT, words, sizeof(words));
	if (!e->device[0]) {
		check_note(ctx, "%s: no scenario device here; present state 0x%08x: %s", c->name,
			   present, words);
		return;
	}
	if (e->card && !inserted) {
		check_fail(ctx,
			   "%s: %s: expected a card in the slot, present state 0x%08x says none "
			   "(%s): check the -drive and the -device sd-card bus=",
			   e->device, c->name, present, words);
		return;
	}
	if (writable != want_writable) {
		check_fail(ctx,
			   "%s: %s: expected the card %s (readonly = %s), the write-protect pin "
			   "says %s (present state 0x%08x): check readonly= on the -drive",
			   e->device, c->name, want_writable ? "writable" : "write-protected",
			   e->readonly == 1 ? "yes" : "no",
			   writable ? "writable" : "write-protected", present);
		return;
	}
	check_note(ctx, "%s: %s: card present, %s, as the scenario says (present state 0x%08x: %s)",
		   e->device, c->name, writable ? "writable" : "write-protected", present, words);
}

int check_sdhci_card(struct check_ctx *ctx)
{
	struct sdhci_set *set = calloc(1, sizeof(*set));
	int r;

	if (!set)
		return -ENOMEM;
	r = sdhci_prologue(ctx, set, true);
	for (size_t i = 0; r == 0 && i < set->n; i++) {
		char why[256];

		if (sdhci_unreadable_as_command(ctx->env, &set->c[i], &set->r[i], why,
						sizeof(why))) {
			check_skip(ctx, "%s", why);
			continue;
		}
		if (!sdhci_regs_answer(&set->r[i])) {
			if (set->c[i].expect.device[0])
				check_fail(ctx,
					   "%s: %s: registers unreadable or not answering (see "
					   "sdhci.registers): the card state is unknown",
					   set->c[i].expect.device, set->c[i].name);
			continue;
		}
		judge(ctx, &set->c[i], &set->r[i]);
	}
	free(set);
	return r == -ENODEV ? 0 : r;
}
