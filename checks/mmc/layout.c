// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmc.layout: the partition table and filesystems on each card (libblkid),
 * against the scenario's expect_pttype and expect_partitions.
 */
#include <stdio.h>
#include <string.h>

#include "mmc.h"
#include "units.h"

static void describe(struct check_ctx *ctx, const char *name, const char *node,
		     const struct mmc_layout *l)
{
	char a[32], b[32];

	if (!l->pttype[0]) {
		if (l->fstype[0])
			check_note(ctx,
				   "%s: /dev/%s: no partition table; %s filesystem on the "
				   "whole card, label '%s', uuid %s",
				   name, node, l->fstype, l->label, l->fsuuid);
		else
			check_note(ctx, "%s: /dev/%s: no partition table and no known filesystem",
				   name, node);
		return;
	}
	check_note(ctx, "%s: /dev/%s: %s partition table%s%s, %zu partition%s", name, node,
		   l->pttype, l->ptuuid[0] ? " id " : "", l->ptuuid, l->nparts,
		   l->nparts == 1 ? "" : "s");
	for (size_t i = 0; i < l->nparts && i < MMC_MAX_PARTS; i++) {
		const struct mmc_part *p = &l->parts[i];

		check_note(ctx, "%s: partition %u: start %s, size %s, type %s%s%s%s%s: %s%s%s%s%s",
			   name, p->number, format_size(p->start, a, sizeof(a)),
			   format_size(p->size, b, sizeof(b)), p->type, p->name[0] ? ", name " : "",
			   p->name, p->uuid[0] ? ", partuuid " : "", p->uuid,
			   p->fstype[0] ? p->fstype : "no known filesystem",
			   p->label[0] ? " label " : "", p->label, p->fsuuid[0] ? " uuid " : "",
			   p->fsuuid);
	}
}

static void expect(struct check_ctx *ctx, const struct check_device *dev, const char *node,
		   const struct mmc_layout *l)
{
	const char *pttype = check_device_get(dev, "expect_pttype");
	const char *nparts = check_device_get(dev, "expect_partitions");
	const char *seen = l->pttype[0] ? l->pttype : "none";
	uint64_t want;

	if (pttype && strcmp(pttype, seen))
		check_fail(ctx,
			   "%s: /dev/%s: expected partition table %s, saw %s: check that "
			   "the image is the one meant (fdisk -l IMAGE on the host)",
			   dev->name, node, pttype, seen);
	if (!nparts)
		return;
	if (parse_u64(nparts, &want) < 0)
		check_fail(ctx, "%s: expect_partitions = '%s' is not a number", dev->name, nparts);
	else if (want != l->nparts)
		check_fail(ctx,
			   "%s: /dev/%s: expected %llu partitions, saw %zu: check that the "
			   "image is the one meant (fdisk -l IMAGE on the host)",
			   dev->name, node, (unsigned long long)want, l->nparts);
}

static void layout(struct check_ctx *ctx, const struct check_device *dev, const struct mmc_card *c)
{
	struct mmc_guard g;
	struct mmc_layout l;
	char err[512];

	if (mmc_open_guarded(ctx->env->root, c->node, &g, err, sizeof(err)) < 0) {
		check_fail(ctx, "%s: %s", dev->name, err);
		return;
	}
	if (mmc_layout_probe(g.fd, g.bytes, &l, err, sizeof(err)) < 0)
		check_fail(ctx, "%s: /dev/%s: %s", dev->name, c->node, err);
	else {
		describe(ctx, dev->name, c->node, &l);
		expect(ctx, dev, c->node, &l);
	}
	mmc_guard_close(&g);
}

int check_mmc_layout(struct check_ctx *ctx)
{
	return mmc_for_each_card(ctx, false, layout);
}
