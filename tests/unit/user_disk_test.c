// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * [machine] disk = FILE: the image's format from its first bytes
 * (userdisk/disk_format.c), the scenario's refusals, and the guest agent
 * probe's reading of a guest-sync answer (userdisk/qga_probe.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "scenario/scenario.h"
#include "userdisk/disk_format.h"
#include "userdisk/qga_probe.h"

TEST(qcow2_by_magic_and_version)
{
	unsigned char h[512] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
	char err[256] = "";

	EXPECT_STREQ("qcow2", disk_format_of(h, sizeof(h), err, sizeof(err)));
	h[7] = 2;
	EXPECT_STREQ("qcow2", disk_format_of(h, 8, err, sizeof(err)));
	/* QCOW version 1: QEMU reads it, the overlay's -F qcow2 would not. */
	h[7] = 1;
	EXPECT_EQ(NULL, disk_format_of(h, sizeof(h), err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "a QCOW image of an old version: convert it with 'qemu-img "
				    "convert -O qcow2"))
	TH_LOG("%s", err);
}

TEST(raw_needs_a_boot_sector)
{
	unsigned char h[512] = { 0 };
	char err[256] = "";

	EXPECT_EQ(NULL, disk_format_of(h, sizeof(h), err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "neither qcow2 nor a raw disk with a boot sector"));
	h[510] = 0x55;
	h[511] = 0xaa;
	EXPECT_STREQ("raw", disk_format_of(h, sizeof(h), err, sizeof(err)));
	EXPECT_EQ(NULL, disk_format_of(h, 100, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "100 bytes, not a disk image"));
}

TEST(other_formats_are_named_with_the_conversion)
{
	static const struct {
		const char *magic, *name;
	} cases[] = { { "KDMV", "a VMDK image" },
		      { "vhdxfile", "a VHDX image" },
		      { "conectix", "a VHD image" },
		      { "<<< Oracle VM VirtualBox Disk Image >>>", "a VirtualBox VDI image" } };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned char h[512] = { [510] = 0x55, [511] = 0xaa };
		char err[256] = "";

		memcpy(h, cases[i].magic, strlen(cases[i].magic));
		EXPECT_EQ(NULL, disk_format_of(h, sizeof(h), err, sizeof(err)));
		EXPECT_EQ(0, strncmp(err, cases[i].name, strlen(cases[i].name)))
		TH_LOG("%s: %s", cases[i].magic, err);
	}
}

TEST(probe_missing_and_folder)
{
	char err[PATH_MAX + 256] = "";

	EXPECT_EQ(NULL, disk_format_probe("/nonexistent/x.img", err, sizeof(err)));
	EXPECT_STREQ("/nonexistent/x.img: No such file or directory: fix the path (relative "
		     "paths start at the scenario's folder)",
		     err);
	EXPECT_EQ(NULL, disk_format_probe("/", err, sizeof(err)));
	EXPECT_STREQ("/: a folder: name the image file", err);
}

/* A disk image in a temporary folder: an MBR's last two bytes. */
static void make_disk(char *dir, char *path, size_t size)
{
	unsigned char mbr[512] = { [510] = 0x55, [511] = 0xaa };
	int fd;

	if (!mkdtemp(dir))
		abort();
	snprintf(path, size, "%s/d.img", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, mbr, sizeof(mbr)) != (ssize_t)sizeof(mbr))
		abort();
	close(fd);
}

TEST(scenario_refuses_disk_with_kernel_arch_or_kind)
{
	static const struct {
		const char *text, *error;
	} cases[] = {
		{ "[machine]\ndisk = d.img\nkernel = /boot/vmlinuz\n",
		  "[machine] disk and kernel: your disk boots its own kernel: remove one of them" },
		{ "[machine]\ndisk = d.img\narch = aarch64\n",
		  "[machine] disk is for x86_64 guests (SeaBIOS or OVMF boots it), not aarch64" },
		{ "[machine]\ndisk = d.img\n[installer]\ninitrd = x\n",
		  "a non-interference scenario boots guestcheck's own kernel" },
	};
	char dir[] = "/tmp/guestcheck-disk-XXXXXX", path[PATH_MAX];

	make_disk(dir, path, sizeof(path));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char text[512], err[1024] = "";
		struct scenario s;

		snprintf(text, sizeof(text), "[scenario]\nname = t\n%s%s",
			 i == 2 ? "kind = non-interference\n" : "", cases[i].text);
		EXPECT_EQ(-EINVAL, scenario_load_string(&s, text, dir, err, sizeof(err)));
		EXPECT_NE(NULL, strstr(err, cases[i].error))
		TH_LOG("%zu: %s", i, err);
	}
	unlink(path);
	rmdir(dir);
}

TEST(scenario_takes_an_absolute_path_and_the_format)
{
	char dir[] = "/tmp/guestcheck-disk-XXXXXX", path[PATH_MAX], err[1024] = "";
	struct scenario s;

	make_disk(dir, path, sizeof(path));
	ASSERT_EQ(0, scenario_load_string(&s, "[scenario]\nname = t\n[machine]\ndisk = d.img\n",
					  dir, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_STREQ(path, s.disk);
	EXPECT_STREQ("raw", s.disk_format);
	scenario_free(&s);
	unlink(path);
	rmdir(dir);
}

TEST(guest_sync_answer)
{
	EXPECT_EQ(4711, qga_probe_sync_id("{\"return\": 4711}"));
	EXPECT_EQ(-1, qga_probe_sync_id("{\"return\": {}}"));
	EXPECT_EQ(-1, qga_probe_sync_id("{\"error\": {\"class\": \"GenericError\"}}"));
	EXPECT_EQ(-1, qga_probe_sync_id("garbage"));
	EXPECT_EQ(-1, qga_probe_sync_id(""));
}

TEST_HARNESS_MAIN
