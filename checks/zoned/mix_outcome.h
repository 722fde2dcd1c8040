/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zoned.passthrough_mix, its pure part: what a regular write did after a zone
 * operation sent around the block layer (NVMe passthrough), classified, and
 * the sentence that tells the user. Since Linux 6.10 the block layer caches
 * each written zone's write pointer (zone write plugging, block/blk-zoned.c)
 * and refuses a write that is not at its cached pointer; a passthrough
 * command moves the device's pointer without it. Kept apart from the I/O so
 * a unit test can hold every outcome to its wording.
 */
#ifndef GUESTCHECK_ZONED_MIX_OUTCOME_H
#define GUESTCHECK_ZONED_MIX_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>

/* What was measured after the passthrough operation, in order. */
struct mix_probe {
	int at_device;	   /* a write at the device's write pointer: 0 or -errno */
	bool landed;	   /* ... and the device's pointer then moved by exactly it */
	bool kernel_tried; /* a write at the pointer the kernel last knew (it differs) */
	int at_kernel;	   /* its result: 0 or -errno */
	int after_report;  /* BLKREPORTZONE of the zone, then a write at the device's pointer */
	int after_reset;   /* BLKRESETZONE, then a write at the zone start; 1 = not tried */
};

enum mix_outcome {
	MIX_IN_STEP,	  /* the write at the device's pointer landed: nothing cached */
	MIX_LANDED_WRONG, /* a write succeeded, but not where the device's pointer was */
	MIX_STALE_REPORT, /* stale; a failed write, then BLKREPORTZONE, resynced it */
	MIX_STALE_RESET,  /* stale; only a reset through the block device resynced it */
	MIX_STALE_STUCK,  /* stale, and neither resynced it */
};

enum mix_outcome mix_classify(const struct mix_probe *p);
/* "in step", "stale, resynced by BLKREPORTZONE after a failed write", ...: for tables. */
const char *mix_outcome_name(enum mix_outcome o);
/* "in step", "stale, BLKREPORTZONE resyncs", ...: the one-line summary's words. */
const char *mix_outcome_short(enum mix_outcome o);
/* True for outcomes the check reports as a failure (the zone was left unusable or wrong). */
bool mix_outcome_fails(enum mix_outcome o);
/*
 * What the user should do, for a stale outcome, in one sentence naming the
 * block node and the generic device: "do not write one zone through both
 * /dev/ng0n1 and /dev/nvme0n1; ...". "" for MIX_IN_STEP.
 */
const char *mix_advice(enum mix_outcome o, const char *node, const char *generic, char *buf,
		       size_t size);

#endif
