// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks/mmc over a captured guest tree (tests/sysroots/mmc-two-cards: two
 * QEMU sd-cards on two sdhci-pci controllers and a third, empty controller):
 * identity from sysfs, the hosts and their cards, why a card is missing,
 * the block stat parser, and the messages of mmc.identity and mmc.geometry.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "source_path.h"

#include "mmc/mmc.h"

static void two_cards(struct sysroot *root)
{
	source_path(root->prefix, sizeof(root->prefix), "tests/sysroots/mmc-two-cards");
}

/* Runs a check over the tree with a scenario; returns its diagnostics. */
static char *run(check_fn fn, const char *scenario, const char *prefix, bool *failed, bool *skipped)
{
	struct config cfg;
	struct sysroot root = { 0 };
	struct check_env env = { .config = &cfg, .root = &root };
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct check_ctx ctx = { .env = &env, .out = out };

	snprintf(root.prefix, sizeof(root.prefix), "%s", prefix);
	if (config_load_string(&cfg, scenario, err, sizeof(err)) < 0) {
		fclose(out);
		free(text);
		return NULL;
	}
	fn(&ctx);
	fclose(out);
	config_free(&cfg);
	*failed = ctx.failed;
	*skipped = ctx.skipped;
	return text;
}

TEST(card_identity_from_sysfs)
{
	struct sysroot root;
	struct mmc_card c;

	two_cards(&root);
	ASSERT_EQ(0, mmc_card_read(&root, "mmcblk1", &c));
	EXPECT_STREQ("mmc1:4567", c.card);
	EXPECT_STREQ("mmc1", c.host);
	EXPECT_STREQ("0000:00:03.0", c.controller);
	EXPECT_STREQ("SD", c.type);
	EXPECT_STREQ("QEMU!", c.name);
	EXPECT_STREQ("0x0000aa", c.manfid);
	EXPECT_STREQ("0x5859", c.oemid);
	EXPECT_STREQ("0xdeadbeef", c.serial);
	EXPECT_STREQ("02/2006", c.date);
	EXPECT_STREQ("aa585951454d552101deadbeef006200", c.cid);
	EXPECT_STREQ("002600325f59e01fffffdfff92600000", c.csd);
	/* A block device that is not a card, and no device at all. */
	EXPECT_EQ(-ENOENT, mmc_card_read(&root, "ram0", &c));
	EXPECT_EQ(-ENOENT, mmc_card_read(&root, "mmcblk7", &c));
}

TEST(hosts_sorted_with_their_cards)
{
	struct sysroot root;
	struct mmc_host h[4];

	two_cards(&root);
	ASSERT_EQ(3U, mmc_hosts(&root, h, 4));
	EXPECT_STREQ("mmc0", h[0].host);
	EXPECT_STREQ("mmcblk0", h[0].node);
	EXPECT_STREQ("0000:00:03.0", h[1].controller);
	EXPECT_STREQ("mmc1:4567", h[1].card);
	EXPECT_STREQ("mmc2", h[2].host);
	EXPECT_STREQ("", h[2].card);
	EXPECT_STREQ("", h[2].node);
	/* More hosts than room: counted, not written past the end. */
	EXPECT_EQ(3U, mmc_hosts(&root, h, 1));
}

TEST(missing_card_causes)
{
	struct sysroot root, empty = { .prefix = "/nonexistent-guestcheck-root" };
	char why[1024];

	two_cards(&root);
	mmc_explain_missing(&root, "mmcblk2", 3, why, sizeof(why));
	EXPECT_NE(NULL, strstr(why, "only 2 cards for the scenario's 3"));
	EXPECT_NE(NULL, strstr(why, "mmc2 on 0000:00:04.0 (empty)"));
	EXPECT_NE(NULL, strstr(why, "several cards without an explicit bus= (or with the same "
				    "one) land on one controller"));
	mmc_explain_missing(&root, "mmcblk5", 2, why, sizeof(why));
	EXPECT_NE(NULL, strstr(why, "set node ="));
	mmc_explain_missing(&empty, "mmcblk0", 1, why, sizeof(why));
	EXPECT_NE(NULL, strstr(why, "no SD/MMC host controller"));
	EXPECT_NE(NULL, strstr(why, "RHEL-family QEMU"));
}

TEST(block_stat_lines)
{
	struct mmc_stat st;

	ASSERT_EQ(0, mmc_stat_parse("     3        0       24        2        7        1       56"
				    "        9        0        4        2        5        0      "
				    " 40        1        6        0\n",
				    &st));
	EXPECT_EQ(17U, st.fields);
	EXPECT_EQ(3U, st.rd_ios);
	EXPECT_EQ(24U, st.rd_sectors);
	EXPECT_EQ(7U, st.wr_ios);
	EXPECT_EQ(56U, st.wr_sectors);
	EXPECT_EQ(5U, st.discard_ios);
	EXPECT_EQ(40U, st.discard_sectors);
	EXPECT_EQ(6U, st.flush_ios);
	ASSERT_EQ(0, mmc_stat_parse("1 2 3 4 5 6 7 8 9 10 11", &st));
	EXPECT_EQ(11U, st.fields);
	EXPECT_EQ(0U, st.discard_ios);
	EXPECT_EQ(-EINVAL, mmc_stat_parse("1 2 3", &st));
	EXPECT_EQ(-EINVAL, mmc_stat_parse("1 2 3 4 5 6 7 8 9 10 x1", &st));
	EXPECT_EQ(-EINVAL, mmc_stat_parse("1 2 3 4 5 6 7 8 9 10 -1", &st));
	EXPECT_EQ(-EINVAL, mmc_stat_parse("99999999999999999999999 2 3 4 5 6 7 8 9 10 11", &st));
}

TEST(identity_passes_and_names_mismatches)
{
	struct sysroot root;
	bool failed, skipped;
	char *out;

	two_cards(&root);
	out = run(check_mmc_identity,
		  "[device emmc]\ntype = sd-card\nnode = mmcblk0\nexpect_type = sd\n"
		  "expect_manfid = 0xaa\nexpect_name = QEMU!\n"
		  "[device sd1]\ntype = sd-card\nnode = mmcblk1\n",
		  root.prefix, &failed, &skipped);
	ASSERT_NE(NULL, out);
	EXPECT_FALSE(failed);
	EXPECT_NE(NULL, strstr(out, "emmc: /dev/mmcblk0 is card mmc0:4567 on mmc0 (controller "
				    "0000:00:02.0): type SD, name QEMU!"));
	EXPECT_NE(NULL, strstr(out, "sd1: /dev/mmcblk1 is card mmc1:4567"));
	free(out);

	out = run(check_mmc_identity,
		  "[device emmc]\ntype = sd-card\nnode = mmcblk0\nexpect_type = MMC\n"
		  "expect_serial = 0x1234\n",
		  root.prefix, &failed, &skipped);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(failed);
	EXPECT_NE(NULL, strstr(out, "FAIL emmc: /dev/mmcblk0: expected type MMC, saw SD: QEMU's "
				    "sd-card is an SD card"));
	EXPECT_NE(NULL, strstr(out, "expected serial number 0x1234, saw 0xdeadbeef"));
	free(out);
}

TEST(identity_explains_a_missing_card)
{
	struct sysroot root;
	bool failed, skipped;
	char *out;

	two_cards(&root);
	out = run(check_mmc_identity,
		  "[device a]\ntype = sd-card\n[device b]\ntype = sd-card\n"
		  "[device c]\ntype = sd-card\n",
		  root.prefix, &failed, &skipped);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(failed);
	EXPECT_NE(NULL, strstr(out, "FAIL c (sd-card): expected an MMC/SD card as /dev/mmcblk2, "
				    "saw no such device: only 2 cards for the scenario's 3"));
	EXPECT_EQ(NULL, strstr(out, "FAIL a "));
	free(out);

	out = run(check_mmc_identity, "[device a]\ntype = sd-card\nnode = ram0\n", root.prefix,
		  &failed, &skipped);
	EXPECT_NE(NULL, strstr(out, "saw a block device that is no MMC/SD card"));
	free(out);

	out = run(check_mmc_identity,
		  "[device a]\ntype = sd-card\n[device b]\ntype = sd-card\nnode = mmcblk0\n",
		  root.prefix, &failed, &skipped);
	EXPECT_NE(NULL, strstr(out, "FAIL a and b both expect /dev/mmcblk0"));
	free(out);

	out = run(check_mmc_identity, "[device n]\ntype = usb-net\n", root.prefix, &failed,
		  &skipped);
	EXPECT_TRUE(skipped);
	EXPECT_FALSE(failed);
	free(out);
}

TEST(geometry_expected_versus_seen)
{
	struct sysroot root;
	bool failed, skipped;
	char *out;

	two_cards(&root);
	out = run(check_mmc_geometry,
		  "[device emmc]\ntype = sd-card\nnode = mmcblk0\nsize = 67108864\n"
		  "expect_logical_block_size = 512\nexpect_readonly = no\n",
		  root.prefix, &failed, &skipped);
	ASSERT_NE(NULL, out);
	EXPECT_FALSE(failed);
	EXPECT_NE(NULL, strstr(out, "emmc: /dev/mmcblk0: 64 MiB (67108864 bytes)"));
	free(out);

	out = run(check_mmc_geometry,
		  "[device emmc]\ntype = sd-card\nnode = mmcblk1\nsize = 64M\n"
		  "expect_physical_block_size = 4K\nexpect_readonly = yes\n",
		  root.prefix, &failed, &skipped);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(failed);
	EXPECT_NE(NULL, strstr(out, "FAIL emmc: /dev/mmcblk1: expected 64 MiB (67108864 bytes), "
				    "saw 32 MiB (33554432 bytes)"));
	EXPECT_NE(NULL, strstr(out, "not a power of 2"));
	EXPECT_NE(NULL, strstr(out, "expected physical block size 4096, saw 512"));
	EXPECT_NE(NULL, strstr(out, "expected read-only, saw writable: QEMU 7.2 refuses"));
	free(out);
}

TEST_HARNESS_MAIN
