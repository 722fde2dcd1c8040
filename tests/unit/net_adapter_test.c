// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one rule for which interface is a usb-net device (checks/devices/
 * net_adapter.c), applied by devices.present and usbnet.* alike, over trees
 * captured from real guests booted with scenarios/usbnet-user.ini:
 *   usbnet-guest         QEMU 7.2: the configured MACs (net3 not captured)
 *   usbnet-guest-qemu10  QEMU 10.0: every MAC's first byte is 0x40, so every
 *                        interface is ethN
 * and tests/sysroots/default-guest-qemu10 (scenarios/default.ini, QEMU 10.0).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kselftest_harness.h"
#include "shipped_agent_ini.h"
#include "source_path.h"

#include "devices/locate.h"
#include "devices/net_adapter.h"
#include "scenario/scenario.h"
#include "usbnet/usbnet.h"
#include "vm/qemu_argv.h"

FIXTURE(usbnet_user)
{
	struct sysroot root;
	struct config cfg;
	struct check_env env;
	char *out;
	size_t outlen;
};

FIXTURE_VARIANT(usbnet_user)
{
	const char *tree;
	const char *names[4]; /* net0..net3's interfaces, NULL: not in the capture */
	bool placeholder;     /* the MACs differ in QEMU's 0x40 first byte */
};

FIXTURE_VARIANT_ADD(usbnet_user, qemu_7_2){
	.tree = "tests/sysroots/usbnet-guest",
	.names = { "usb0", "eth0", "usb1", NULL },
	.placeholder = false,
};

FIXTURE_VARIANT_ADD(usbnet_user, qemu_10_0){
	.tree = "tests/sysroots/usbnet-guest-qemu10",
	.names = { "eth0", "eth1", "eth2", "eth3" },
	.placeholder = true,
};

FIXTURE_SETUP(usbnet_user)
{
	_cleanup_free_ char *ini = shipped_agent_ini("usbnet-user.ini");
	char err[512];

	memset(self, 0, sizeof(*self));
	ASSERT_NE(NULL, ini);
	source_path(self->root.prefix, sizeof(self->root.prefix), variant->tree);
	ASSERT_EQ(0, config_load_string(&self->cfg, ini, err, sizeof(err))) TH_LOG("%s", err);
	self->env = (struct check_env){ .config = &self->cfg, .root = &self->root };
}

FIXTURE_TEARDOWN(usbnet_user)
{
	config_free(&self->cfg);
	free(self->out);
}

/* devices.present (and the agent's wait) and usbnet.link pick the same interface. */
TEST_F(usbnet_user, devices_present_and_usbnet_agree)
{
	struct check_device devs[4];
	struct usbnet_scan scan;

	ASSERT_EQ(4U, check_devices(&self->env, &usb_net_kind, devs, 4));
	ASSERT_EQ(0, usbnet_scan(&self->env, &scan));
	ASSERT_EQ(4U, scan.ntargets);
	for (size_t i = 0; i < 4; i++) {
		const struct usbnet_target *t = &scan.targets[i];
		struct located_device loc;
		int r = device_locate(&self->env, &devs[i], &loc);

		EXPECT_STREQ(devs[i].name, t->dev.name);
		if (!variant->names[i]) {
			EXPECT_EQ(-ENOENT, r);
			EXPECT_EQ(-1, t->iface);
			continue;
		}
		ASSERT_EQ(0, r) TH_LOG("%s: %s", devs[i].name, loc.problem);
		ASSERT_LE(0, t->iface);
		EXPECT_STREQ(variant->names[i], loc.node);
		EXPECT_STREQ(variant->names[i], scan.ifs[t->iface].name);
		EXPECT_EQ(variant->placeholder, loc.placeholder_mac);
		EXPECT_EQ(variant->placeholder, t->placeholder_mac);
	}
}

/* A miss names the nearest interface, not the last one read. */
TEST_F(usbnet_user, a_miss_names_the_closest_interface)
{
	struct check_device dev;
	struct located_device loc;
	char err[512];

	config_free(&self->cfg);
	ASSERT_EQ(0, config_load_string(&self->cfg,
					"[device net0]\ntype = usb-net\nmac = 52:54:00:12:34:56\n"
					"driver = rndis_host\n",
					err, sizeof(err)));
	ASSERT_EQ(1U, check_devices(&self->env, &usb_net_kind, &dev, 1));
	EXPECT_EQ(-ENOENT, device_locate(&self->env, &dev, &loc));
	/* The adapter with net0's MAC (or its placeholder form) is nearer than any other. */
	EXPECT_STREQ(
		variant->placeholder
			? "eth0 has MAC 40:54:00:12:34:56 but driver cdc_ether, not rndis_host"
			: "usb0 has MAC 52:54:00:12:34:56 but driver cdc_ether, not rndis_host",
		loc.problem);
}

/*
 * A device without a MAC takes what the devices with one leave, in
 * devices.present as in usbnet.*: "any" comes first but must not take eth0,
 * which is net1's by its MAC. (devices.present once matched each device on
 * its own and gave both eth0, while usbnet.link gave "any" usb0.)
 */
TEST(a_device_without_mac_takes_what_is_left_in_both)
{
	static const char ini[] = "[device any]\ntype = usb-net\n\n"
				  "[device net1]\ntype = usb-net\nmac = 00:16:3e:12:34:57\n";
	static const char *const want[] = { "usb0", "eth0" };
	struct sysroot root = { 0 };
	struct config cfg;
	struct check_env env = { .config = &cfg, .root = &root };
	struct check_device devs[2];
	struct usbnet_scan scan;
	char err[512];

	source_path(root.prefix, sizeof(root.prefix), "tests/sysroots/usbnet-guest");
	ASSERT_EQ(0, config_load_string(&cfg, ini, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2U, check_devices(&env, &usb_net_kind, devs, 2));
	ASSERT_EQ(0, usbnet_scan(&env, &scan));
	ASSERT_EQ(2U, scan.ntargets);
	for (size_t i = 0; i < 2; i++) {
		struct located_device loc;

		ASSERT_EQ(0, device_locate(&env, &devs[i], &loc)) TH_LOG("%s", loc.problem);
		ASSERT_LE(0, scan.targets[i].iface);
		EXPECT_STREQ(want[i], loc.node) TH_LOG("devices.present, %s", devs[i].name);
		EXPECT_STREQ(want[i], scan.ifs[scan.targets[i].iface].name)
		TH_LOG("usbnet.link, %s", devs[i].name);
	}
	config_free(&cfg);
}

TEST(default_scenario_on_qemu_10)
{
	_cleanup_free_ char *ini = shipped_agent_ini("default.ini");
	struct sysroot root = { 0 };
	struct config cfg;
	struct check_env env = { .config = &cfg, .root = &root };
	struct check_ctx ctx = { .env = &env };
	char err[512], *out = NULL;
	size_t len = 0;

	ASSERT_NE(NULL, ini);
	source_path(root.prefix, sizeof(root.prefix), "tests/sysroots/default-guest-qemu10");
	ASSERT_EQ(0, config_load_string(&cfg, ini, err, sizeof(err))) TH_LOG("%s", err);
	ctx.out = open_memstream(&out, &len);
	ASSERT_NE(NULL, ctx.out);
	check_devices_present(&ctx);
	fclose(ctx.out);
	EXPECT_FALSE(ctx.failed) TH_LOG("%s", out);
	EXPECT_STREQ("# sd0 (sd-card): /dev/mmcblk0 present, driver mmcblk, 64 MiB\n"
		     "# zns0 (nvme-zns): /dev/nvme0n1 present, driver nvme (NVMe multipath head "
		     "of nvme-subsys0, I/O through nvme0c0n1), 64 MiB\n"
		     "# net0 (usb-net): eth0 present, driver cdc_ether, MAC 40:54:00:12:34:56 "
		     "(configured 52:54:00:12:34:56, but for QEMU usb-net's placeholder first "
		     "byte 0x40: see usbnet.link)\n",
		     out);
	free(out);
	config_free(&cfg);
}

/*
 * The race of a distribution guest's udev (README, "Checks in a running
 * VM"), laid out as the Debian 12 test guest showed it: cdc_subset holds
 * the data interface 1-1:1.1 of QEMU's usb-net (0525:a4a2) as usb0 with a
 * made-up MAC, cdc_ether holds nothing. devices.present names the cause
 * and the fix, not a wrong mac=.
 */
TEST(cdc_subset_race_is_named_with_its_fix)
{
	static const char layout[] =
		"d=sys/devices/pci0000:00/0000:00:02.0/usb1/1-1 && "
		"mkdir -p $d/1-1:1.1 sys/class/net/usb0 sys/bus/usb/devices "
		"sys/bus/usb/drivers/cdc_subset && "
		"echo 0525 >$d/idVendor && echo a4a2 >$d/idProduct && "
		"ln -s ../../../bus/usb/drivers/cdc_subset $d/1-1:1.1/driver && "
		"ln -s ../../../devices/pci0000:00/0000:00:02.0/usb1/1-1/1-1:1.1 "
		"sys/class/net/usb0/device && "
		"echo 6a:59:03:78:88:3b >sys/class/net/usb0/address && "
		"ln -s ../../../devices/pci0000:00/0000:00:02.0/usb1/1-1 sys/bus/usb/devices/1-1";
	char tmp[] = "/tmp/net-adapter-race-XXXXXX", cmd[1024], err[512], *out = NULL;
	struct sysroot root = { 0 };
	struct config cfg;
	struct check_env env = { .config = &cfg, .root = &root };
	struct check_ctx ctx = { .env = &env };
	size_t len = 0;

	ASSERT_NE(NULL, mkdtemp(tmp));
	snprintf(cmd, sizeof(cmd), "cd %s && %s", tmp, layout);
	ASSERT_EQ(0, system(cmd));
	snprintf(root.prefix, sizeof(root.prefix), "%s", tmp);
	ASSERT_EQ(0, config_load_string(&cfg,
					"[device net0]\ntype = usb-net\nmac = 52:54:00:12:34:56\n",
					err, sizeof(err)))
	TH_LOG("%s", err);
	ctx.out = open_memstream(&out, &len);
	ASSERT_NE(NULL, ctx.out);
	check_devices_present(&ctx);
	fclose(ctx.out);
	EXPECT_TRUE(ctx.failed);
	EXPECT_NE(NULL, strstr(out, "usb0 is QEMU's usb-net (USB 0525:a4a2) taken by cdc_subset, "
				    "not cdc_ether: cdc_subset claimed its data interface 1-1:1.1 "
				    "with a made-up MAC 6a:59:03:78:88:3b"))
	TH_LOG("%s", out);
	EXPECT_NE(NULL,
		  strstr(out, "echo blacklist cdc_subset >/etc/modprobe.d/usb-net.conf) or, "
			      "at once, echo 1-1:1.1 >/sys/bus/usb/drivers/cdc_subset/unbind; "
			      "echo 1-1:1.0 >/sys/bus/usb/drivers/cdc_ether/bind"))
	TH_LOG("%s", out);
	free(out);
	config_free(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	EXPECT_EQ(0, system(cmd));
}

struct fit_case {
	const char *want, *seen;
	enum net_mac_fit fit;
};

TEST(mac_fit_table)
{
	static const struct fit_case cases[] = {
		{ "52:54:00:12:34:56", "52:54:00:12:34:56", NET_MAC_EQUAL },
		{ "52:54:00:AB:34:56", "52:54:00:ab:34:56", NET_MAC_EQUAL },
		{ "52:54:00:12:34:56", "40:54:00:12:34:56", NET_MAC_PLACEHOLDER },
		{ "00:16:3e:12:34:57", "40:16:3e:12:34:57", NET_MAC_PLACEHOLDER },
		/* Only 0x40, only the first byte. */
		{ "52:54:00:12:34:56", "42:54:00:12:34:56", NET_MAC_OTHER },
		{ "52:54:00:12:34:56", "40:54:00:12:34:57", NET_MAC_OTHER },
		{ "52:54:00:12:34:56", "", NET_MAC_OTHER },
		{ "52:54:00:12:34:56", "40:54:00:12:34:56:00", NET_MAC_OTHER },
		{ NULL, "40:54:00:12:34:56", NET_MAC_EQUAL }, /* none configured: any */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ((int)cases[i].fit, (int)net_mac_fit(cases[i].want, cases[i].seen))
		TH_LOG("%s against %s", cases[i].want ?: "(none)", cases[i].seen);
	}
}

TEST_HARNESS_MAIN
