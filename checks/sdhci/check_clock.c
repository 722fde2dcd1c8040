// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdhci.clock: the active clock test. Enable the internal clock and see it
 * stabilise within the kernel's 150 ms, as sdhci_enable_clk() expects; the
 * guest-side view of "Internal clock never stabilised". It writes to the
 * controller, so it runs only where the scenario allows it
 * (sdhci_clock_test = yes) and no driver holds the controller: the agent
 * runs it before loading drivers, or this check when none is bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void verdict(struct check_ctx *ctx, const struct sdhci_controller *c, const char *when,
		    int error, const struct mmio_clock_test *t, const struct mmio_fault *f)
{
	char words[256];

	if (error) {
		struct sdhci_readout r = { .error = error, .fault = *f };

		check_fail(ctx, "%s: clock test (%s): %s", c->name, when,
			   sdhci_read_error_words(c, &r, words, sizeof(words)));
		return;
	}
	if (!t->stable) {
		check_fail(ctx,
			   "%s: clock test (%s): enabled the internal clock, it never stabilised "
			   "within %d ms (clock control 0x%04x: %s): the kernel will report "
			   "'Internal clock never stabilised': the controller gets no input clock, "
			   "or its registers are not where the device tree says",
			   c->name, when, SDHCI_CLOCK_LIMIT_MS, t->after,
			   sdhci_decode_value(SDHCI_CLOCK, t->after, words, sizeof(words)));
		return;
	}
	check_note(ctx,
		   "%s: clock test (%s): internal clock stable %u us after enabling it (the "
		   "kernel waits %d ms); clock control restored to 0x%04x",
		   c->name, when, t->waited_us, SDHCI_CLOCK_LIMIT_MS, t->before);
}

int check_sdhci_clock(struct check_ctx *ctx)
{
	struct sdhci_set *set = calloc(1, sizeof(*set));
	size_t tested = 0;
	char why[256] = "";
	int r;

	if (!set)
		return -ENOMEM;
	r = sdhci_prologue(ctx, set, true);
	for (size_t i = 0; r == 0 && i < set->n; i++) {
		const struct sdhci_controller *c = &set->c[i];
		const struct sdhci_readout *rd = &set->r[i];
		struct mmio_clock_test t;
		struct mmio_fault f = { 0 };
		int e;

		if (rd->have_clock_test) {
			verdict(ctx, c, "by the agent before drivers loaded", rd->clock_error,
				&rd->clock, &rd->fault);
			tested++;
			continue;
		}
		if (!c->expect.clock_test) {
			snprintf(why, sizeof(why),
				 "%s: the test writes to the controller: set "
				 "sdhci_clock_test = yes on its device to allow it",
				 c->name);
			continue;
		}
		if (c->driver[0]) {
			snprintf(why, sizeof(why),
				 "%s: %s holds the controller, and the agent "
				 "did not test it before loading drivers",
				 c->name, c->driver);
			check_note(ctx, "%s", why);
			continue;
		}
		if (!sdhci_regs_answer(rd)) {
			snprintf(why, sizeof(why),
				 "%s: its registers do not answer (see "
				 "sdhci.registers): nothing to clock",
				 c->name);
			check_note(ctx, "%s", why);
			continue;
		}
		e = mmio_clock_test(&c->window, SDHCI_CLOCK_LIMIT_MS, &t, &f);
		verdict(ctx, c, "now, no driver bound", e, &t, &f);
		tested++;
	}
	if (r == 0 && !tested)
		check_skip(ctx, "%s", why[0] ? why : "no controller to test");
	free(set);
	return r == -ENODEV ? 0 : r;
}
