// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devices.present and device_locate() against tests/sysroots/default-guest:
 * /sys and /dev captured from a real guest booted with scenarios/default.ini
 * (tests/sysroots/capture). The configuration is what the runner writes for
 * that scenario (agent_config_write), so runner and agent are tested as a
 * pair on what a guest really shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "kselftest_harness.h"
#include "shipped_agent_ini.h"
#include "source_path.h"

#include "devices/locate.h"
#include "scenario/scenario.h"
#include "vm/qemu_argv.h"

FIXTURE(guest)
{
	struct sysroot root;
	struct config cfg;
	struct check_env env;
	struct check_ctx ctx;
	char *out;
	size_t outlen;
	char tmp[64]; /* a scratch root, when a test needs one */
};

FIXTURE_SETUP(guest)
{
	char tree[PATH_MAX];
	struct stat st;

	memset(self, 0, sizeof(*self));
	source_path(tree, sizeof(tree), "tests/sysroots/default-guest");
	ASSERT_EQ(0, stat(tree, &st)) TH_LOG("%s: missing: run tests/sysroots/capture", tree);
	ASSERT_LT(strlen(tree), sizeof(self->root.prefix));
	snprintf(self->root.prefix, sizeof(self->root.prefix), "%s", tree);
}

FIXTURE_TEARDOWN(guest)
{
	config_free(&self->cfg);
	free(self->out);
	if (self->tmp[0]) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->tmp);
		if (system(cmd) != 0)
			TH_LOG("%s: not removed", self->tmp);
	}
}

/* Runs devices.present with `text` as the agent's configuration; returns its output. */
static const char *run(FIXTURE_DATA(guest) * self, const char *text)
{
	char err[512];
	FILE *out;

	config_free(&self->cfg);
	free(self->out);
	self->out = NULL;
	if (config_load_string(&self->cfg, text, err, sizeof(err)) < 0)
		return "(the configuration does not parse)";
	self->env = (struct check_env){ .config = &self->cfg, .root = &self->root };
	out = open_memstream(&self->out, &self->outlen);
	if (!out)
		return "open_memstream failed";
	self->ctx = (struct check_ctx){ .env = &self->env, .out = out };
	check_devices_present(&self->ctx);
	fclose(out);
	return self->out;
}

/* A root of our own: sys -> the captured /sys, and a /dev with only `nodes`. */
static int scratch_root(FIXTURE_DATA(guest) * self, const char *const *nodes, size_t n)
{
	char tree[PATH_MAX], path[PATH_MAX];

	snprintf(self->tmp, sizeof(self->tmp), "/tmp/guestcheck-sysroot-XXXXXX");
	if (!mkdtemp(self->tmp))
		return -errno;
	snprintf(tree, sizeof(tree), "%s/sys", self->root.prefix);
	snprintf(path, sizeof(path), "%s/sys", self->tmp);
	if (symlink(tree, path) < 0)
		return -errno;
	snprintf(path, sizeof(path), "%s/dev", self->tmp);
	if (mkdir(path, 0755) < 0)
		return -errno;
	for (size_t i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/dev/%s", self->tmp, nodes[i]);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	snprintf(self->root.prefix, sizeof(self->root.prefix), "%s", self->tmp);
	return 0;
}

TEST_F(guest, default_scenario_all_three_present)
{
	_cleanup_free_ char *ini = shipped_agent_ini("default.ini");

	ASSERT_NE(NULL, ini);
	EXPECT_STREQ("# sd0 (sd-card): /dev/mmcblk0 present, driver mmcblk, 64 MiB\n"
		     "# zns0 (nvme-zns): /dev/nvme0n1 present, driver nvme, 64 MiB\n"
		     "# net0 (usb-net): usb0 present, driver cdc_ether, MAC 52:54:00:12:34:56\n",
		     run(self, ini));
	EXPECT_FALSE(self->ctx.failed);
	EXPECT_FALSE(self->ctx.skipped);
}

TEST_F(guest, locate_each_device)
{
	_cleanup_free_ char *ini = shipped_agent_ini("default.ini");
	struct check_device devs[8];
	struct located_device loc;
	char err[512];

	ASSERT_NE(NULL, ini);
	ASSERT_EQ(0, config_load_string(&self->cfg, ini, err, sizeof(err))) TH_LOG("%s", err);
	self->env = (struct check_env){ .config = &self->cfg, .root = &self->root };
	ASSERT_EQ(3U, check_devices(&self->env, NULL, devs, ARRAY_SIZE(devs)));
	ASSERT_EQ(1U, check_devices(&self->env, &usb_net_kind, devs + 3, 1));
	EXPECT_STREQ("net0", devs[3].name);

	ASSERT_EQ(0, device_locate(&self->env, &devs[0], &loc));
	EXPECT_STREQ("class/block/mmcblk0", loc.class_dev);
	EXPECT_STREQ("mmcblk0", loc.node);
	EXPECT_STREQ("mmcblk", loc.driver);
	EXPECT_STREQ("mmcblk", loc.expected_driver);
	EXPECT_STREQ("", loc.mac);
	EXPECT_STREQ("", loc.problem);

	ASSERT_EQ(0, device_locate(&self->env, &devs[1], &loc));
	EXPECT_STREQ("class/block/nvme0n1", loc.class_dev);
	EXPECT_STREQ("nvme0n1", loc.node);
	/* The namespace has no driver: the PCI function above it has. */
	EXPECT_STREQ("nvme", loc.driver);

	ASSERT_EQ(0, device_locate(&self->env, &devs[2], &loc));
	EXPECT_STREQ("class/net/usb0", loc.class_dev);
	EXPECT_STREQ("usb0", loc.node);
	EXPECT_STREQ("cdc_ether", loc.driver);
	EXPECT_STREQ("52:54:00:12:34:56", loc.mac);
}

TEST_F(guest, sysroot_reads_the_capture)
{
	char buf[64];
	uint64_t sectors;

	EXPECT_TRUE(sysroot_exists(&self->root, "/sys/class/block/%s", "mmcblk0"));
	EXPECT_FALSE(sysroot_exists(&self->root, "/sys/class/block/%s", "mmcblk1"));
	ASSERT_EQ(0, sysroot_read_u64(&self->root, &sectors, "/sys/class/block/nvme0n1/size"));
	EXPECT_EQ(131072ULL, sectors);
	ASSERT_EQ(0,
		  sysroot_read_line(&self->root, buf, sizeof(buf), "/sys/class/net/usb0/address"));
	EXPECT_STREQ("52:54:00:12:34:56", buf);
	ASSERT_EQ(0, sysroot_class_driver(&self->root, "class/net/usb0", buf, sizeof(buf)));
	EXPECT_STREQ("cdc_ether", buf);
	ASSERT_EQ(0, sysroot_link_name(&self->root, buf, sizeof(buf),
				       "/sys/class/block/mmcblk0/device/driver"));
	EXPECT_STREQ("mmcblk", buf);
	/* lo is virtual: no device, no driver. */
	EXPECT_EQ(-ENOENT, sysroot_class_driver(&self->root, "class/net/lo", buf, sizeof(buf)));
	EXPECT_EQ(-ENOENT, sysroot_read_line(&self->root, buf, sizeof(buf), "/sys/nothing"));
	EXPECT_EQ(-ENAMETOOLONG,
		  sysroot_link_name(&self->root, buf, 3, "/sys/class/block/mmcblk0/device/driver"));
}

TEST_F(guest, mac_mismatch_names_both_macs)
{
	EXPECT_STREQ("# FAIL net0 (usb-net): expected a device with driver cdc_ether, saw usb0 "
		     "has driver cdc_ether but MAC 52:54:00:12:34:56, not 52:54:00:12:34:57: "
		     "check the mac= of the QEMU -device usb-net line against the scenario\n",
		     run(self, "[device net0]\ntype = usb-net\nmac = 52:54:00:12:34:57\n"));
	EXPECT_TRUE(self->ctx.failed);
}

TEST_F(guest, no_mac_takes_any_cdc_ether_interface)
{
	/* lo is in /sys/class/net too, with no driver: it is passed over. */
	EXPECT_STREQ("# n (usb-net): usb0 present, driver cdc_ether, MAC 52:54:00:12:34:56\n",
		     run(self, "[device n]\ntype = usb-net\n"));
	EXPECT_FALSE(self->ctx.failed);
}

TEST_F(guest, wrong_node_expected_vs_seen)
{
	EXPECT_STREQ("# FAIL sd0 (sd-card): expected /dev/mmcblk1 (driver mmcblk), saw nothing: "
		     "check the QEMU -device line and agent.modules\n",
		     run(self, "[device sd0]\ntype = sd-card\nnode = mmcblk1\n"));
	EXPECT_TRUE(self->ctx.failed);

	/* A node that is there but belongs to another driver. */
	EXPECT_STREQ("# FAIL sd0 (sd-card): expected a device with driver mmcblk, saw "
		     "/dev/nvme0n1 has driver 'nvme', not 'mmcblk': check the QEMU -device "
		     "options and that the driver module is loaded\n",
		     run(self, "[device sd0]\ntype = sd-card\nnode = nvme0n1\n"));
	EXPECT_TRUE(self->ctx.failed);
}

TEST_F(guest, driver_key_overrides_the_expected_driver)
{
	EXPECT_STREQ("# FAIL zns0 (nvme-zns): expected a device with driver nvme_fabrics, saw "
		     "/dev/nvme0n1 has driver 'nvme', not 'nvme_fabrics': check the QEMU -device "
		     "options and that the driver module is loaded\n",
		     run(self, "[device zns0]\ntype = nvme-zns\ndriver = nvme_fabrics\n"));
	EXPECT_TRUE(self->ctx.failed);
	/* The nearest miss is named: the adapter with another driver. */
	EXPECT_STREQ("# FAIL n (usb-net): expected a device with driver rndis_host, saw usb0 has "
		     "MAC 52:54:00:12:34:56 but driver cdc_ether, not rndis_host: check the "
		     "usb-net device model and that the driver is loaded\n",
		     run(self, "[device n]\ntype = usb-net\ndriver = rndis_host\n"));
	EXPECT_TRUE(self->ctx.failed);
}

TEST_F(guest, missing_dev_node)
{
	static const char *const only_nvme[] = { "nvme0n1" };

	ASSERT_EQ(0, scratch_root(self, only_nvme, ARRAY_SIZE(only_nvme)));
	EXPECT_STREQ("# FAIL sd0 (sd-card): sysfs has mmcblk0 but /dev/mmcblk0 is missing: is "
		     "devtmpfs mounted on /dev?\n"
		     "# zns0 (nvme-zns): /dev/nvme0n1 present, driver nvme, 64 MiB\n",
		     run(self, "[device sd0]\ntype = sd-card\nnode = mmcblk0\n"
			       "[device zns0]\ntype = nvme-zns\nnode = nvme0n1\n"));
	EXPECT_TRUE(self->ctx.failed);
}

TEST_F(guest, nothing_there)
{
	_cleanup_free_ char *ini = shipped_agent_ini("default.ini");
	char dir[] = "/tmp/guestcheck-empty-XXXXXX";

	ASSERT_NE(NULL, ini);
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(self->root.prefix, sizeof(self->root.prefix), "%s", dir);
	/* The runner pins the card's sdhci-pci: the card is looked for below it. */
	EXPECT_STREQ("# FAIL sd0 (sd-card): expected /dev/mmcblk? on 0000:00:10.0 (driver "
		     "mmcblk), saw nothing: check the QEMU -device line and agent.modules\n"
		     "# FAIL zns0 (nvme-zns): expected /dev/nvme0n1 (driver nvme), saw nothing: "
		     "check the QEMU -device line and agent.modules\n"
		     "# FAIL net0 (usb-net): expected a network interface with driver cdc_ether, "
		     "saw none: check the QEMU -device line and agent.modules\n",
		     run(self, ini));
	EXPECT_TRUE(self->ctx.failed);
	rmdir(dir);
}

TEST_F(guest, unknown_type_fails)
{
	struct check_device dev = { .name = "f", .type = "floppy" };
	struct located_device loc;

	EXPECT_STREQ("# FAIL f: unknown device type 'floppy': this agent knows sd-card, "
		     "nvme-zns, usb-net, null-blk, scsi-debug, hdd\n"
		     "# n (usb-net): usb0 present, driver cdc_ether, MAC 52:54:00:12:34:56\n",
		     run(self, "[device f]\ntype = floppy\n[device n]\ntype = usb-net\n"));
	EXPECT_TRUE(self->ctx.failed);
	EXPECT_EQ(-EPROTONOSUPPORT, device_locate(&self->env, &dev, &loc));
}

TEST_F(guest, no_devices_skips)
{
	EXPECT_STREQ("", run(self, "[scenario]\nname = none\n[agent]\nmodules = virtio_pci\n"));
	EXPECT_TRUE(self->ctx.skipped);
	EXPECT_FALSE(self->ctx.failed);
	EXPECT_STREQ("the scenario names no [device] sections", self->ctx.skip_reason);

	/* A [device] section without a type is no device. */
	EXPECT_STREQ("", run(self, "[device x]\nnode = mmcblk0\n"));
	EXPECT_TRUE(self->ctx.skipped);
}

/* checks/check.c: what every check reports through, and how it lists devices. */
TEST(check_messages_are_one_ktap_line_each)
{
	struct config cfg;
	struct check_env env = { .config = &cfg };
	struct check_ctx ctx = { .env = &env };
	_cleanup_free_ char *out = NULL;
	size_t len = 0;
	char err[256];

	ASSERT_EQ(0, config_load_string(&cfg, "", err, sizeof(err)));
	ctx.out = open_memstream(&out, &len);
	ASSERT_NE(NULL, ctx.out);
	check_note(&ctx, "%s: %d", "sd0", 1);
	EXPECT_FALSE(ctx.failed);
	/* A guest string with line breaks must not start a KTAP line of its own. */
	check_fail(&ctx, "name '%s'", "x\nok 1 fake\r\n");
	EXPECT_TRUE(ctx.failed);
	check_skip(&ctx, "no %s here", "card");
	EXPECT_TRUE(ctx.skipped);
	EXPECT_STREQ("no card here", ctx.skip_reason);
	fclose(ctx.out);
	EXPECT_STREQ("# sd0: 1\n# FAIL name 'x ok 1 fake  '\n", out);
	config_free(&cfg);
}

TEST(check_devices_by_type_and_beyond_max)
{
	struct config cfg;
	struct check_env env = { .config = &cfg };
	struct check_device devs[2];
	char err[256];

	ASSERT_EQ(0, config_load_string(&cfg,
					"[scenario]\nname = x\n"
					"[device a]\ntype = sd-card\nnode = mmcblk0\n"
					"[device b]\ntype = usb-net\n"
					"[device c]\ntype = sd-card\n"
					"[device untyped]\nnode = x\n"
					"[devices d]\ntype = sd-card\n",
					err, sizeof(err)))
	TH_LOG("%s", err);
	/* The count is of all matches, even past max, so callers can say so. */
	ASSERT_EQ(3U, check_devices(&env, NULL, devs, 2));
	EXPECT_STREQ("a", devs[0].name);
	EXPECT_STREQ("sd-card", devs[0].type);
	EXPECT_STREQ("b", devs[1].name);
	ASSERT_EQ(2U, check_devices(&env, &sd_card_kind, devs, 2));
	EXPECT_STREQ("a", devs[0].name);
	EXPECT_STREQ("c", devs[1].name);
	EXPECT_STREQ("mmcblk0", check_device_get(&devs[0], "node"));
	EXPECT_EQ(NULL, check_device_get(&devs[1], "node"));
	EXPECT_EQ(0U, check_devices(&env, &nvme_zns_kind, devs, 2));
	config_free(&cfg);
}

TEST(sysroot_paths)
{
	struct sysroot root = { .prefix = "/tmp/tree" };
	char buf[32], big[300];
	uint64_t v;

	ASSERT_EQ(0, sysroot_path(&root, buf, sizeof(buf), "/sys/class/%s", "net"));
	EXPECT_STREQ("/tmp/tree/sys/class/net", buf);
	EXPECT_EQ(-ENAMETOOLONG,
		  sysroot_path(&root, buf, sizeof(buf), "/sys/class/block/%s/device", "mmcblk0"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	root.prefix[0] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, sysroot_path(&root, buf, sizeof(buf), "%s", big));
	EXPECT_FALSE(sysroot_exists(&root, "/nonexistent/%s", big));
	/* A number with junk is not a number. */
	EXPECT_EQ(-EINVAL, sysroot_read_u64(&root, &v, "/proc/self/comm"));
}

TEST_HARNESS_MAIN
