/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the sdhci.* check functions (not by the agent's early hook). */
#ifndef GUESTCHECK_SDHCI_COMMON_H
#define GUESTCHECK_SDHCI_COMMON_H

#include <errno.h>

#include "sdhci.h"

struct sdhci_set {
	struct sdhci_controller c[SDHCI_MAX_CONTROLLERS];
	struct sdhci_readout r[SDHCI_MAX_CONTROLLERS];
	size_t n;
	size_t nunmatched;
	char unmatched[128]; /* scenario devices with no controller, "sd0, sd1" */
};

/*
 * Find the controllers (and read them when `read`). Skips the check and
 * returns -ENODEV when the guest has none and the scenario expects none.
 */
int sdhci_prologue(struct check_ctx *ctx, struct sdhci_set *set, bool read);

/* The read produced a full set of registers. */
bool sdhci_have_regs(const struct sdhci_readout *r);
/* ... and they are neither all zero nor all ones: something answers. */
bool sdhci_regs_answer(const struct sdhci_readout *r);

#endif
