// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A scenario sd-card is found by its controller's PCI address (the runner
 * pins each sdhci-pci with addr= and writes pci_address into the agent's
 * config), never by the kernel's mmc host number, which follows probe order:
 * Linux 6.12 under QEMU 10.0.2 made the second controller mmc0. The tree is
 * tests/sysroots/mmc-two-cards (0000:00:02.0 = mmc0 = mmcblk0, 03.0 = mmc1 =
 * mmcblk1, 04.0 = mmc2, empty); the scenarios here list the controllers in
 * the other order, so scenario order and host numbers disagree as they did.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "source_path.h"

#include "devices/locate.h"
#include "mmc/mmc.h"

/* sd0's controller probed second (mmc1), sd1's first (mmc0), sd2's holds no card. */
static const char swapped[] = "[device sd0]\ntype = sd-card\npci_address = 0000:00:03.0\n"
			      "[device sd1]\ntype = sd-card\npci_address = 0000:00:02.0\n"
			      "[device sd2]\ntype = sd-card\npci_address = 0000:00:04.0\n";

FIXTURE(swapped)
{
	struct config cfg;
	struct sysroot root;
	struct check_env env;
	struct check_device devs[4];
	size_t n;
};

FIXTURE_SETUP(swapped)
{
	char err[256];

	self->root = (struct sysroot){ 0 };
	source_path(self->root.prefix, sizeof(self->root.prefix), "tests/sysroots/mmc-two-cards");
	ASSERT_EQ(0, config_load_string(&self->cfg, swapped, err, sizeof(err)));
	self->env = (struct check_env){ .config = &self->cfg, .root = &self->root };
	self->n = check_devices(&self->env, &sd_card_kind, self->devs, 4);
	ASSERT_EQ(3U, self->n);
}

FIXTURE_TEARDOWN(swapped)
{
	config_free(&self->cfg);
}

TEST_F(swapped, node_follows_the_controller)
{
	char node[64];

	ASSERT_EQ(0, sd_card_node(&self->root, &self->devs[0], "mmcblk0", node, sizeof(node)));
	EXPECT_STREQ("mmcblk1", node);
	ASSERT_EQ(0, sd_card_node(&self->root, &self->devs[1], "mmcblk1", node, sizeof(node)));
	EXPECT_STREQ("mmcblk0", node);
	/* An empty controller: no card, and no other card's node in its place. */
	EXPECT_EQ(-ENOENT,
		  sd_card_node(&self->root, &self->devs[2], "mmcblk2", node, sizeof(node)));
	EXPECT_STREQ("mmcblk? on 0000:00:04.0", node);
}

TEST_F(swapped, locate_and_mmc_checks_agree)
{
	struct located_device loc;
	struct mmc_card card;
	char node[64];

	/* The tree keeps no driver links, so only where each card was looked for counts. */
	device_locate(&self->env, &self->devs[0], &loc);
	EXPECT_STREQ("class/block/mmcblk1", loc.class_dev);
	device_locate(&self->env, &self->devs[1], &loc);
	EXPECT_STREQ("class/block/mmcblk0", loc.class_dev);
	EXPECT_EQ(-ENOENT, device_locate(&self->env, &self->devs[2], &loc));
	EXPECT_STREQ("mmcblk? on 0000:00:04.0", loc.node);
	EXPECT_STREQ("", loc.driver);

	mmc_expected_node(&self->root, &self->devs[0], 0, node, sizeof(node));
	ASSERT_EQ(0, mmc_card_read(&self->root, node, &card));
	EXPECT_STREQ("0000:00:03.0", card.controller);
	mmc_expected_node(&self->root, &self->devs[1], 1, node, sizeof(node));
	ASSERT_EQ(0, mmc_card_read(&self->root, node, &card));
	EXPECT_STREQ("0000:00:02.0", card.controller);
	mmc_expected_node(&self->root, &self->devs[2], 2, node, sizeof(node));
	EXPECT_EQ(-ENOENT, mmc_card_read(&self->root, node, &card));
}

TEST(explicit_node_wins)
{
	struct sysroot root = { 0 };
	struct config cfg;
	struct check_env env = { .config = &cfg, .root = &root };
	struct check_device dev[2];
	char err[256], node[64];

	source_path(root.prefix, sizeof(root.prefix), "tests/sysroots/mmc-two-cards");
	ASSERT_EQ(0, config_load_string(&cfg,
					"[device a]\ntype = sd-card\nnode = mmcblk0\n"
					"pci_address = 0000:00:03.0\n"
					"[device b]\ntype = sd-card\n",
					err, sizeof(err)));
	ASSERT_EQ(2U, check_devices(&env, &sd_card_kind, dev, 2));
	ASSERT_EQ(0, sd_card_node(&root, &dev[0], "mmcblk9", node, sizeof(node)));
	EXPECT_STREQ("mmcblk0", node);
	/* No address (a machine without PCI, zcu102): the runner's node or the fallback. */
	ASSERT_EQ(0, sd_card_node(&root, &dev[1], "mmcblk1", node, sizeof(node)));
	EXPECT_STREQ("mmcblk1", node);
	config_free(&cfg);
}

TEST_HARNESS_MAIN
