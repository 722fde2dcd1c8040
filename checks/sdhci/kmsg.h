/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel messages an SD host controller leaves when its registers,
 * voltages, clocks or interrupts do not reach the guest, each mapped to its
 * cause and its fix (a table in kmsg.c), and the guest's /proc/interrupts.
 */
#ifndef GUESTCHECK_SDHCI_KMSG_H
#define GUESTCHECK_SDHCI_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysroot.h"

struct kmsg_cause {
	const char *match; /* a substring of the message */
	const char *cause;
	const char *fix;
};

/* The table entry a kernel log line matches, or NULL. */
const struct kmsg_cause *kmsg_known(const char *line);

/*
 * The kernel log as text, one message per line: /dev/kmsg read without
 * blocking (a captured tree holds it as a plain file). Returns the length
 * (the oldest messages are dropped past size - 1) or -errno.
 */
int kmsg_read(const struct sysroot *root, char *buf, size_t size);

/* The message part of a /dev/kmsg record ("6,123,456,-;mmc0: ..."): after the ';'. */
const char *kmsg_text(const char *record);

/* A controller's line in /proc/interrupts. */
struct irq_line {
	char irq[16];	/* "21", "14" */
	uint64_t count; /* summed over CPUs */
	char chip[32];	/* "IO-APIC", "GICv2" */
	char hwirq[32]; /* "21-fasteoi", "81" */
	char names[96]; /* "mmc0" */
};

/*
 * Find the line whose handler names include `name` (the kernel registers
 * the SDHCI interrupt under the host's name, "mmc0"), or whose number is
 * `irq` when irq >= 0. 0, or -ENOENT.
 */
int irq_find(const char *proc_interrupts, const char *name, int irq, struct irq_line *out);

/* /proc/interrupts through the sysroot, into buf. Length or -errno. */
int irq_read(const struct sysroot *root, char *buf, size_t size);

#endif
