/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU's memory map (`info mtree -f`), fetched over QMP while the guest is
 * still up and attached to the results as mtree.txt: where QEMU really put
 * each device's MMIO, to compare with the address the guest's device tree
 * names (the sdhci.* checks point at it when registers read all zero).
 */
#ifndef GUESTCHECK_QEMU_MTREE_H
#define GUESTCHECK_QEMU_MTREE_H

#include <stdbool.h>

#include "scenario/scenario.h"

struct qmp;

struct mtree_target {
	const char *results_dir;
	const char *prefix; /* "" or "kvm-attempt-", as the other logs */
};

/* Scenarios whose checks want the map: those with an SD host controller. */
bool mtree_wanted(const struct scenario *s);

/*
 * QEMU's map (or why there is none) into t's mtree.txt. 0, or -errno with
 * one sentence naming the file in err when it could not be written.
 */
int mtree_write(struct qmp *qmp, const struct mtree_target *t, char *err, size_t errsize);

#endif
