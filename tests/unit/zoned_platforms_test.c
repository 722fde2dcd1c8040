// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zoned checks and devices.present on the shapes newer platforms give,
 * over trees captured from real guests (tests/sysroots/capture, QUEUE=1):
 *   nvme-mpath-6.1, nvme-mpath-6.12  QEMU 10.0 sets the NVMe controller's
 *       multi-controller bit, so Linux makes nvme0n1 a multipath head
 *       (device nvme-subsys0, no driver, no scheduler of its own; on 6.1 zone
 *       limits 0) and nvme0c0n1 the path with the driver, limits and scheduler
 *       (scenarios/zoned-host-managed.ini, only its NVMe namespace);
 *   zoned-host-aware-6.12  a host-aware scsi_debug disk (sdb) on Linux 6.12,
 *       which has no host-aware model: a regular disk
 *       (scenarios/zoned-host-aware.ini, QEMU 7.2);
 *   zoned-guest  the same host-aware disk (sda) on Linux 6.1, for contrast.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "source_path.h"

#include "devices/locate.h"
#include "zoned/zoned.h"

/* Runs a check over tests/sysroots/TREE with an agent.ini; returns its diagnostics. */
static char *run(check_fn fn, const char *tree, const char *ini, bool *failed, bool *skipped)
{
	struct config cfg;
	struct sysroot root = { 0 };
	struct check_env env = { .config = &cfg, .root = &root };
	struct check_ctx ctx = { .env = &env };
	char rel[128], err[256], *text = NULL;
	size_t len = 0;

	snprintf(rel, sizeof(rel), "tests/sysroots/%s", tree);
	source_path(root.prefix, sizeof(root.prefix), rel);
	if (config_load_string(&cfg, ini, err, sizeof(err)) < 0)
		return NULL;
	ctx.out = open_memstream(&text, &len);
	if (!ctx.out) {
		config_free(&cfg);
		return NULL;
	}
	fn(&ctx);
	fclose(ctx.out);
	config_free(&cfg);
	*failed = ctx.failed;
	*skipped = ctx.skipped;
	return text;
}

/* zns0 of scenarios/zoned-host-managed.ini as the runner writes it. */
#define ZNS0                                                                                       \
	"[device zns0]\ntype = nvme-zns\nzone_size = 4M\nzone_capacity = 3M\nmax_open = 4\n"       \
	"max_active = 6\nnode = nvme0n1\nsize = 67108864\n"

FIXTURE(mpath)
{
	char *out;
	bool failed, skipped;
};

FIXTURE_VARIANT(mpath)
{
	const char *tree;
	const char *head_limits; /* the note on the head's own limits, NULL: they agree */
	bool head_has_scheduler; /* 6.1: "none"; 6.12: no queue/scheduler at all */
};

FIXTURE_VARIANT_ADD(mpath, linux_6_1){
	.tree = "nvme-mpath-6.1",
	.head_limits = "the head's own queue says max open 0, max active 0: this kernel does "
		       "not pass the controller's zone limits up to the head",
	.head_has_scheduler = true,
};

FIXTURE_VARIANT_ADD(mpath, linux_6_12){
	.tree = "nvme-mpath-6.12",
	.head_limits = NULL,
	.head_has_scheduler = false,
};

FIXTURE_SETUP(mpath)
{
	self->out = NULL;
}

FIXTURE_TEARDOWN(mpath)
{
	free(self->out);
}

TEST_F(mpath, the_head_leads_to_its_path)
{
	struct sysroot root = { 0 };
	char paths[BLOCK_MPATH_MAX][32], subsys[32] = "", rel[128];

	snprintf(rel, sizeof(rel), "tests/sysroots/%s", variant->tree);
	source_path(root.prefix, sizeof(root.prefix), rel);
	ASSERT_EQ(1, block_mpath_paths(&root, "nvme0n1", paths, BLOCK_MPATH_MAX, subsys,
				       sizeof(subsys)));
	EXPECT_STREQ("nvme0c0n1", paths[0]);
	EXPECT_STREQ("nvme-subsys0", subsys);
	/* The path itself is no head. */
	EXPECT_EQ(0, block_mpath_paths(&root, "nvme0c0n1", paths, BLOCK_MPATH_MAX, subsys,
				       sizeof(subsys)));
	EXPECT_EQ(variant->head_has_scheduler,
		  sysroot_exists(&root, "/sys/class/block/nvme0n1/queue/scheduler"));
}

TEST_F(mpath, devices_present_finds_the_driver_on_the_path)
{
	self->out = run(check_devices_present, variant->tree, ZNS0, &self->failed, &self->skipped);
	ASSERT_NE(NULL, self->out);
	EXPECT_FALSE(self->failed);
	EXPECT_STREQ("# zns0 (nvme-zns): /dev/nvme0n1 present, driver nvme (NVMe multipath head "
		     "of nvme-subsys0, I/O through nvme0c0n1), 64 MiB\n",
		     self->out);
}

TEST_F(mpath, queue_model_reads_limits_and_scheduler_on_the_path)
{
	self->out =
		run(check_zoned_queue_model, variant->tree, ZNS0, &self->failed, &self->skipped);
	ASSERT_NE(NULL, self->out);
	EXPECT_FALSE(self->failed) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "# zns0 (/dev/nvme0n1): an NVMe multipath head of "
					  "nvme-subsys0: its I/O goes through nvme0c0n1"));
	if (variant->head_limits) {
		EXPECT_NE(NULL, strstr(self->out, variant->head_limits));
	} else {
		EXPECT_EQ(NULL, strstr(self->out, "the head's own queue"));
	}
	EXPECT_NE(NULL, strstr(self->out, "16 zones of 4 MiB, max open 4, max active 6"));
	EXPECT_NE(NULL, strstr(self->out, "scheduler mq-deadline\n"));
	EXPECT_EQ(NULL, strstr(self->out, "echo "));
}

TEST_F(mpath, scheduler_advice_names_the_queue_that_has_one)
{
	self->out = run(check_zoned_queue_model, variant->tree, ZNS0 "expect_scheduler = kyber\n",
			&self->failed, &self->skipped);
	ASSERT_NE(NULL, self->out);
	EXPECT_TRUE(self->failed);
	EXPECT_NE(NULL, strstr(self->out, "expected I/O scheduler kyber, saw mq-deadline "
					  "(/sys/block/nvme0c0n1/queue/scheduler"));
	EXPECT_NE(NULL, strstr(self->out, "echo kyber > /sys/block/nvme0c0n1/queue/scheduler"));
	EXPECT_EQ(NULL, strstr(self->out, "/sys/block/nvme0n1/queue/scheduler"));
}

/* ha0 of scenarios/zoned-host-aware.ini; the node is where the capture found it. */
#define HA0(node)                                                                                  \
	"[device ha0]\ntype = scsi-debug\nmodel = host-aware\nzone_size = 8M\nconv_zones = 2\n"    \
	"block_size = 4096\nnode = " node "\nsize = 67108864\nscratch = yes\n"

FIXTURE(host_aware)
{
	char *out;
	bool failed, skipped;
};

FIXTURE_VARIANT(host_aware)
{
	const char *tree;
	const char *ini;
	const char *seen; /* in zoned.queue_model's notes */
};

FIXTURE_VARIANT_ADD(host_aware, linux_6_1){
	.tree = "zoned-guest",
	.ini = HA0("sda"),
	.seen = "# ha0 (/dev/sda): host-aware, 8 zones of 8 MiB, max open 0",
};

FIXTURE_VARIANT_ADD(host_aware, linux_6_12){
	.tree = "zoned-host-aware-6.12",
	.ini = HA0("sdb"),
	.seen = "# ha0 (/dev/sdb): a regular disk (queue/zoned none), as expected here: the "
		"scenario expects a host-aware disk, and Linux 6.12.117+deb12-amd64 treats "
		"host-aware disks as regular ones",
};

FIXTURE_SETUP(host_aware)
{
	self->out = NULL;
}

FIXTURE_TEARDOWN(host_aware)
{
	free(self->out);
}

TEST_F(host_aware, expected_per_kernel)
{
	self->out = run(check_zoned_queue_model, variant->tree, variant->ini, &self->failed,
			&self->skipped);
	ASSERT_NE(NULL, self->out);
	EXPECT_FALSE(self->failed) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, variant->seen)) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "lost on the way"));
}

/* On 6.12 the trap is still reported where the scenario wants host-managed. */
TEST(host_managed_expected_on_6_12_is_still_the_trap)
{
	bool failed, skipped;
	char *out = run(check_zoned_queue_model, "zoned-host-aware-6.12",
			HA0("sdb") "expect_zoned = host-managed\n", &failed, &skipped);

	ASSERT_NE(NULL, out);
	EXPECT_TRUE(failed);
	EXPECT_NE(NULL, strstr(out, "# FAIL ha0 (/dev/sdb): expected a host-managed zoned disk, "
				    "saw a regular disk (queue/zoned = none): the zoned model was "
				    "lost on the way to the guest"));
	free(out);
}

TEST(host_aware_on_6_12_has_no_zones_to_report_or_test)
{
	bool failed, skipped;
	char *out = run(check_zoned_zone_report, "zoned-host-aware-6.12", HA0("sdb"), &failed,
			&skipped);

	ASSERT_NE(NULL, out);
	EXPECT_FALSE(failed);
	EXPECT_STREQ("# ha0 (/dev/sdb): no zones to report: the scenario expects a host-aware "
		     "disk, and Linux 6.12.117+deb12-amd64 treats host-aware disks as regular ones "
		     "(since 6.8 the block layer has no host-aware model: queue/zoned is "
		     "host-managed or none)\n",
		     out);
	free(out);

	out = run(check_zoned_write_pointer, "zoned-host-aware-6.12", HA0("sdb"), &failed,
		  &skipped);
	ASSERT_NE(NULL, out);
	EXPECT_FALSE(failed);
	EXPECT_TRUE(skipped);
	EXPECT_NE(NULL, strstr(out, "# ha0 (/dev/sdb): no zones to test: the scenario expects a "
				    "host-aware disk, and Linux 6.12"));
	free(out);
}

TEST_HARNESS_MAIN
