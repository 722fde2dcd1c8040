// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdhci.registers: every controller answers at its address with a sane
 * version and capabilities; the dump and the decoded registers go to the
 * report; values the scenario pins are checked field by field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* Registers decoded into words in every report, in this order. */
static const enum sdhci_reg decoded[] = {
	SDHCI_VERSION,	SDHCI_CAPS0, SDHCI_CAPS1, SDHCI_MAX_CURRENT, SDHCI_PRESENT,
	SDHCI_HOST_CTL, SDHCI_POWER, SDHCI_CLOCK, SDHCI_INT_STATUS,
};

static void emit_note(void *arg, const char *line)
{
	check_note(arg, "%s", line);
}

static void check_pins(struct check_ctx *ctx, const struct sdhci_controller *c,
		       const struct sdhci_readout *r)
{
	const struct sdhci_expect *e = &c->expect;

	for (size_t id = 0; id < SDHCI_NREGS; id++) {
		uint32_t seen = sdhci_reg(&r->regs, id);
		char diff[512];

		if (!e->pinned[id])
			continue;
		if (seen == e->value[id]) {
			check_note(ctx, "%s: %s: %s 0x%08x as %s pins it", e->device, c->name,
				   sdhci_regs_info[id].label, seen, e->pin_key[id]);
			continue;
		}
		check_fail(ctx,
			   "%s: %s: %s: expected 0x%08x (%s), saw 0x%08x: %s: check the "
			   "controller QEMU passes to the guest (-device, capareg, the host "
			   "device behind vfio)",
			   e->device, c->name, sdhci_regs_info[id].label, e->value[id],
			   e->pin_key[id], seen,
			   sdhci_diff_value(id, e->value[id], seen, diff, sizeof(diff)));
	}
}

static void sanity(struct check_ctx *ctx, const struct sdhci_controller *c,
		   const struct sdhci_readout *r)
{
	unsigned int spec = sdhci_field(&r->regs, VERSION_SPEC);
	char name[32];

	if (sdhci_regs_all(&r->regs, 0)) {
		check_fail(
			ctx,
			"%s: every register reads 0x00000000 at 0x%llx (version and "
			"capabilities too): the MMIO is not mapped where the %s says, so the "
			"driver will report 'Internal clock never stabilised': compare the "
			"address with QEMU's info mtree (mtree.txt in the results) and place the "
			"device there (or fix the node's reg)",
			c->name, (unsigned long long)c->base,
			c->kind == SDHCI_KIND_DT ? "device tree" : "scenario");
		return;
	}
	if (sdhci_regs_all(&r->regs, ~0u)) {
		check_fail(ctx,
			   "%s: every register reads 0xffffffff at 0x%llx: no device answers "
			   "there: check the address (and that the PCI function is enabled)",
			   c->name, (unsigned long long)c->base);
		return;
	}
	if (spec > SDHCI_SPEC_MAX_KNOWN)
		check_fail(ctx,
			   "%s: version 0x%04x: spec field %u (%s) is outside 1.00 to 4.20, the "
			   "versions the kernel knows: this is not an SDHCI register block: check "
			   "the address",
			   c->name, sdhci_reg(&r->regs, SDHCI_VERSION), spec,
			   sdhci_spec_name(spec, name, sizeof(name)));
}

static void report_controller(struct check_ctx *ctx, const struct sdhci_controller *c,
			      const struct sdhci_readout *r)
{
	char line[512], how[320];

	check_note(ctx, "%s", sdhci_describe(c, line, sizeof(line)));
	if (c->expect.bad_key[0])
		check_fail(ctx, "%s: %s", c->expect.device, c->expect.bad_key);
	if (sdhci_unreadable_as_command(ctx->env, c, r, line, sizeof(line))) {
		check_skip(ctx, "%s", line);
		return;
	}
	if (r->source == SDHCI_SRC_NONE || (r->error && !r->regs.valid)) {
		check_fail(ctx, "%s: %s", c->name,
			   sdhci_read_error_words(c, r, line, sizeof(line)));
		return;
	}
	check_note(ctx, "%s: registers at 0x%llx %s", c->name, (unsigned long long)c->base,
		   sdhci_source_words(ctx->env, c, r, how, sizeof(how)));
	if (r->error) {
		/* Part of the window answered: say where it stopped, dump what came. */
		check_fail(ctx, "%s: %s", c->name,
			   sdhci_read_error_words(c, r, line, sizeof(line)));
	}
	sdhci_dump(&r->regs, c->host[0] ? c->host : c->name, emit_note, ctx);
	for (size_t i = 0; i < ARRAY_SIZE(decoded); i++)
		check_note(ctx, "%s: %s 0x%08x: %s", c->name, sdhci_regs_info[decoded[i]].label,
			   sdhci_reg(&r->regs, decoded[i]),
			   sdhci_decode_reg(&r->regs, decoded[i], line, sizeof(line)));
	if (r->error)
		return;
	sanity(ctx, c, r);
	check_pins(ctx, c, r);
}

int check_sdhci_registers(struct check_ctx *ctx)
{
	struct sdhci_set *set = calloc(1, sizeof(*set));
	int r;

	if (!set)
		return -ENOMEM;
	r = sdhci_prologue(ctx, set, true);
	if (r == 0) {
		for (size_t i = 0; i < set->n; i++)
			report_controller(ctx, &set->c[i], &set->r[i]);
		if (set->nunmatched)
			check_fail(ctx,
				   "%s (sd-card): expected an SD host controller, found none to "
				   "match (%zu in the guest): check the -device lines and the "
				   "device tree",
				   set->unmatched, set->n);
	}
	free(set);
	return r == -ENODEV ? 0 : r;
}
