// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmc.identity: each scenario card is an MMC/SD card in the guest, on its
 * own controller, and what its CID says (type, name, manufacturer, OEM,
 * serial, date) matches the scenario's expect_* keys.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mmc.h"

enum match { MATCH_TEXT, MATCH_TEXT_NOCASE, MATCH_HEX };

static const struct {
	const char *key;
	const char *what;
	size_t offset;
	enum match match;
	const char *cause; /* why they may differ, and what to do */
} expectations[] = {
	{ "expect_type", "type", offsetof(struct mmc_card, type), MATCH_TEXT_NOCASE,
	  "QEMU's sd-card is an SD card (type SD); eMMC (type MMC) needs a QEMU with an eMMC "
	  "model (-device emmc, newer than 7.2) or real hardware" },
	{ "expect_name", "product name", offsetof(struct mmc_card, name), MATCH_TEXT,
	  "the name comes from the card's CID (QEMU's sd-card says \"QEMU!\")" },
	{ "expect_manfid", "manufacturer ID", offsetof(struct mmc_card, manfid), MATCH_HEX,
	  "the ID comes from the card's CID (QEMU's sd-card: 0xaa)" },
	{ "expect_oemid", "OEM ID", offsetof(struct mmc_card, oemid), MATCH_HEX,
	  "the ID comes from the card's CID (QEMU's sd-card: 0x5859)" },
	{ "expect_serial", "serial number", offsetof(struct mmc_card, serial), MATCH_HEX,
	  "the serial comes from the card's CID (QEMU's sd-card: 0xdeadbeef)" },
	{ "expect_date", "manufacturing date", offsetof(struct mmc_card, date), MATCH_TEXT,
	  "the date comes from the card's CID, as MM/YYYY" },
};

static bool hex_equal(const char *a, const char *b)
{
	char *ea, *eb;
	unsigned long long x = strtoull(a, &ea, 16), y = strtoull(b, &eb, 16);

	return *a && *b && !*ea && !*eb && x == y;
}

static bool matches(enum match m, const char *want, const char *seen)
{
	switch (m) {
	case MATCH_TEXT_NOCASE:
		return !strcasecmp(want, seen);
	case MATCH_HEX:
		return hex_equal(want, seen);
	case MATCH_TEXT:
		break;
	}
	return !strcmp(want, seen);
}

static void identify(struct check_ctx *ctx, const struct check_device *dev,
		     const struct mmc_card *c)
{
	check_note(ctx,
		   "%s: /dev/%s is card %s on %s (controller %s): type %s, name %s, manfid %s, "
		   "oemid %s, serial %s, date %s",
		   dev->name, c->node, c->card, c->host, c->controller[0] ? c->controller : "?",
		   c->type, c->name, c->manfid, c->oemid, c->serial, c->date);
	check_note(ctx, "%s: cid %s csd %s", dev->name, c->cid, c->csd);
	for (size_t i = 0; i < ARRAY_SIZE(expectations); i++) {
		const char *want = check_device_get(dev, expectations[i].key);
		const char *seen = (const char *)c + expectations[i].offset;

		if (!want || matches(expectations[i].match, want, seen))
			continue;
		check_fail(ctx, "%s: /dev/%s: expected %s %s, saw %s: %s", dev->name, c->node,
			   expectations[i].what, want, seen[0] ? seen : "(none)",
			   expectations[i].cause);
	}
}

int check_mmc_identity(struct check_ctx *ctx)
{
	struct check_device devs[MMC_MAX_CARDS];
	size_t n = mmc_scenario_cards(ctx->env, devs, ARRAY_SIZE(devs));

	/* Two scenario cards cannot be one guest card: that hides a missing one. */
	for (size_t i = 0; i < n && i < ARRAY_SIZE(devs); i++)
		for (size_t j = 0; j < i; j++) {
			char a[64], b[64];

			mmc_expected_node(ctx->env->root, &devs[i], i, a, sizeof(a));
			mmc_expected_node(ctx->env->root, &devs[j], j, b, sizeof(b));
			if (!strcmp(a, b))
				check_fail(ctx,
					   "%s and %s both expect /dev/%s: give each its own "
					   "node =",
					   devs[j].name, devs[i].name, a);
		}
	return mmc_for_each_card(ctx, true, identify);
}
