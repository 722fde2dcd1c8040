// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdhci.kernel_log: the messages an SD host controller's driver leaves in
 * the kernel log when registers, voltages, clocks or interrupts do not
 * reach the guest, each with its cause and fix (the table in kmsg.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kmsg.h"

#define KMSG_BYTES   (512 * 1024)
#define MAX_REPORTED 12

/* Only SD host messages: the table's phrases are generic enough to occur elsewhere. */
static bool sd_related(const char *msg)
{
	static const char *const tags[] = { "mmc", "sdhci", "arasan" };

	for (size_t i = 0; i < ARRAY_SIZE(tags); i++)
		if (strstr(msg, tags[i]))
			return true;
	return false;
}

int check_sdhci_kernel_log(struct check_ctx *ctx)
{
	struct sdhci_set *set = calloc(1, sizeof(*set));
	char *log = malloc(KMSG_BYTES);
	size_t lines = 0, hits = 0;
	char *save, *line;
	int r = -ENOMEM, n;

	if (!set || !log)
		goto out;
	r = sdhci_prologue(ctx, set, false);
	if (r < 0)
		goto out;
	n = kmsg_read(ctx->env->root, log, KMSG_BYTES);
	if (n < 0) {
		check_skip(ctx, "/dev/kmsg: cannot read the kernel log: %s", strerror(-n));
		goto out;
	}
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *msg = kmsg_text(line);
		const struct kmsg_cause *k;

		/* /dev/kmsg continuation lines (" SUBSYSTEM=...") are not messages. */
		if (line[0] == ' ')
			continue;
		lines++;
		k = kmsg_known(msg);
		if (!k || !sd_related(msg))
			continue;
		if (++hits <= MAX_REPORTED)
			check_fail(ctx, "kernel log: '%.160s': %s: %s", msg, k->cause, k->fix);
	}
	if (hits > MAX_REPORTED)
		check_fail(ctx, "kernel log: %zu more known SDHCI messages not shown",
			   hits - MAX_REPORTED);
	if (!hits)
		check_note(ctx, "no known SDHCI error among %zu kernel log messages", lines);
out:
	free(set);
	free(log);
	return r == -ENODEV ? 0 : r;
}
