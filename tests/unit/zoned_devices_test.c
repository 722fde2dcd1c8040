// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zoned device types end to end without a guest: the runner's checks of
 * null-blk and scsi-debug sections (every error names the line and the fix),
 * what reaches agent.ini, what the agent turns it into (null_blk configfs
 * attributes, scsi_debug parameters), and the expectations the zoned checks
 * derive from the same keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_setup.h"
#include "kselftest_harness.h"

#include "devices/device_type.h"
#include "scenario/scenario.h"
#include "vm/qemu_argv.h"
#include "zoned/zoned.h"

static int load(struct scenario *s, const char *text, char *err, size_t size)
{
	return scenario_load_string(s, text, "/tmp", err, size);
}

#define HEAD "[scenario]\nname = z\n"

TEST(scenario_files_of_the_zoned_suite_load)
{
	static const char *const files[] = { "scenarios/zoned-host-managed.ini",
					     "scenarios/zoned-host-aware.ini",
					     "scenarios/zoned-traps.ini" };
	char err[512];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct scenario s;
		int r = scenario_load(&s, files[i], err, sizeof(err));

		EXPECT_EQ(0, r) TH_LOG("%s", err);
		if (r == 0)
			scenario_free(&s);
	}
}

TEST(null_blk_section_is_checked)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ HEAD "[device nb0]\ntype = null-blk\n",
		  "<string>:3: [device nb0]: null-blk needs 'size = ' in whole MiB (null_blk "
		  "counts "
		  "MiB): add e.g. size = 64M" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 64M\nzone_size = 3M\n",
		  "<string>:6: [device nb0]: zone_size must be a power of 2 in whole MiB (null_blk "
		  "counts MiB): use e.g. 4M" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 64M\nzone_capacity = 8M\n",
		  "<string>:6: [device nb0]: zone_capacity must be whole MiB and at most "
		  "zone_size: "
		  "use e.g. 3M with zone_size = 4M" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 16M\nconv_zones = 4\n",
		  "<string>:6: [device nb0]: conv_zones leaves no sequential zone: use fewer than "
		  "size / zone_size" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 16M\nmax_active = 4\n",
		  "<string>:6: [device nb0]: an open or active zone limit must be below the number "
		  "of sequential zones (null_blk would drop it): lower it or enlarge the device" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 64M\nmax_open = 4\nmax_active = 3\n",
		  "<string>:6: [device nb0]: max_open is above max_active (null_blk would lower "
		  "it): "
		  "make it at most max_active" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 64M\nzoned = no\nzone_size = 4M\n",
		  "<string>:7: [device nb0]: zone_size means nothing with zoned = no: remove it" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 64M\nblock_size = 8K\n",
		  "<string>:6: [device nb0]: block_size must be 512, 1024, 2048 or 4096" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 16M\n[device nb1]\ntype = "
		       "null-blk\nsize = 16M\nnode = nullb0\n",
		  "<string>:9: [device nb1]: two null-blk devices named the same node: give each "
		  "its "
		  "own node =" },
		{ HEAD "[device nb0]\ntype = null-blk\nsize = 64M\nscratch = maybe\n",
		  "<string>:6: [device nb0] scratch = 'maybe': write yes or no" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct scenario s;
		char err[512] = "";

		EXPECT_NE(0, load(&s, cases[i].text, err, sizeof(err)));
		EXPECT_STREQ(cases[i].message, err);
	}
}

TEST(scsi_debug_section_is_checked)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ HEAD "[device sd0]\ntype = scsi-debug\nsize = 64M\nmodel = drive-managed\n",
		  "<string>:6: [device sd0]: model must be host-managed, host-aware or none" },
		{ HEAD "[device sd0]\ntype = scsi-debug\nsize = 64M\nsubmit_queues = 9\n",
		  "<string>:6: [device sd0]: submit_queues takes 1 to 8 hardware queues: use e.g. "
		  "2" },
		{ HEAD
		  "[device sd0]\ntype = scsi-debug\nsize = 64M\nmodel = host-aware\nmax_open = "
		  "2\n",
		  "<string>:7: [device sd0]: max_open applies to host-managed disks only: remove "
		  "it" },
		{ HEAD "[device sd0]\ntype = scsi-debug\nsize = 16M\nmax_open = 3\n",
		  "<string>:6: [device sd0]: max_open must be below the number of zones minus 1 "
		  "(scsi_debug would halve it): lower it or enlarge the disk" },
		{ HEAD "[device sd0]\ntype = scsi-debug\nsize = 16M\n[device sd1]\ntype = "
		       "scsi-debug\nsize = 16M\n",
		  "<string>:7: [device sd1]: a second scsi-debug disk: scsi_debug's parameters "
		  "hold "
		  "for all its disks, so one scenario takes one; split the scenario" },
		{ HEAD "[device sd0]\ntype = scsi-debug\nsize = 16M\nexpect_zones = 4\n",
		  NULL /* an unknown key: the runner's generic message */ },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct scenario s;
		char err[512] = "";

		EXPECT_NE(0, load(&s, cases[i].text, err, sizeof(err)));
		if (cases[i].message) {
			EXPECT_STREQ(cases[i].message, err);
		} else {
			EXPECT_NE(NULL, strstr(err, "unknown key 'expect_zones'"));
		}
	}
}

/* The runner's agent.ini for a scenario, parsed back as the agent reads it. */
static int agent_ini(const char *scenario, struct config *cfg)
{
	struct scenario s;
	char err[512], *text = NULL;
	size_t len = 0;
	FILE *f;
	int r = load(&s, scenario, err, sizeof(err));

	if (r < 0)
		return r;
	f = open_memstream(&text, &len);
	agent_config_write(&s, f);
	fclose(f);
	scenario_free(&s);
	r = config_load_string(cfg, text, err, sizeof(err));
	free(text);
	return r;
}

TEST(null_blk_becomes_configfs_attributes)
{
	struct config cfg;
	struct nullb_attr a[16];
	char err[256], got[512] = "";
	size_t len = 0;
	int n;

	ASSERT_EQ(0, agent_ini(HEAD "[device nb0]\ntype = null-blk\nsize = 64M\nzone_capacity = "
				    "3M\nconv_zones = 2\nmax_open = 3\nmax_active = 5\nblock_size "
				    "= 4096\nscratch = yes\n",
			       &cfg));
	n = null_blk_attrs(config_section(&cfg, "device nb0"), a, ARRAY_SIZE(a), err, sizeof(err));
	ASSERT_GT(n, 0);
	for (int i = 0; i < n; i++)
		len += snprintf(got + len, sizeof(got) - len, "%s=%s ", a[i].name, a[i].value);
	/* Sizes in MiB, the default zone size written out, power last. */
	EXPECT_STREQ("memory_backed=1 zoned=1 size=64 blocksize=4096 zone_size=4 zone_capacity=3 "
		     "zone_nr_conv=2 zone_max_open=3 zone_max_active=5 power=1 ",
		     got);
	EXPECT_STREQ("nullb0", config_get(&cfg, "device nb0", "node"));
	config_free(&cfg);

	ASSERT_EQ(0,
		  agent_ini(HEAD "[device nb1]\ntype = null-blk\nsize = 16M\nzoned = no\n", &cfg));
	n = null_blk_attrs(config_section(&cfg, "device nb1"), a, ARRAY_SIZE(a), err, sizeof(err));
	ASSERT_EQ(5, n);
	EXPECT_STREQ("zoned", a[1].name);
	EXPECT_STREQ("0", a[1].value);
	config_free(&cfg);
}

TEST(scsi_debug_becomes_module_parameters)
{
	struct config cfg;
	char params[256], err[256];

	ASSERT_EQ(0, agent_ini(HEAD "[device ha0]\ntype = scsi-debug\nmodel = host-aware\nsize = "
				    "64M\nzone_size = 8M\nconv_zones = 2\nblock_size = 4096\n",
			       &cfg));
	ASSERT_EQ(0, scsi_debug_params(config_section(&cfg, "device ha0"), params, sizeof(params),
				       err, sizeof(err)));
	EXPECT_STREQ("dev_size_mb=64 sector_size=4096 zbc=host-aware zone_size_mb=8 zone_nr_conv=2 "
		     "zone_max_open=0",
		     params);
	EXPECT_STREQ("sda", config_get(&cfg, "device ha0", "node"));
	config_free(&cfg);

	ASSERT_EQ(0, agent_ini(HEAD "[device r0]\ntype = scsi-debug\nmodel = none\nsize = 16M\n",
			       &cfg));
	ASSERT_EQ(0, scsi_debug_params(config_section(&cfg, "device r0"), params, sizeof(params),
				       err, sizeof(err)));
	EXPECT_STREQ("dev_size_mb=16 sector_size=512 zbc=none", params);
	config_free(&cfg);

	/* submit_queues only when above 1: a multi-queue disk (zoned.write_order). */
	ASSERT_EQ(0, agent_ini(HEAD "[device sd0]\ntype = scsi-debug\nsize = 32M\n"
				    "submit_queues = 2\n",
			       &cfg));
	ASSERT_EQ(0, scsi_debug_params(config_section(&cfg, "device sd0"), params, sizeof(params),
				       err, sizeof(err)));
	EXPECT_STREQ("dev_size_mb=32 sector_size=512 zbc=host-managed zone_size_mb=4 "
		     "zone_nr_conv=0 zone_max_open=0 submit_queues=2",
		     params);
	config_free(&cfg);
}

TEST(expectations_come_from_the_same_keys)
{
	struct config cfg;
	struct sysroot root = { .prefix = "/nonexistent" };
	struct check_env env = { .config = &cfg, .root = &root };
	struct zoned_target t[4];

	ASSERT_EQ(0, agent_ini(HEAD "[device zns0]\ntype = nvme-zns\nsize = 64M\nzone_size = "
				    "4M\nzone_capacity = 3M\nmax_open = 4\n"
				    "[device nb0]\ntype = null-blk\nsize = 24M\nzoned = no\n"
				    "expect_zoned = host-managed\n"
				    "[device ha0]\ntype = scsi-debug\nmodel = host-aware\nsize = "
				    "64M\nconv_zones = 2\nscratch = yes\nexpect_nr_zones = 17\n"
				    "[device sd0]\ntype = sd-card\nsize = 64M\n",
			       &cfg));
	ASSERT_EQ(3U, zoned_targets(&env, t, ARRAY_SIZE(t)));

	EXPECT_STREQ("nvme0n1", t[0].node);
	EXPECT_EQ(ZONED_HOST_MANAGED, t[0].expect.model);
	EXPECT_EQ(4ULL << 20, t[0].expect.zone_bytes);
	EXPECT_EQ(3ULL << 20, t[0].expect.cap_bytes);
	EXPECT_EQ(16U, t[0].expect.nr_zones);
	EXPECT_EQ(4U, t[0].expect.max_open);
	EXPECT_EQ(0U, t[0].expect.max_active); /* QEMU's default: no limit */
	EXPECT_EQ(0U, t[0].expect.conv_zones);
	EXPECT_FALSE(t[0].expect.scratch);

	/* expect_zoned overrides zoned = no; the geometry is then null-blk's default. */
	EXPECT_EQ(ZONED_HOST_MANAGED, t[1].expect.model);
	EXPECT_EQ(4ULL << 20, t[1].expect.zone_bytes);
	EXPECT_EQ(6U, t[1].expect.nr_zones);

	EXPECT_EQ(ZONED_HOST_AWARE, t[2].expect.model);
	EXPECT_EQ(2U, t[2].expect.conv_zones);
	EXPECT_EQ(17U, t[2].expect.nr_zones);
	EXPECT_EQ(0U, t[2].expect.max_open); /* host-aware: no limits */
	EXPECT_TRUE(t[2].expect.scratch);
	EXPECT_STREQ("", t[2].error);
	config_free(&cfg);
}

TEST(a_scenario_file_given_to_the_agent_works_too)
{
	struct config cfg;
	struct sysroot root = { .prefix = "/nonexistent" };
	struct check_env env = { .config = &cfg, .root = &root };
	struct zoned_target t[2];
	char err[256];

	/* As written by a user: no node =, size with a unit. */
	ASSERT_EQ(0, config_load_string(
			     &cfg, "[device zns0]\ntype = nvme-zns\nsize = 64M\nzone_size = 4M\n",
			     err, sizeof(err)));
	ASSERT_EQ(1U, zoned_targets(&env, t, ARRAY_SIZE(t)));
	EXPECT_STREQ("", t[0].error);
	EXPECT_STREQ("nvme0n1", t[0].node);
	EXPECT_EQ(16U, t[0].expect.nr_zones);
	config_free(&cfg);
}

TEST(guest_made_devices_give_qemu_nothing)
{
	struct scenario s;
	struct strv argv = { 0 };
	struct qemu_plan plan = {
		.binary = "qemu", .kernel = "k", .initrd = "i", .accel = "tcg", .rundir = "/tmp/run"
	};
	char err[512];

	ASSERT_EQ(0, load(&s,
			  HEAD "[device nb0]\ntype = null-blk\nsize = 16M\n[device sd0]\ntype "
			       "= scsi-debug\nsize = 16M\n",
			  err, sizeof(err)));
	ASSERT_EQ(0, qemu_argv_build(&s, &plan, &argv));
	for (size_t i = 0; i < argv.n; i++) {
		EXPECT_EQ(NULL, strstr(argv.v[i], "nb0"));
		EXPECT_EQ(NULL, strstr(argv.v[i], "scsi"));
	}
	strv_free(&argv);
	scenario_free(&s);
}

TEST_HARNESS_MAIN
