// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sdhci.* checks over hand-built guest trees (tests/sysroots/sdhci-*):
 * a guest whose sdhci-pci holds the controller (registers from the agent's
 * snapshot, an interrupt line whose count the test cannot raise), and one
 * whose controller reports no voltage, so the driver refused it. Each check
 * runs as in the agent, its diagnostics captured.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "kselftest_harness.h"
#include "source_path.h"

struct run {
	bool failed, skipped;
	char skip[256];
	char *out; /* every diagnostic line */
};

static void run_check(const char *tree, const char *ini, check_fn fn, struct run *res)
{
	struct config cfg;
	struct sysroot root;
	struct check_env env = { .config = &cfg, .root = &root };
	struct check_ctx ctx = { .env = &env };
	char err[256];
	size_t len;

	source_path(root.prefix, sizeof(root.prefix), tree);
	config_load_string(&cfg, ini, err, sizeof(err));
	ctx.out = open_memstream(&res->out, &len);
	fn(&ctx);
	fclose(ctx.out);
	res->failed = ctx.failed;
	res->skipped = ctx.skipped;
	snprintf(res->skip, sizeof(res->skip), "%s", ctx.skip_reason);
	config_free(&cfg);
}

static const char guest_ini[] = "[device sd0]\n"
				"type = sd-card\n"
				"node = mmcblk0\n"
				"sdhci_version = 0x2401\n"
				"sdhci_caps = 0x057834b4\n";

TEST(registers_from_the_snapshot_while_the_driver_holds_it)
{
	struct run r = { 0 };

	run_check("tests/sysroots/sdhci-pci-guest", guest_ini, check_sdhci_registers, &r);
	EXPECT_FALSE(r.failed) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "0000:00:02.0 (PCI class 0x080501 at 0xfebfe000, driver "
				      "sdhci-pci, mmc0, device sd0)"));
	EXPECT_NE(NULL, strstr(r.out, "read by the agent before any SDHCI driver loaded (a live "
				      "read failed: No such file or directory)"));
	EXPECT_NE(NULL,
		  strstr(r.out, "# mmc0: sdhci: Caps:      0x057834b4 | Caps_1:   0x00000000"));
	EXPECT_NE(NULL, strstr(r.out, "Version 0x00002401: spec 2.00, vendor 0x24"));
	EXPECT_NE(NULL, strstr(r.out, "sd0: 0000:00:02.0: Caps 0x057834b4 as sdhci_caps pins it"));
	free(r.out);
}

TEST(card_present_and_clock_test_from_the_snapshot)
{
	struct run r = { 0 };

	run_check("tests/sysroots/sdhci-pci-guest", guest_ini, check_sdhci_card, &r);
	EXPECT_FALSE(r.failed) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "sd0: 0000:00:02.0: card present, writable"));
	free(r.out);
	memset(&r, 0, sizeof(r));
	run_check("tests/sysroots/sdhci-pci-guest", guest_ini, check_sdhci_clock, &r);
	EXPECT_FALSE(r.failed) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "clock test (by the agent before drivers loaded): internal "
				      "clock stable 10 us"));
	free(r.out);
}

static const char novolt_ini[] = "[device sd0]\n"
				 "type = sd-card\n"
				 "capareg = 0x007834b4\n";

TEST(no_voltage_names_the_regulator_fix)
{
	struct run r = { 0 };

	run_check("tests/sysroots/sdhci-pci-novoltage", novolt_ini, check_sdhci_supplies, &r);
	EXPECT_TRUE(r.failed);
	EXPECT_NE(NULL, strstr(r.out, "capabilities 0x007834b4 report no voltage"));
	EXPECT_NE(NULL, strstr(r.out, "'Hardware doesn't report any support voltages'"));
	EXPECT_NE(NULL, strstr(r.out, "vmmc-supply"));
	EXPECT_NE(NULL, strstr(r.out, "regulator-fixed"));
	free(r.out);
	memset(&r, 0, sizeof(r));
	/* capareg is what the guest must see: it does. */
	run_check("tests/sysroots/sdhci-pci-novoltage", novolt_ini, check_sdhci_registers, &r);
	EXPECT_FALSE(r.failed) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "Caps 0x007834b4 as capareg pins it"));
	free(r.out);
}

/* One check over one tree: its verdict, and what it says (or its skip reason). */
FIXTURE(one_check){};
FIXTURE_SETUP(one_check)
{
}
FIXTURE_TEARDOWN(one_check)
{
}

FIXTURE_VARIANT(one_check)
{
	const char *tree, *ini;
	check_fn fn;
	bool failed, skipped;
	const char *says[2]; /* in the diagnostics; NULL: nothing more */
	const char *skip;    /* in the skip reason */
	const char *never;   /* never in the diagnostics */
};

FIXTURE_VARIANT_ADD(one_check, a_pinned_value_that_differs_fails_by_field){
	.tree = "tests/sysroots/sdhci-pci-guest",
	.ini = "[device sd0]\ntype = sd-card\nnode = mmcblk0\nsdhci_version = 0x2402\n",
	.fn = check_sdhci_registers,
	.failed = true,
	.says = { "FAIL sd0: 0000:00:02.0: Version: expected 0x00002402 (sdhci_version), saw "
		  "0x00002401: spec: expected 'spec 3.00', saw 'spec 2.00'" },
};
/* The captured /proc/interrupts cannot change while the test reads the card. */
FIXTURE_VARIANT_ADD(one_check, an_interrupt_count_that_stands_still_fails){
	.tree = "tests/sysroots/sdhci-pci-guest",
	.ini = guest_ini,
	.fn = check_sdhci_interrupts,
	.failed = true,
	.says = { "0000:00:02.0: mmc0: irq 22 (IO-APIC 22-fasteoi): 144 so far",
		  "raised no interrupt on irq 22 (count stayed 144)" },
};
FIXTURE_VARIANT_ADD(one_check, clean_kernel_log){
	.tree = "tests/sysroots/sdhci-pci-guest",
	.ini = guest_ini,
	.fn = check_sdhci_kernel_log,
	.says = { "no known SDHCI error among 5 kernel log messages" },
};
FIXTURE_VARIANT_ADD(one_check, the_kernels_message_is_mapped_to_its_cause){
	.tree = "tests/sysroots/sdhci-pci-novoltage",
	.ini = novolt_ini,
	.fn = check_sdhci_kernel_log,
	.failed = true,
	.says = { "FAIL kernel log: 'mmc0: Hardware doesn't report any support voltages.': the "
		  "capabilities register reports no" },
	.never = "Copyright", /* an unrelated line */
};
FIXTURE_VARIANT_ADD(one_check, no_driver_no_interrupt_to_judge){
	.tree = "tests/sysroots/sdhci-pci-novoltage",
	.ini = novolt_ini,
	.fn = check_sdhci_interrupts,
	.skipped = true,
	.says = { "no driver registered an MMC host (driver none)" },
};
FIXTURE_VARIANT_ADD(one_check, no_controller_skips){
	.tree = "tests/sysroots/default-guest-nonexistent",
	.ini = "[scenario]\nname = x\n",
	.fn = check_sdhci_registers,
	.skipped = true,
	.skip = "no SD host controller",
};
FIXTURE_VARIANT_ADD(one_check, a_card_with_no_controller_fails){
	.tree = "tests/sysroots/default-guest-nonexistent",
	.ini = "[device sd0]\ntype = sd-card\n",
	.fn = check_sdhci_registers,
	.failed = true,
	.says = { "sd0 (sd-card): expected an SD host controller, found none" },
};

TEST_F(one_check, verdict_and_words)
{
	struct run r = { 0 };

	run_check(variant->tree, variant->ini, variant->fn, &r);
	EXPECT_EQ(variant->failed, r.failed) TH_LOG("%s", r.out);
	if (variant->skipped)
		EXPECT_TRUE(r.skipped);
	for (size_t i = 0; i < ARRAY_SIZE(variant->says) && variant->says[i]; i++)
		EXPECT_NE(NULL, strstr(r.out, variant->says[i])) TH_LOG("%s", r.out);
	if (variant->skip)
		EXPECT_NE(NULL, strstr(r.skip, variant->skip)) TH_LOG("%s", r.skip);
	if (variant->never)
		EXPECT_EQ(NULL, strstr(r.out, variant->never)) TH_LOG("%s", r.out);
	free(r.out);
}

/* A real xlnx-zcu102 guest: /proc/device-tree as its kernel exposed dt/zcu102-guest.dts. */
static const char zcu_ini[] = "[device sd0]\n"
			      "type = sd-card\n"
			      "node = mmcblk0\n"
			      "sdhci_base = 0xff160000\n"
			      "sdhci_caps = 0x37ec6481\n"
			      "sdhci_dma_coherent = yes\n"
			      "[device sd1]\n"
			      "type = sd-card\n"
			      "node = mmcblk1\n"
			      "sdhci_version = 0x2402\n";

TEST(zcu102_controllers_from_the_device_tree)
{
	struct run r = { 0 };
	char *sd0, *sd1;

	run_check("tests/sysroots/sdhci-zcu102-guest", zcu_ini, check_sdhci_registers, &r);
	EXPECT_FALSE(r.failed) TH_LOG("%s", r.out);
	/* In address order, each with its card's device. */
	sd0 = strstr(r.out,
		     "ff160000.mmc (DT arasan,sdhci-8.9a at 0xff160000, driver sdhci-arasan, "
		     "mmc0, device sd0)");
	sd1 = strstr(r.out,
		     "ff170000.mmc (DT arasan,sdhci-8.9a at 0xff170000, driver sdhci-arasan, "
		     "mmc1, device sd1)");
	ASSERT_NE(NULL, sd0) TH_LOG("%s", r.out);
	ASSERT_NE(NULL, sd1);
	EXPECT_LT(sd0, sd1);
	EXPECT_NE(NULL, strstr(r.out, "ff170000.mmc: Version 0x00002402: spec 3.00, vendor 0x24"));
	EXPECT_NE(NULL, strstr(r.out, "sd0: ff160000.mmc: Caps 0x37ec6481 as sdhci_caps pins it"));
	EXPECT_NE(NULL,
		  strstr(r.out, "sd1: ff170000.mmc: Version 0x00002402 as sdhci_version pins it"));
	free(r.out);
}

TEST(zcu102_regulators_clocks_and_coherence)
{
	struct run r = { 0 };

	run_check("tests/sysroots/sdhci-zcu102-guest", zcu_ini, check_sdhci_supplies, &r);
	EXPECT_FALSE(r.failed) TH_LOG("%s", r.out);
	EXPECT_NE(NULL,
		  strstr(r.out, "ff170000.mmc: device-tree node /axi/mmc@ff170000, compatible "
				"arasan,sdhci-8.9a"));
	EXPECT_NE(NULL,
		  strstr(r.out, "ff160000.mmc: vmmc-supply is /regulator-vmmc (regulator-fixed, "
				"3300000 uV, vmmc)"));
	EXPECT_NE(NULL, strstr(r.out, "ff160000.mmc: clock clk_ahb is /clk-ahb (fixed-clock, "
				      "187500000 Hz)"));
	EXPECT_NE(NULL, strstr(r.out, "ff160000.mmc: dma-coherent present"));
	free(r.out);
	memset(&r, 0, sizeof(r));
	/* The tree has dma-coherent: a scenario that says it must not fails. */
	run_check(
		"tests/sysroots/sdhci-zcu102-guest",
		"[device sd0]\ntype = sd-card\nsdhci_base = 0xff160000\nsdhci_dma_coherent = no\n",
		check_sdhci_supplies, &r);
	EXPECT_TRUE(r.failed);
	EXPECT_NE(NULL, strstr(r.out, "sd0: ff160000.mmc: the node says dma-coherent, the scenario "
				      "says the controller is not"));
	free(r.out);
}

TEST(zcu102_interrupts_and_clock_test)
{
	struct run r = { 0 };

	run_check("tests/sysroots/sdhci-zcu102-guest", zcu_ini, check_sdhci_interrupts, &r);
	EXPECT_NE(NULL,
		  strstr(r.out, "ff170000.mmc: mmc1: irq 17 (GIC-0 81, DT SPI 49 level-high): "
				"143 so far"))
	TH_LOG("%s", r.out);
	free(r.out);
	memset(&r, 0, sizeof(r));
	run_check("tests/sysroots/sdhci-zcu102-guest", zcu_ini, check_sdhci_clock, &r);
	EXPECT_FALSE(r.failed) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "ff170000.mmc: clock test (by the agent before drivers "
				      "loaded): internal clock stable 10 us"));
	free(r.out);
}

TEST(a_scenario_address_where_nothing_answers)
{
	struct run r = { 0 };

	run_check("tests/sysroots/sdhci-zcu102-guest",
		  "[device sd9]\ntype = sd-card\nsdhci_base = 0xff180000\n", check_sdhci_registers,
		  &r);
	EXPECT_TRUE(r.failed);
	EXPECT_NE(NULL, strstr(r.out, "0xff180000 (address from the scenario at 0xff180000, driver "
				      "none, device sd9)"))
	TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "FAIL 0xff180000: every register reads 0x00000000 at "
				      "0xff180000 (version and capabilities too): the MMIO is not "
				      "mapped where the scenario says"));
	free(r.out);
}

TEST_HARNESS_MAIN
