// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdhci.supplies: what a driver needs besides the registers. A voltage from
 * the capabilities or a regulator, a base clock from the capabilities or a
 * clock, the clocks sdhci-of-arasan asks for by name, dma-coherent as the
 * scenario says, and an interrupt that can be passed through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define REGULATOR_FIX                                                                              \
	"add a regulator-fixed node (regulator-min/max-microvolt = <3300000>, "                    \
	"regulator-always-on) and vmmc-supply = <&that> (vqmmc-supply for the I/O voltage) to "    \
	"the controller's device-tree node"

/* Clocks sdhci-of-arasan requests by name (sdhci_arasan_probe()). */
static const char *const arasan_clocks[] = { "clk_ahb", "clk_xin" };

static void supply(struct check_ctx *ctx, const struct sdhci_controller *c, const char *what,
		   const struct dt_ref *ref)
{
	if (!ref->present)
		return;
	if (!ref->resolved) {
		check_fail(ctx, "%s: %s points at no node (phandle unresolved): fix the phandle",
			   c->name, what);
		return;
	}
	if (strcmp(ref->compatible, "regulator-fixed"))
		check_note(ctx,
			   "%s: %s is %s (%s): a guest has no regulator driver for the "
			   "host's PMIC: use a regulator-fixed",
			   c->name, what, ref->node, ref->compatible[0] ? ref->compatible : "?");
	else
		check_note(ctx, "%s: %s is %s (regulator-fixed, %u uV%s%s)", c->name, what,
			   ref->node, ref->value, ref->name[0] ? ", " : "", ref->name);
}

static void voltages(struct check_ctx *ctx, const struct sdhci_controller *c,
		     const struct sdhci_readout *r)
{
	bool v33 = sdhci_field(&r->regs, CAPS0_VDD_330), v30 = sdhci_field(&r->regs, CAPS0_VDD_300);
	bool v18 = sdhci_field(&r->regs, CAPS0_VDD_180);

	supply(ctx, c, "vmmc-supply", &c->dt.vmmc);
	supply(ctx, c, "vqmmc-supply", &c->dt.vqmmc);
	if (v33 || v30 || v18) {
		check_note(ctx, "%s: voltages from the capabilities:%s%s%s", c->name,
			   v33 ? " 3.3V" : "", v30 ? " 3.0V" : "", v18 ? " 1.8V" : "");
		return;
	}
	if (c->dt.vmmc.resolved) {
		check_note(ctx, "%s: the capabilities report no voltage; vmmc-supply gives it",
			   c->name);
		return;
	}
	if (c->has_dt)
		check_fail(ctx,
			   "%s: capabilities 0x%08x report no voltage (3.3V, 3.0V, 1.8V all no) "
			   "and the device-tree node has no vmmc-supply: the driver will fail with "
			   "'Hardware doesn't report any support voltages': %s",
			   c->name, sdhci_reg(&r->regs, SDHCI_CAPS0), REGULATOR_FIX);
	else
		check_fail(ctx,
			   "%s: capabilities 0x%08x report no voltage (3.3V, 3.0V, 1.8V all no) "
			   "and a %s controller has no device-tree node to give it a regulator: "
			   "the driver will fail with 'Hardware doesn't report any support "
			   "voltages': the capabilities must report one (QEMU: a capareg with bit "
			   "24 for 3.3V, e.g. 0x057834b4), or describe the controller in a device "
			   "tree and %s",
			   c->name, sdhci_reg(&r->regs, SDHCI_CAPS0),
			   c->kind == SDHCI_KIND_PCI ? "PCI" : "bare", REGULATOR_FIX);
}

static bool has_clock_named(const struct sdhci_controller *c, const char *name)
{
	for (size_t i = 0; i < c->dt.nclocks; i++)
		if (!strcmp(c->dt.clocks[i].name, name))
			return true;
	return false;
}

static void clocks(struct check_ctx *ctx, const struct sdhci_controller *c,
		   const struct sdhci_readout *r)
{
	unsigned int base = sdhci_field(&r->regs, CAPS0_BASE_CLK);
	bool usable = false;

	for (size_t i = 0; i < c->dt.nclocks; i++) {
		const struct dt_ref *k = &c->dt.clocks[i];

		if (!k->resolved) {
			check_fail(ctx, "%s: clock %zu (%s) points at no node: fix the phandle",
				   c->name, i, k->name[0] ? k->name : "unnamed");
			continue;
		}
		if (!strcmp(k->compatible, "fixed-clock") && !k->value) {
			check_fail(ctx,
				   "%s: clock %s (%s) is a fixed-clock of 0 Hz: set its "
				   "clock-frequency to the host's rate",
				   c->name, k->name[0] ? k->name : "unnamed", k->node);
			continue;
		}
		usable = true;
		check_note(ctx, "%s: clock %s is %s (%s, %u Hz)", c->name,
			   k->name[0] ? k->name : "unnamed", k->node,
			   k->compatible[0] ? k->compatible : "?", k->value);
	}
	if (c->has_dt && strstr(c->dt.compatible, "arasan"))
		for (size_t i = 0; i < ARRAY_SIZE(arasan_clocks); i++)
			if (!has_clock_named(c, arasan_clocks[i]))
				check_fail(
					ctx,
					"%s: no clock named %s: sdhci-of-arasan will fail with "
					"'%s clock not found': add fixed-clock nodes and clocks = "
					"<&clk_ahb>, <&clk_xin>; clock-names = \"clk_ahb\", "
					"\"clk_xin\"",
					c->name, arasan_clocks[i], arasan_clocks[i]);
	if (base) {
		check_note(ctx, "%s: base clock %u MHz from the capabilities", c->name, base);
		return;
	}
	if (usable) {
		check_note(ctx, "%s: the capabilities report no base clock; the DT clocks give it",
			   c->name);
		return;
	}
	check_fail(ctx,
		   "%s: capabilities 0x%08x report base clock 0 and %s: the driver will fail "
		   "with 'Hardware doesn't specify base clock frequency': %s",
		   c->name, sdhci_reg(&r->regs, SDHCI_CAPS0),
		   c->has_dt ? "the device-tree node has no clocks" : "there is no device tree",
		   c->has_dt ? "add a fixed-clock node at the host's rate and clocks = <&it>"
			     : "the capabilities must report it (QEMU: capareg bits 15:8)");
}

static void coherence(struct check_ctx *ctx, const struct sdhci_controller *c)
{
	int want = c->expect.dma_coherent;

	if (!c->has_dt) {
		if (want == 1)
			check_note(ctx,
				   "%s: a PCI controller: DMA coherence comes from the bus, "
				   "not from dma-coherent",
				   c->name);
		return;
	}
	if (want == 1 && !c->dt.dma_coherent)
		check_fail(
			ctx,
			"%s: %s: expected dma-coherent (sdhci_dma_coherent = yes), the node has "
			"none: a controller passed through with VFIO needs it in the guest's and "
			"the host's device tree, since nobody does cache maintenance for the "
			"guest's DMA: add dma-coherent; to the node",
			c->expect.device, c->name);
	else if (want == 0 && c->dt.dma_coherent)
		check_fail(ctx,
			   "%s: %s: the node says dma-coherent, the scenario says the "
			   "controller is not: remove dma-coherent or fix sdhci_dma_coherent",
			   c->expect.device, c->name);
	else
		check_note(ctx, "%s: dma-coherent %s%s", c->name,
			   c->dt.dma_coherent ? "present" : "absent",
			   c->dt.dma_coherent ? ""
					      : " (fine for an emulated controller; one passed "
						"through with VFIO needs it)");
	if (c->dt.irq_ppi)
		check_fail(ctx,
			   "%s: interrupts = %s: a per-CPU interrupt (PPI) cannot be passed "
			   "through to a guest: the controller's interrupt must be an SPI",
			   c->name, c->dt.irq);
	if (!c->dt.okay)
		check_note(ctx, "%s: status is not \"okay\": no driver will bind it", c->name);
}

int check_sdhci_supplies(struct check_ctx *ctx)
{
	struct sdhci_set *set = calloc(1, sizeof(*set));
	int r;

	if (!set)
		return -ENOMEM;
	r = sdhci_prologue(ctx, set, true);
	for (size_t i = 0; r == 0 && i < set->n; i++) {
		const struct sdhci_controller *c = &set->c[i];

		if (c->has_dt)
			check_note(ctx, "%s: device-tree node %s, compatible %s", c->name,
				   c->dt.path, c->dt.compatible);
		coherence(ctx, c);
		if (!sdhci_regs_answer(&set->r[i])) {
			check_note(ctx,
				   "%s: registers unreadable or not answering (see "
				   "sdhci.registers): voltages and clocks not judged",
				   c->name);
			continue;
		}
		voltages(ctx, c, &set->r[i]);
		clocks(ctx, c, &set->r[i]);
	}
	free(set);
	return r == -ENODEV ? 0 : r;
}
