// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmc.geometry: each card's size, logical and physical block size and
 * read-only state, against the scenario. Reads sysfs only, so it sees the
 * read-only state before mmc.layout and mmc.fingerprint set it (BLKROSET).
 */
#include <stdio.h>
#include <string.h>

#include "mmc.h"
#include "units.h"

static const struct {
	const char *key;
	const char *attr; /* under /sys/class/block/NODE/ */
	const char *what;
	const char *cause;
} block_sizes[] = {
	{ "expect_logical_block_size", "queue/logical_block_size", "logical block size",
	  "mmc_block uses 512-byte sectors for SD cards, and for eMMC unless its data sector "
	  "size is 4 KiB" },
	{ "expect_physical_block_size", "queue/physical_block_size", "physical block size",
	  "mmc_block reports the card's data sector size" },
};

static void size_of(struct check_ctx *ctx, const struct check_device *dev, const struct mmc_card *c)
{
	const char *want = check_device_get(dev, "size");
	uint64_t sectors, expected;
	char a[32], b[32];

	if (sysroot_read_u64(ctx->env->root, &sectors, "/sys/class/block/%s/size", c->node) < 0) {
		check_fail(ctx, "%s: /dev/%s: cannot read its size from sysfs", dev->name, c->node);
		return;
	}
	check_note(ctx, "%s: /dev/%s: %s (%llu bytes)", dev->name, c->node,
		   format_size(sectors * 512, a, sizeof(a)), (unsigned long long)sectors * 512);
	if (!want)
		return;
	if (parse_size(want, &expected) < 0) {
		check_fail(ctx, "%s: size = '%s' is not a size: write e.g. 64M", dev->name, want);
		return;
	}
	if (expected == sectors * 512)
		return;
	check_fail(ctx,
		   "%s: /dev/%s: expected %s (%llu bytes), saw %s (%llu bytes): the card is as "
		   "large as its -drive image: check the image (qemu-img info) against the "
		   "scenario's size; QEMU refuses SD images that are not a power of 2, so resize "
		   "to one (qemu-img resize)",
		   dev->name, c->node, format_size(expected, a, sizeof(a)),
		   (unsigned long long)expected, format_size(sectors * 512, b, sizeof(b)),
		   (unsigned long long)sectors * 512);
}

static void block_size_of(struct check_ctx *ctx, const struct check_device *dev,
			  const struct mmc_card *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(block_sizes); i++) {
		const char *want = check_device_get(dev, block_sizes[i].key);
		uint64_t seen, expected;

		if (sysroot_read_u64(ctx->env->root, &seen, "/sys/class/block/%s/%s", c->node,
				     block_sizes[i].attr) < 0) {
			check_fail(ctx, "%s: /dev/%s: cannot read %s from sysfs", dev->name,
				   c->node, block_sizes[i].attr);
			continue;
		}
		check_note(ctx, "%s: /dev/%s: %s %llu", dev->name, c->node, block_sizes[i].what,
			   (unsigned long long)seen);
		if (!want)
			continue;
		if (parse_size(want, &expected) < 0)
			check_fail(ctx, "%s: %s = '%s' is not a size: write e.g. 512", dev->name,
				   block_sizes[i].key, want);
		else if (expected != seen)
			check_fail(ctx, "%s: /dev/%s: expected %s %llu, saw %llu: %s", dev->name,
				   c->node, block_sizes[i].what, (unsigned long long)expected,
				   (unsigned long long)seen, block_sizes[i].cause);
	}
}

static void readonly_of(struct check_ctx *ctx, const struct check_device *dev,
			const struct mmc_card *c)
{
	const char *want = check_device_get(dev, "expect_readonly");
	uint64_t ro;
	int expected;

	if (sysroot_read_u64(ctx->env->root, &ro, "/sys/class/block/%s/ro", c->node) < 0) {
		check_fail(ctx, "%s: /dev/%s: cannot read its ro flag from sysfs", dev->name,
			   c->node);
		return;
	}
	check_note(ctx, "%s: /dev/%s: read-only %s", dev->name, c->node, ro ? "yes" : "no");
	if (!want)
		return;
	if (parse_bool(want, &expected) < 0) {
		check_fail(ctx, "%s: expect_readonly = '%s': write yes or no", dev->name, want);
		return;
	}
	if (expected && !ro)
		check_fail(ctx,
			   "%s: /dev/%s: expected read-only, saw writable: QEMU 7.2 refuses "
			   "read-only drives for SD cards, so an emulated card is always "
			   "writable; the mmc checks set it read-only themselves before reading",
			   dev->name, c->node);
	else if (!expected && ro)
		check_fail(ctx,
			   "%s: /dev/%s: expected writable, saw read-only: the card's "
			   "write-protect switch is on, or something ran BLKROSET on it first",
			   dev->name, c->node);
}

static void geometry(struct check_ctx *ctx, const struct check_device *dev,
		     const struct mmc_card *c)
{
	size_of(ctx, dev, c);
	block_size_of(ctx, dev, c);
	readonly_of(ctx, dev, c);
}

int check_mmc_geometry(struct check_ctx *ctx)
{
	return mmc_for_each_card(ctx, false, geometry);
}
