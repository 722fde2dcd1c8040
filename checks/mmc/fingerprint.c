// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmc.fingerprint: each card's bytes, layout and write counters, taken
 * strictly read-only (mmc_open_guarded), as one line a host can compare
 * between boots (see MMC_FINGERPRINT_TAG in mmc.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mmc.h"

static void fingerprint(struct check_ctx *ctx, const struct check_device *dev,
			const struct mmc_card *c)
{
	const char *want = check_device_get(dev, "expect_digest");
	struct mmc_fingerprint f = { .ro_before = -1 };
	struct mmc_layout l;
	struct mmc_guard g;
	char err[512], summary[2048], line[1024];

	snprintf(f.device, sizeof(f.device), "%s", dev->name);
	snprintf(f.node, sizeof(f.node), "%s", c->node);
	if (mmc_open_guarded(ctx->env->root, c->node, &g, err, sizeof(err)) < 0) {
		check_fail(ctx, "%s: %s", dev->name, err);
		return;
	}
	f.ro_before = g.ro_before;
	f.ro = g.blockdev;
	if (mmc_layout_probe(g.fd, g.bytes, &l, err, sizeof(err)) < 0) {
		check_fail(ctx, "%s: /dev/%s: %s", dev->name, c->node, err);
		mmc_guard_close(&g);
		return;
	}
	mmc_layout_format(&l, summary, sizeof(summary));
	mmc_layout_digest(summary, f.layout_digest, sizeof(f.layout_digest));
	if (mmc_digest(&g, &f, err, sizeof(err)) < 0) {
		check_fail(ctx, "%s: %s", dev->name, err);
		mmc_guard_close(&g);
		return;
	}
	mmc_guard_close(&g);
	/* After the read: a write racing the digest still shows in the counters. */
	if (mmc_stat_read(ctx->env->root, c->node, &f.stat) < 0)
		check_fail(ctx, "%s: /dev/%s: cannot read /sys/class/block/%s/stat", dev->name,
			   c->node, c->node);
	check_note(ctx, "%s: layout %s", dev->name, summary);
	mmc_fingerprint_format(&f, line, sizeof(line));
	check_note(ctx, "%s", line);
	if (f.stat.wr_ios || f.stat.discard_ios)
		check_fail(
			ctx,
			"%s: /dev/%s: expected no writes, saw %llu write requests (%llu sectors) "
			"and %llu discards (%llu sectors) since boot: something in this guest "
			"wrote to the card (the mmc checks only read it)",
			dev->name, c->node, (unsigned long long)f.stat.wr_ios,
			(unsigned long long)f.stat.wr_sectors,
			(unsigned long long)f.stat.discard_ios,
			(unsigned long long)f.stat.discard_sectors);
	if (want && strcasecmp(want, f.digest))
		check_fail(ctx,
			   "%s: /dev/%s: expected XXH3-128 %s, saw %s: the card's bytes differ "
			   "from the image meant (xxhsum -H2 IMAGE on the host)",
			   dev->name, c->node, want, f.digest);
}

int check_mmc_fingerprint(struct check_ctx *ctx)
{
	return mmc_for_each_card(ctx, false, fingerprint);
}
