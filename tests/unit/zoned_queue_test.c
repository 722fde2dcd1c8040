// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.queue_model and the refusals of the destructive checks over a
 * captured guest tree (tests/sysroots/zoned-guest: an NVMe zoned namespace,
 * three null_blk devices and a host-aware scsi_debug disk in a 6.1 guest):
 * what passes, and the messages of each trap and mismatch.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "source_path.h"

#include "zoned/zoned.h"

static void tree(char *buf, size_t size)
{
	source_path(buf, size, "tests/sysroots/zoned-guest");
}

/* Runs a check over a tree with an agent.ini; returns its diagnostics. */
static char *run(check_fn fn, const char *ini, const char *prefix, bool *failed, bool *skipped)
{
	struct config cfg;
	struct sysroot root = { 0 };
	struct check_env env = { .config = &cfg, .root = &root };
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *out;
	struct check_ctx ctx = { .env = &env };

	if (prefix)
		snprintf(root.prefix, sizeof(root.prefix), "%s", prefix);
	else
		tree(root.prefix, sizeof(root.prefix));
	if (config_load_string(&cfg, ini, err, sizeof(err)) < 0)
		return NULL;
	out = open_memstream(&text, &len);
	ctx.out = out;
	fn(&ctx);
	fclose(out);
	config_free(&cfg);
	*failed = ctx.failed;
	*skipped = ctx.skipped;
	return text;
}

/* The devices as the runner writes them into agent.ini. */
#define ZNS0                                                                                       \
	"[device zns0]\ntype = nvme-zns\nzone_size = 4M\nzone_capacity = 3M\nmax_open = 4\n"       \
	"max_active = 6\nnode = nvme0n1\nsize = 67108864\n"
#define NB0                                                                                        \
	"[device nb0]\ntype = null-blk\nzone_size = 4M\nzone_capacity = 3M\nconv_zones = 2\n"      \
	"max_open = 3\nmax_active = 5\nblock_size = 4096\nnode = nullb0\nsize = 67108864\n"
#define HA0                                                                                        \
	"[device ha0]\ntype = scsi-debug\nmodel = host-aware\nzone_size = 8M\nconv_zones = 2\n"    \
	"block_size = 4096\nnode = sda\nsize = 67108864\n"

/* One check over the captured tree: its verdict and what it says. */
FIXTURE(captured){};
FIXTURE_SETUP(captured)
{
}
FIXTURE_TEARDOWN(captured)
{
}

FIXTURE_VARIANT(captured)
{
	check_fn fn;
	const char *ini;
	bool failed, skipped;
	const char *says[4]; /* in the diagnostics; NULL: nothing more */
};

FIXTURE_VARIANT_ADD(captured, devices_match_their_scenario){
	.fn = check_zoned_queue_model,
	.ini = ZNS0 NB0 HA0,
	.says = { "# zns0 (/dev/nvme0n1): host-managed, 16 zones of 4 MiB, max open 4, max active "
		  "6, zone append up to 512 KiB, write granularity 512, blocks 512/512, scheduler "
		  "mq-deadline\n",
		  "# nb0 (/dev/nullb0): host-managed, 16 zones of 4 MiB, max open 3, max active 5",
		  "# ha0 (/dev/sda): host-aware, 8 zones of 8 MiB, max open 0" },
};
FIXTURE_VARIANT_ADD(captured, regular_disk_where_host_managed_is_expected){
	.fn = check_zoned_queue_model,
	.ini = "[device plain0]\ntype = null-blk\nzoned = no\nexpect_zoned = host-managed\n"
	       "node = nullb2\nsize = 16777216\n",
	.failed = true,
	.says = { "# FAIL plain0 (/dev/nullb2): expected a host-managed zoned disk, saw a regular "
		  "disk (queue/zoned = none): the zoned model was lost on the way to the guest" },
};
/* zoned = no alone expects the regular disk it gets. */
FIXTURE_VARIANT_ADD(captured, regular_disk_as_asked){
	.fn = check_zoned_queue_model,
	.ini = "[device plain0]\ntype = null-blk\nzoned = no\nnode = nullb2\nsize = 16777216\n",
	.says = { "a regular disk (queue/zoned none), as expected" },
};
FIXTURE_VARIANT_ADD(captured, wrong_zone_size_and_limits){
	.fn = check_zoned_queue_model,
	.ini = "[device zns0]\ntype = nvme-zns\nzone_size = 4M\nexpect_zone_size = 8M\n"
	       "max_open = 5\nnode = nvme0n1\nsize = 67108864\n",
	.failed = true,
	.says = { "# FAIL zns0 (/dev/nvme0n1): expected zone size 8 MiB, saw 4 MiB "
		  "(queue/chunk_sectors 8192)",
		  "expected zone count 8, saw 16 (queue/nr_zones)",
		  "expected open zone limit 5, saw 4 (queue/max_open_zones)",
		  /* max_active is not given: QEMU's default, no limit, is expected. */
		  "expected active zone limit 0, saw 6" },
};
FIXTURE_VARIANT_ADD(captured, scheduler_none_on_a_kernel_without_zone_write_plugging){
	.fn = check_zoned_queue_model,
	.ini = "[device ns0]\ntype = null-blk\nnode = nullb1\nsize = 16777216\n",
	.failed = true,
	.says = { "# FAIL ns0 (/dev/nullb1): I/O scheduler none on Linux 6.1.0-56-amd64: before "
		  "6.10 only mq-deadline keeps the writes of a zone in order" },
};
FIXTURE_VARIANT_ADD(captured, scheduler_none_when_expected){
	.fn = check_zoned_queue_model,
	.ini = "[device ns0]\ntype = null-blk\nnode = nullb1\nsize = 16777216\n"
	       "expect_scheduler = none\n",
};
FIXTURE_VARIANT_ADD(captured, missing_device){
	.fn = check_zoned_queue_model,
	.ini = "[device zns1]\ntype = nvme-zns\nnode = nvme1n1\nsize = 67108864\n",
	.failed = true,
	.says = { "# FAIL zns1 (/dev/nvme1n1): no /sys/class/block/nvme1n1/queue: the device is "
		  "missing: see devices.present" },
};
FIXTURE_VARIANT_ADD(captured, no_zoned_devices){
	.fn = check_zoned_queue_model,
	.ini = "[device sd0]\ntype = sd-card\nnode = mmcblk0\n",
	.skipped = true,
};
FIXTURE_VARIANT_ADD(captured, write_pointer_refuses_devices_not_marked_scratch){
	.fn = check_zoned_write_pointer,
	.ini = ZNS0 NB0,
	.skipped = true,
	.says = { "# zns0 (/dev/nvme0n1): refused: the write-pointer tests write to the device and "
		  "it is not marked scratch = yes",
		  "# nb0 (/dev/nullb0): refused" },
};
FIXTURE_VARIANT_ADD(captured, zone_append_refuses_scratch_no){
	.fn = check_zoned_zone_append,
	.ini = ZNS0 "scratch = no\n",
	.skipped = true,
	.says = { "refused: the zone append tests write to the device" },
};
FIXTURE_VARIANT_ADD(captured, broken_expectation_keys_are_named){
	.fn = check_zoned_queue_model,
	.ini = "[device zns0]\ntype = nvme-zns\nnode = nvme0n1\nexpect_zoned = drive-managed\n",
	.failed = true,
	.says = { "zns0: zoned model 'drive-managed' is not one of host-managed, host-aware, "
		  "none" },
};

TEST_F(captured, verdict_and_words)
{
	bool failed, skipped;
	char *out = run(variant->fn, variant->ini, NULL, &failed, &skipped);

	ASSERT_NE(NULL, out);
	EXPECT_EQ(variant->failed, failed) TH_LOG("%s", out);
	EXPECT_EQ(variant->skipped, skipped) TH_LOG("%s", out);
	for (size_t i = 0; i < ARRAY_SIZE(variant->says) && variant->says[i]; i++)
		EXPECT_NE(NULL, strstr(out, variant->says[i])) TH_LOG("%s", out);
	free(out);
}

TEST(scheduler_none_is_fine_from_6_10)
{
	char dir[] = "/tmp/zoned-queue-XXXXXX", cmd[PATH_MAX * 2 + 64], src[PATH_MAX];
	char osrelease[PATH_MAX + 32];
	bool failed, skipped;
	FILE *f;
	char *out;

	ASSERT_NE(NULL, mkdtemp(dir));
	tree(src, sizeof(src));
	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%s'", src, dir);
	ASSERT_EQ(0, system(cmd));
	/* The same devices under a kernel with zone write plugging. */
	snprintf(osrelease, sizeof(osrelease), "%s/proc/sys/kernel/osrelease", dir);
	f = fopen(osrelease, "w");
	ASSERT_NE(NULL, f);
	fputs("6.12.0-1-amd64\n", f);
	fclose(f);
	out = run(check_zoned_queue_model,
		  "[device ns0]\ntype = null-blk\nnode = nullb1\nsize = 16777216\n", dir, &failed,
		  &skipped);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	system(cmd);
	ASSERT_NE(NULL, out);
	EXPECT_FALSE(failed);
	free(out);
}

TEST_HARNESS_MAIN
