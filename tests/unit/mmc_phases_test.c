// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pure parts of non-interference runs: the [installer] section and
 * kind = non-interference in scenarios, the monitor's console lines
 * (chunked, interleaved, forged, overlong), qemu-img's map, QMP's
 * blockstats reply, the installer's own init from its command line.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "noninterference/blockstats.h"
#include "noninterference/installer_plan.h"
#include "noninterference/monitor.h"
#include "noninterference/overlay.h"
#include "noninterference/phase_wrap.h"
#include "scenario/scenario.h"

#define NI_HEAD "[scenario]\nname = ni\nkind = non-interference\n"

FIXTURE(dir)
{
	char path[64];
};

FIXTURE_SETUP(dir)
{
	char f[PATH_MAX];
	FILE *out;

	snprintf(self->path, sizeof(self->path), "/tmp/mmc-phases-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
	snprintf(f, sizeof(f), "%s/initrd.img", self->path);
	out = fopen(f, "we");
	ASSERT_NE(NULL, out);
	fclose(out);
}

FIXTURE_TEARDOWN(dir)
{
	char f[PATH_MAX];

	snprintf(f, sizeof(f), "%s/initrd.img", self->path);
	unlink(f);
	rmdir(self->path);
}

static int load(const char *text, const char *dir, struct scenario *s, char *err, size_t size)
{
	int r = scenario_load_string(s, text, dir, err, size);

	if (r < 0)
		fprintf(stderr, "# %s\n", err);
	return r;
}

TEST_F(dir, installer_plan_defaults_and_protect)
{
	struct scenario s;
	struct installer_plan p;
	char err[512];

	ASSERT_EQ(0, load(NI_HEAD "[installer]\ninitrd = initrd.img\n"
				  "[device emmc]\ntype = sd-card\nsize = 64M\n"
				  "[device hdd0]\ntype = hdd\nsize = 64M\n"
				  "[device sd2]\ntype = sd-card\nsize = 16M\n",
			  self->path, &s, err, sizeof(err)));
	EXPECT_STREQ("non-interference", s.kind);
	ASSERT_EQ(0, installer_plan_load(&s, &p, err, sizeof(err)));
	EXPECT_EQ(600000U, p.timeout_ms);
	EXPECT_TRUE(p.watch);
	EXPECT_EQ(0, p.kernel[0]);
	ASSERT_EQ(2U, p.nprotect); /* every sd-card */
	EXPECT_EQ(0U, p.protect[0]);
	EXPECT_EQ(2U, p.protect[1]);
	EXPECT_STREQ("sda", s.devices[1].guest_node);
	scenario_free(&s);

	ASSERT_EQ(0, load(NI_HEAD "[installer]\ninitrd = initrd.img\ntimeout = 90s\nwatch = no\n"
				  "protect = sd2\nappend = quiet rdinit=/sbin/init\n"
				  "[device emmc]\ntype = sd-card\nsize = 64M\n"
				  "[device sd2]\ntype = sd-card\nsize = 16M\n",
			  self->path, &s, err, sizeof(err)));
	ASSERT_EQ(0, installer_plan_load(&s, &p, err, sizeof(err)));
	EXPECT_EQ(90000U, p.timeout_ms);
	EXPECT_FALSE(p.watch);
	ASSERT_EQ(1U, p.nprotect);
	EXPECT_EQ(1U, p.protect[0]);
	EXPECT_STREQ("quiet rdinit=/sbin/init", p.append);
	scenario_free(&s);
}

/* A disk-image installer: booted by SeaBIOS from the AHCI port after the hdds. */
TEST_F(dir, installer_plan_disk_image)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ NI_HEAD "[installer]\nimage = initrd.img\ninitrd = initrd.img\n"
			  "[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:6: [installer] has both image and initrd" },
		{ NI_HEAD "[installer]\nimage = initrd.img\nwatch = yes\n"
			  "[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:6: [installer] watch = yes: the write monitor wraps an initrd" },
		{ NI_HEAD "[installer]\nimage = initrd.img\nformat = vmdk\n"
			  "[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:6: [installer] format = vmdk: write raw or qcow2" },
		{ NI_HEAD "[installer]\ninitrd = initrd.img\nformat = raw\n"
			  "[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:6: [installer] format is the format of an image" },
		{ NI_HEAD "[installer]\nimage = missing.img\n"
			  "[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:5: [installer] image " },
		{ NI_HEAD
		  "[installer]\nimage = initrd.img\n[device e]\ntype = sd-card\nsize = 1M\n"
		  "[device h0]\ntype = hdd\nsize = 1M\n[device h1]\ntype = hdd\nsize = 1M\n"
		  "[device h2]\ntype = hdd\nsize = 1M\n[device h3]\ntype = hdd\nsize = 1M\n"
		  "[device h4]\ntype = hdd\nsize = 1M\n[device h5]\ntype = hdd\nsize = 1M\n",
		  "the 6 hdd devices take every port" },
	};
	struct scenario s;
	struct installer_plan p;
	char err[512];

	ASSERT_EQ(0, load(NI_HEAD "[installer]\nimage = initrd.img\ntimeout = 2m\n"
				  "[device emmc]\ntype = sd-card\nsize = 64M\n"
				  "[device hdd0]\ntype = hdd\nsize = 64M\n",
			  self->path, &s, err, sizeof(err)));
	ASSERT_EQ(0, installer_plan_load(&s, &p, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(p.image, "/initrd.img"));
	EXPECT_STREQ("raw", p.image_format);
	EXPECT_EQ(1, p.image_port); /* after hdd0 on ide.0 */
	EXPECT_FALSE(p.watch);
	EXPECT_EQ(0, p.initrd[0]);
	EXPECT_EQ(120000U, p.timeout_ms);
	ASSERT_EQ(1U, p.nprotect);
	scenario_free(&s);

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		EXPECT_GT(0, scenario_load_string(&s, cases[i].text, self->path, err, sizeof(err)))
		{
			TH_LOG("case %zu loaded", i);
		}
		EXPECT_NE(NULL, strstr(err, cases[i].want))
		{
			TH_LOG("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
		}
	}
}

TEST_F(dir, installer_section_errors_name_the_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[scenario]\nname = x\nkind = nonsense\n",
		  "<string>:3: [scenario] kind = 'nonsense': "
		  "use checks or non-interference" },
		{ "[scenario]\nname = x\n[installer]\ninitrd = initrd.img\n",
		  "<string>:3: unknown section [installer]" },
		{ NI_HEAD "[device emmc]\ntype = sd-card\nsize = 64M\n",
		  "kind = non-interference needs an [installer] section" },
		{ NI_HEAD "[installer]\ntimeout = 5m\n[device emmc]\ntype = sd-card\nsize = 64M\n",
		  "<string>:4: [installer] has no initrd: add 'initrd = FILE'" },
		{ NI_HEAD
		  "[installer]\ninitrd = missing.img\n[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:5: [installer] initrd " },
		{ NI_HEAD "[installer]\ninitrd = initrd.img\nflavour = x\n",
		  "<string>:6: [installer]: unknown key 'flavour'" },
		{ NI_HEAD "[installer]\ninitrd = initrd.img\ntimeout = soon\n"
			  "[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:6: [installer] timeout = 'soon' is not a duration" },
		{ NI_HEAD "[installer]\ninitrd = initrd.img\n[device h]\ntype = hdd\nsize = 1M\n",
		  "nothing to protect: add the eMMC" },
		{ NI_HEAD "[installer]\ninitrd = initrd.img\nprotect = h\n"
			  "[device h]\ntype = hdd\nsize = 1M\n",
		  "<string>:6: [installer] protect = h: a hdd; only sd-card devices can be "
		  "protected" },
		{ NI_HEAD "[installer]\ninitrd = initrd.img\nprotect = nope\n"
			  "[device e]\ntype = sd-card\nsize = 1M\n",
		  "<string>:6: [installer] protect = nope: no [device nope] in the scenario" },
		{ "[scenario]\nname = x\n[device e]\ntype = sd-card\nsize = 1M\nreadonly = yes\n",
		  "<string>:6: [device e]: readonly = yes: QEMU refuses read-only drives for SD "
		  "cards" },
	};
	struct scenario s;
	char err[512];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		EXPECT_GT(0, scenario_load_string(&s, cases[i].text, self->path, err, sizeof(err)));
		EXPECT_NE(NULL, strstr(err, cases[i].want))
		TH_LOG("case %zu: %s", i, err);
	}
}

TEST(monitor_lines_in_a_noisy_console)
{
	static const char console[] =
		"[    2.1] sdhci: Secure Digital Host Controller Interface driver\r\n"
		"guestcheck-monitor: 2.92 none\r\n"
		"guestcheck-monitor: 4.23 mmcblk0 3 0 24 3 0 0 0 0 0 4 3 0 0 0 0 0 0;\r\n"
		"installer: found sda mmcblk0\n"
		"[ 4.4] random: crng init doneguestcheck-monitor: 4.45 mmcblk0 10 0 1816 110 1 0 8 "
		"3 0 124 110 0 0 0 0 0 0;mmcblk1 1 2 3 4 5 6 7 8 9 10 11;\r\n"
		"guestcheck-monitor: 4.65 mmcblk0 12 0 2328 139 0 0 0 0 0 136 139 0 0 0 0 0 0;\r\n"
		"guestcheck-monitor: 4.70 mmcblk0 x y z;\n"
		"guestcheck-monitor: 5.06 mmcblk0 12 0 2328 139 2 0 16 3 0 136 139 1 0 8 0 0 0;";
	struct monitor_state st;
	const struct monitor_node *n;

	monitor_init(&st);
	/* Any chunking: one byte at a time. */
	for (size_t i = 0; i < sizeof(console) - 1; i++)
		monitor_feed(&st, console + i, 1);
	monitor_finish(&st);
	EXPECT_EQ(5U, st.lines);
	EXPECT_EQ(1U, st.garbage);
	EXPECT_EQ(5.06, st.last_uptime);
	n = monitor_find(&st, "mmcblk0");
	ASSERT_NE(NULL, n);
	/* The forged lower count at 4.65 does not lower what was seen at 4.45. */
	EXPECT_EQ(2U, n->wr_ios);
	EXPECT_EQ(16U, n->wr_sectors);
	EXPECT_EQ(1U, n->discard_ios);
	EXPECT_EQ(8U, n->discard_sectors);
	EXPECT_EQ(4.23, n->first_uptime);
	EXPECT_EQ(5.06, n->last_uptime);
	n = monitor_find(&st, "mmcblk1");
	ASSERT_NE(NULL, n);
	EXPECT_EQ(5U, n->wr_ios);
	EXPECT_EQ(0U, n->discard_ios); /* 11 fields: a kernel before 4.19 */
	EXPECT_EQ(NULL, monitor_find(&st, "mmcblk2"));
	EXPECT_STREQ("", st.error);
}

static void feed(struct monitor_state *st, const char *s)
{
	monitor_feed(st, s, strlen(s));
}

TEST(monitor_errors_and_overlong_lines)
{
	struct monitor_state st;
	char big[MONITOR_MAX_LINE * 2];

	monitor_init(&st);
	memset(big, 'x', sizeof(big));
	memcpy(big + sizeof(big) - 80, "guestcheck-monitor: 1.0 mmcblk0 1 2 3 4 99 6 7 8 9 10 11",
	       57);
	monitor_feed(&st, big, sizeof(big) - 23);
	monitor_feed(&st, "\n", 1);
	EXPECT_EQ(0U, st.lines); /* an overlong line is dropped whole */
	feed(&st, "guestcheck-monitor: error /init is not in the installer's initrd\x1b[2J\n");
	EXPECT_STREQ("/init is not in the installer's initrd?[2J", st.error);
	feed(&st, "guestcheck-monitor: -1 none\nguestcheck-monitor: nan none\n");
	EXPECT_EQ(2U, st.garbage);
	EXPECT_EQ(0U, st.lines);
}

TEST(qemu_img_map_written_ranges)
{
	static const char map[] = "[{ \"start\": 0, \"length\": 8192, \"depth\": 2, \"present\": "
				  "true, \"zero\": false, "
				  "\"data\": true, \"offset\": 0},\n"
				  "{ \"start\": 8192, \"length\": 512, \"depth\": 0, \"present\": "
				  "true, \"zero\": true, "
				  "\"data\": false},\n"
				  "{ \"start\": 8704, \"length\": 512, \"depth\": 0, \"present\": "
				  "true, \"zero\": false, "
				  "\"data\": true, \"offset\": 512},\n"
				  "{ \"start\": 9216, \"length\": 1039360, \"depth\": 1, "
				  "\"present\": false, \"zero\": "
				  "true, \"data\": false},\n"
				  "{ \"start\": 1048576, \"length\": 4096, \"depth\": 0, "
				  "\"present\": true, \"zero\": "
				  "false, \"data\": true, \"offset\": 18432}]";
	struct overlay_map m;
	char err[256], text[512];

	ASSERT_EQ(0, overlay_map_parse(map, &m, err, sizeof(err)));
	ASSERT_EQ(2U, m.nranges);
	EXPECT_EQ(8192U, m.ranges[0].offset);
	EXPECT_EQ(1024U, m.ranges[0].length); /* a zero write and a data write, merged */
	EXPECT_EQ(1048576U, m.ranges[1].offset);
	EXPECT_EQ(4096U, m.ranges[1].length);
	EXPECT_EQ(5120U, m.bytes);
	overlay_map_describe(&m, text, sizeof(text));
	EXPECT_STREQ("5120 bytes (5 KiB) in 2 ranges: 1024 bytes at offset 8192, 4096 bytes at "
		     "offset 1048576",
		     text);
	ASSERT_EQ(0, overlay_map_parse("[]", &m, err, sizeof(err)));
	overlay_map_describe(&m, text, sizeof(text));
	EXPECT_STREQ("0 bytes", text);
	EXPECT_EQ(-EPROTO, overlay_map_parse("{\"start\": 0}", &m, err, sizeof(err)));
	EXPECT_EQ(-EPROTO, overlay_map_parse("[{\"start\": 0, \"length\": -5, \"depth\": 0}]", &m,
					     err, sizeof(err)));
	EXPECT_EQ(-EPROTO, overlay_map_parse("not json", &m, err, sizeof(err)));
}

TEST(blockstats_reply)
{
	json_object *reply = json_tokener_parse(
		"[{\"device\": \"hdd0\", \"stats\": {\"wr_operations\": 9}},"
		" {\"device\": \"emmc\", \"stats\": {\"wr_operations\": 0, \"wr_bytes\": 0, "
		"\"wr_highest_offset\": 1052672, \"unmap_operations\": 2, \"unmap_bytes\": "
		"8192}}]");
	struct blockstats b;

	ASSERT_NE(NULL, reply);
	ASSERT_EQ(0, blockstats_from_reply(reply, "emmc", &b));
	EXPECT_TRUE(b.valid);
	EXPECT_EQ(0U, b.wr_operations);
	EXPECT_EQ(1052672U, b.wr_highest_offset);
	EXPECT_EQ(2U, b.unmap_operations);
	EXPECT_EQ(-ENOENT, blockstats_from_reply(reply, "sd9", &b));
	EXPECT_FALSE(b.valid);
	EXPECT_STREQ("query-blockstats has no drive 'sd9'", b.error);
	json_object_put(reply);
}

TEST(installer_real_init)
{
	char init[64];

	phase_wrap_real_init("", init, sizeof(init));
	EXPECT_STREQ("/init", init);
	phase_wrap_real_init("quiet rdinit=/sbin/init auto", init, sizeof(init));
	EXPECT_STREQ("/sbin/init", init);
	phase_wrap_real_init("rdinit=/a xrdinit=/b rdinit=/c", init, sizeof(init));
	EXPECT_STREQ("/c", init); /* the kernel takes the last one */
}

TEST_HARNESS_MAIN
