// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdhci.interrupts: the controller's interrupt is in /proc/interrupts under
 * its host's name, and its count rises while the card is read. A count that
 * stands still is the guest-side view of "Timeout waiting for hardware
 * interrupt": the IRQ does not reach the guest.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "kmsg.h"

#define PROBE_READS 4
#define PROBE_BYTES (64 * 1024)

/* The block device of the card on `host`: .../mmc_host/mmc0/mmc0:4567/block/mmcblk0. */
static int card_block(const struct sysroot *root, const struct sdhci_controller *c, char *buf,
		      size_t size)
{
	_cleanup_closedir_ DIR *d = NULL;
	char path[PATH_MAX];
	struct dirent *de;

	if (sysroot_path(root, path, sizeof(path), "%s/mmc_host/%s", c->sysfs, c->host) < 0)
		return -ENAMETOOLONG;
	d = opendir(path);
	while (d && (de = readdir(d))) {
		_cleanup_closedir_ DIR *b = NULL;
		char bpath[PATH_MAX];
		struct dirent *be;

		if (strncmp(de->d_name, c->host, strlen(c->host)) ||
		    de->d_name[strlen(c->host)] != ':')
			continue;
		if (sysroot_path(root, bpath, sizeof(bpath), "%s/mmc_host/%s/%s/block", c->sysfs,
				 c->host, de->d_name) < 0)
			continue;
		b = opendir(bpath);
		while (b && (be = readdir(b)))
			if (be->d_name[0] != '.') {
				snprintf(buf, size, "%s", be->d_name);
				return 0;
			}
	}
	return -ENOENT;
}

/* Read the card without the page cache, so each read reaches the controller. */
static int read_card(const struct sysroot *root, const char *node, size_t *bytes)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	_cleanup_free_ void *buf = NULL;

	*bytes = 0;
	if (sysroot_path(root, path, sizeof(path), "/dev/%s", node) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (posix_memalign(&buf, 4096, PROBE_BYTES))
		return -ENOMEM;
	for (int i = 0; i < PROBE_READS; i++) {
		ssize_t n = pread(fd, buf, PROBE_BYTES, (off_t)i * PROBE_BYTES);

		if (n < 0)
			return -errno;
		*bytes += n;
	}
	return 0;
}

static void judge(struct check_ctx *ctx, const struct sdhci_controller *c, char *text, size_t size)
{
	struct irq_line before, after;
	char node[64];
	size_t bytes;
	int r;

	if (irq_read(ctx->env->root, text, size) < 0 ||
	    irq_find(text, c->host, c->irq, &before) < 0) {
		check_fail(ctx,
			   "%s: %s has no line in /proc/interrupts: the driver did not get its "
			   "interrupt: check the node's interrupts (%s) and the driver's messages "
			   "(sdhci.kernel_log)",
			   c->name, c->host,
			   c->has_dt && c->dt.irq[0] ? c->dt.irq : "none in a DT");
		return;
	}
	check_note(ctx, "%s: %s: irq %s (%s %s%s%s): %llu so far", c->name, c->host, before.irq,
		   before.chip, before.hwirq, c->has_dt && c->dt.irq[0] ? ", DT " : "",
		   c->has_dt ? c->dt.irq : "", (unsigned long long)before.count);
	if (card_block(ctx->env->root, c, node, sizeof(node)) < 0) {
		check_note(ctx, "%s: %s holds no card: the count is not probed", c->name, c->host);
		return;
	}
	r = read_card(ctx->env->root, node, &bytes);
	if (r < 0) {
		check_fail(ctx,
			   "%s: reading /dev/%s failed: %s: the controller does not complete "
			   "requests: see sdhci.kernel_log",
			   c->name, node, strerror(-r));
		return;
	}
	if (irq_read(ctx->env->root, text, size) < 0 || irq_find(text, c->host, c->irq, &after) < 0)
		after = before;
	if (after.count <= before.count) {
		check_fail(
			ctx,
			"%s: reading %zu KiB from /dev/%s raised no interrupt on irq %s (count "
			"stayed %llu): the controller's interrupt does not reach the guest: check "
			"the interrupt number and trigger, and on a VFIO host that the IRQ is "
			"forwarded",
			c->name, bytes / 1024, node, before.irq, (unsigned long long)before.count);
		return;
	}
	check_note(ctx, "%s: reading %zu KiB from /dev/%s raised irq %s from %llu to %llu", c->name,
		   bytes / 1024, node, before.irq, (unsigned long long)before.count,
		   (unsigned long long)after.count);
}

int check_sdhci_interrupts(struct check_ctx *ctx)
{
	struct sdhci_set *set = calloc(1, sizeof(*set));
	size_t size = 256 * 1024, judged = 0;
	char *text = malloc(size);
	int r = -ENOMEM;

	if (set && text)
		r = sdhci_prologue(ctx, set, false);
	for (size_t i = 0; r == 0 && i < set->n; i++) {
		const struct sdhci_controller *c = &set->c[i];

		if (!c->host[0]) {
			check_note(ctx,
				   "%s: no driver registered an MMC host (driver %s): its "
				   "interrupt is requested by the driver, so it is not judged",
				   c->name, c->driver[0] ? c->driver : "none");
			continue;
		}
		judge(ctx, c, text, size);
		judged++;
	}
	if (r == 0 && !judged)
		check_skip(ctx, "no SD host controller has a driver bound: nothing requests an "
				"interrupt");
	free(set);
	free(text);
	return r == -ENODEV ? 0 : r;
}
