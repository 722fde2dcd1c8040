// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pure parts of running under several QEMUs: the version a QEMU prints
 * (host-runner/vm/qemu_probe.c), its device list, which binary an arch runs
 * from a --qemu FILE, job names in a QEMU x kernel matrix (run_set.c), the
 * audiodev for machines with built-in sound (qemu_argv.c), what a scenario
 * needs of a QEMU (version and devices, against a fake QEMU script), and the
 * base image cache key (guest_image.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "runset/run_set.h"
#include "scenario/scenario.h"
#include "session/guest_image.h"
#include "vm/qemu_argv.h"
#include "vm/qemu_probe.h"

FIXTURE(version){};
FIXTURE_VARIANT(version)
{
	const char *text;
	int ret;
	unsigned int major, minor, micro;
	const char *shown;
};
FIXTURE_SETUP(version)
{
}
FIXTURE_TEARDOWN(version)
{
}

FIXTURE_VARIANT_ADD(version, debian_10){
	.text = "QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)\n"
		"Copyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers\n",
	.major = 10,
	.minor = 0,
	.micro = 2,
	.shown = "10.0.2",
};
FIXTURE_VARIANT_ADD(version, debian_7_2){
	.text = "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n",
	.major = 7,
	.minor = 2,
	.micro = 22,
	.shown = "7.2.22",
};
FIXTURE_VARIANT_ADD(version, upstream_tag){
	.text = "QEMU emulator version 8.2.0 (v8.2.0)\n",
	.major = 8,
	.minor = 2,
	.shown = "8.2.0",
};
FIXTURE_VARIANT_ADD(version, two_numbers){
	.text = "QEMU emulator version 6.0\n",
	.major = 6,
	.minor = 0,
	.shown = "6.0.0",
};
FIXTURE_VARIANT_ADD(version, wrapper_noise_first){
	.text = "warning: something\nQEMU emulator version 9.1.50\n",
	.major = 9,
	.minor = 1,
	.micro = 50,
	.shown = "9.1.50",
};
FIXTURE_VARIANT_ADD(version, not_qemu){
	.text = "bash: qemu: command not found\n",
	.ret = -EINVAL,
};
FIXTURE_VARIANT_ADD(version, no_number){
	.text = "QEMU emulator version git\n",
	.ret = -EINVAL,
};

TEST_F(version, parse)
{
	struct qemu_version v = { 0 };

	ASSERT_EQ(variant->ret, qemu_version_parse(variant->text, &v));
	if (variant->ret)
		return;
	EXPECT_EQ(variant->major, v.major);
	EXPECT_EQ(variant->minor, v.minor);
	EXPECT_EQ(variant->micro, v.micro);
	EXPECT_STREQ(variant->shown, v.text);
}

TEST(version_compare)
{
	struct qemu_version v = { .major = 5, .minor = 2 };

	EXPECT_LT(qemu_version_cmp(&v, 6, 0), 0);
	EXPECT_EQ(0, qemu_version_cmp(&v, 5, 2));
	EXPECT_GT(qemu_version_cmp(&v, 5, 1), 0);
	v.major = 10, v.minor = 0;
	EXPECT_GT(qemu_version_cmp(&v, 6, 0), 0); /* not a string compare: 10 > 6 */
}

TEST(device_list)
{
	static const char help[] =
		"Storage devices:\n"
		"name \"nvme\", bus PCI, desc \"Non-Volatile Memory Express\"\n"
		"name \"nvme-ns\", bus nvme-bus, desc \"Virtual NVMe namespace\"\n"
		"name \"sd-card\", bus sd-bus\n";

	EXPECT_TRUE(qemu_device_listed(help, "nvme"));
	EXPECT_TRUE(qemu_device_listed(help, "nvme-ns"));
	EXPECT_TRUE(qemu_device_listed(help, "sd-card"));
	EXPECT_FALSE(qemu_device_listed(help, "nvme-subsys")); /* a prefix is not a name */
	EXPECT_FALSE(qemu_device_listed(help, "sd"));
	EXPECT_FALSE(qemu_device_listed(help, "Virtual NVMe namespace"));
	EXPECT_FALSE(qemu_device_listed("", "nvme"));
}

TEST(binary_for_arch)
{
	char buf[PATH_MAX];

	qemu_for_arch("/opt/q/bin/qemu-system-x86_64", "qemu-system-aarch64", buf, sizeof(buf));
	EXPECT_STREQ("/opt/q/bin/qemu-system-aarch64", buf);
	qemu_for_arch("/opt/q/bin/qemu-system-aarch64", "qemu-system-x86_64", buf, sizeof(buf));
	EXPECT_STREQ("/opt/q/bin/qemu-system-x86_64", buf);
	qemu_for_arch("qemu-system-x86_64", "qemu-system-aarch64", buf, sizeof(buf));
	EXPECT_STREQ("qemu-system-aarch64", buf); /* a bare name: from PATH */
	/* A wrapper (not qemu-system-*) runs every arch as it is. */
	qemu_for_arch("/tmp/qemu-edit", "qemu-system-aarch64", buf, sizeof(buf));
	EXPECT_STREQ("/tmp/qemu-edit", buf);
	qemu_for_arch("/usr/libexec/qemu-kvm", "qemu-system-x86_64", buf, sizeof(buf));
	EXPECT_STREQ("/usr/libexec/qemu-kvm", buf);
	EXPECT_STREQ("qemu-system-arm", qemu_package("/x/qemu-system-aarch64"));
	EXPECT_STREQ("qemu-system-x86", qemu_package("qemu-system-x86_64"));
}

TEST(job_names)
{
	char name[192];

	set_job_name(name, sizeof(name), "default", NULL, NULL);
	EXPECT_STREQ("default", name);
	set_job_name(name, sizeof(name), "default", "6.12.117+deb12-amd64", NULL);
	EXPECT_STREQ("default@6.12.117+deb12-amd64", name); /* as before QEMU matrices */
	set_job_name(name, sizeof(name), "default", NULL, "10.0.2");
	EXPECT_STREQ("default@qemu-10.0.2", name);
	set_job_name(name, sizeof(name), "default", "6.12.117+deb12-amd64", "10.0.2");
	EXPECT_STREQ("default@6.12.117+deb12-amd64@qemu-10.0.2", name);
}

static struct scenario load(struct __test_metadata *_metadata, const char *text)
{
	struct scenario s;
	char err[1024] = "";

	if (scenario_load_string(&s, text, "/tmp", err, sizeof(err)) < 0)
		TH_LOG("%s", err);
	return s;
}

static bool has_arg(const struct strv *argv, const char *opt, const char *value)
{
	for (size_t i = 0; i + 1 < argv->n; i++)
		if (!strcmp(argv->v[i], opt) && !strcmp(argv->v[i + 1], value))
			return true;
	return false;
}

TEST(audiodev_for_machines_with_sound)
{
	struct qemu_plan plan = { .binary = "qemu-system-aarch64",
				  .kernel = "k",
				  .initrd = "i",
				  .accel = "tcg",
				  .rundir = "/r" };
	struct scenario a64 = load(_metadata, "[scenario]\nname = a\n[machine]\narch = aarch64\n");
	struct scenario x86 = load(_metadata, "[scenario]\nname = x\n");
	struct strv old = { 0 }, new = { 0 }, pc = { 0 };

	EXPECT_TRUE(qemu_machine_has_audio("xlnx-zcu102"));
	EXPECT_FALSE(qemu_machine_has_audio("q35"));
	/* 7.2: a silent backend it takes as its default; no audiodev= it does not know. */
	ASSERT_EQ(0, qemu_argv_build(&a64, &plan, &old));
	EXPECT_TRUE(has_arg(&old, "-audiodev", "none,id=guestcheck-audio"));
	EXPECT_TRUE(has_arg(&old, "-machine", "xlnx-zcu102,accel=tcg"));
	/* 9.0 and later: named on the machine, or it refuses to start. */
	plan.machine_audiodev = true;
	ASSERT_EQ(0, qemu_argv_build(&a64, &plan, &new));
	EXPECT_TRUE(has_arg(&new, "-audiodev", "none,id=guestcheck-audio"));
	EXPECT_TRUE(has_arg(&new, "-machine", "xlnx-zcu102,accel=tcg,audiodev=guestcheck-audio"));
	/* q35 has no sound here: its command line is as it was. */
	ASSERT_EQ(0, qemu_argv_build(&x86, &plan, &pc));
	EXPECT_TRUE(has_arg(&pc, "-machine", "q35,accel=tcg"));
	for (size_t i = 0; i < pc.n; i++)
		EXPECT_STRNE("-audiodev", pc.v[i]);
	strv_free(&old);
	strv_free(&new);
	strv_free(&pc);
	scenario_free(&a64);
	scenario_free(&x86);
}

/* A QEMU that says `version` and lists `devices` (one name a line), nothing more. */
static void fake_qemu(const char *path, const char *version, const char *devices)
{
	FILE *f = fopen(path, "w");

	fprintf(f,
		"#!/bin/sh\ncase \"$*\" in\n*-version*) echo 'QEMU emulator version %s';;\n"
		"*'-device help'*) for d in %s; do echo \"name \\\"$d\\\", bus X\"; done;;\n"
		"*) exit 1;;\nesac\n",
		version, devices);
	fclose(f);
	chmod(path, 0755);
}

FIXTURE(needs)
{
	char dir[64], qemu[96];
	struct qemu_cache cache;
	struct scenario zoned, mmc;
};
FIXTURE_SETUP(needs)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/qemu_probe_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->qemu, sizeof(self->qemu), "%s/qemu", self->dir);
	self->cache = (struct qemu_cache){ 0 };
	self->zoned = load(_metadata, "[scenario]\nname = z\n[device zns0]\ntype = nvme-zns\n"
				      "size = 256M\nzone_size = 64M\n");
	self->mmc = load(_metadata, "[scenario]\nname = m\n[device sd0]\ntype = sd-card\n"
				    "size = 16M\n");
}
FIXTURE_TEARDOWN(needs)
{
	qemu_cache_free(&self->cache);
	scenario_free(&self->zoned);
	scenario_free(&self->mmc);
	unlink(self->qemu);
	rmdir(self->dir);
}

TEST_F(needs, zoned_nvme_needs_6_0)
{
	struct qemu_binary *q;
	char err[1024] = "";
	int error = 0;

	fake_qemu(self->qemu, "5.2.0",
		  "virtio-serial-pci virtserialport nvme nvme-ns sdhci-pci sd-card");
	q = qemu_cache_get(&self->cache, self->qemu, &error, err, sizeof(err));
	ASSERT_NE(NULL, q) TH_LOG("%s", err);
	EXPECT_STREQ("5.2.0", q->version.text);
	EXPECT_EQ(-ENODEV, qemu_check_scenario(q, &self->zoned, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "z: [device zns0] needs zoned NVMe namespaces (nvme-ns with "
				    "zoned=true), which came with QEMU 6.0;"))
	TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "is QEMU 5.2.0: name a newer QEMU with --qemu FILE"));
	/* The same QEMU runs what it has. */
	EXPECT_EQ(0, qemu_check_scenario(q, &self->mmc, err, sizeof(err))) TH_LOG("%s", err);
	/* Asked once: the cache answers the second time. */
	EXPECT_EQ(q, qemu_cache_get(&self->cache, self->qemu, &error, err, sizeof(err)));
	EXPECT_EQ(1U, self->cache.n);
}

TEST_F(needs, missing_device_is_named)
{
	struct qemu_binary *q;
	char err[1024] = "";
	int error = 0;

	fake_qemu(self->qemu, "10.0.2", "virtio-serial-pci virtserialport nvme nvme-ns");
	q = qemu_cache_get(&self->cache, self->qemu, &error, err, sizeof(err));
	ASSERT_NE(NULL, q) TH_LOG("%s", err);
	EXPECT_EQ(0, qemu_check_scenario(q, &self->zoned, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(-ENODEV, qemu_check_scenario(q, &self->mmc, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "m: [device sd0] needs QEMU's sdhci-pci device, and "))
	TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "(QEMU 10.0.2) has none"));
}

TEST_F(needs, not_a_qemu)
{
	char err[1024] = "";
	int error = 0;
	FILE *f = fopen(self->qemu, "w");

	fputs("#!/bin/sh\necho hello\n", f);
	fclose(f);
	chmod(self->qemu, 0755);
	EXPECT_EQ(NULL, qemu_cache_get(&self->cache, self->qemu, &error, err, sizeof(err)));
	EXPECT_EQ(-EIO, error);
	EXPECT_NE(NULL, strstr(err, "-version printed no QEMU version (its output starts 'hello'): "
				    "is it a QEMU binary?"))
	TH_LOG("%s", err);
	EXPECT_EQ(NULL,
		  qemu_cache_get(&self->cache, "/nonexistent/qemu", &error, err, sizeof(err)));
	EXPECT_EQ(-ENOENT, error);
	EXPECT_EQ(0U, self->cache.n);
}

TEST(image_key_follows_the_agent)
{
	char a[] = "/tmp/qemu_probe_key.XXXXXX", k1[32], k2[32], k3[32];
	const char *files[] = { a, NULL };
	int fd = mkstemp(a);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(5, write(fd, "agent", 5));
	ASSERT_EQ(0, image_key(files, k1, sizeof(k1)));
	ASSERT_EQ(0, image_key(files, k2, sizeof(k2)));
	EXPECT_STREQ(k1, k2);
	EXPECT_EQ(12U, strlen(k1));
	ASSERT_EQ(1, write(fd, "2", 1)); /* a new agent */
	ASSERT_EQ(0, image_key(files, k3, sizeof(k3)));
	EXPECT_STRNE(k1, k3);
	close(fd);
	unlink(a);
	EXPECT_EQ(-ENOENT, image_key(files, k3, sizeof(k3)));
}

TEST_HARNESS_MAIN
