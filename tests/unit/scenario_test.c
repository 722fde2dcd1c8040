// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host-runner/scenario/scenario.c: the default scenario loads with the values the
 * README promises, and every error names FILE:LINE and the fix.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "source_path.h"

#include "devices/device_type.h"
#include "scenario/scenario.h"

/* A path in the source tree, from this file's own (tests run from the top). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* Loads text and expects it to fail with exactly `want` as the message. */
static int load_err(const char *text, const char *dir, char *err, size_t size)
{
	struct scenario s;
	int r = scenario_load_string(&s, text, dir, err, size);

	if (r == 0)
		scenario_free(&s);
	return r;
}

#define EXPECT_LOAD_ERROR(text, want)                                                              \
	do {                                                                                       \
		char _err[1024] = "";                                                              \
		EXPECT_EQ(-EINVAL, load_err(text, "/nonexistent", _err, sizeof(_err)));            \
		EXPECT_STREQ(want, _err);                                                          \
	} while (0)

/* The same, for messages whose tail lists keys other features may add to. */
#define EXPECT_LOAD_ERROR_START(text, want)                                                        \
	do {                                                                                       \
		char _err[1024] = "";                                                              \
		EXPECT_EQ(-EINVAL, load_err(text, "/nonexistent", _err, sizeof(_err)));            \
		EXPECT_EQ(0, strncmp(want, _err, strlen(want))) TH_LOG("saw '%s'", _err);          \
	} while (0)

/* Lines: 1 [scenario], 2 name, 3 -, 4 [machine], 5 memory, 6 -, 7 [device ...], 8.. keys */
#define HEAD "[scenario]\nname = t\n\n[machine]\nmemory = 256M\n\n"

TEST(default_scenario_values)
{
	char path[PATH_MAX], dir[PATH_MAX], err[1024] = "";
	_cleanup_free_ char *text = NULL;
	const struct scenario_device *d;
	struct scenario s;

	source_path(path, sizeof(path), "scenarios/default.ini");
	source_path(dir, sizeof(dir), "scenarios");
	text = slurp(path);
	ASSERT_NE(NULL, text) TH_LOG("%s: cannot read", path);
	ASSERT_EQ(0, scenario_load_string(&s, text, dir, err, sizeof(err))) TH_LOG("%s", err);

	EXPECT_STREQ("<string>", s.path);
	EXPECT_STREQ(dir, s.dir);
	EXPECT_STREQ("default", s.name);
	EXPECT_STREQ("SD card on sdhci-pci, NVMe zoned namespace, usb-net on qemu-xhci",
		     s.description);
	EXPECT_EQ(60000ULL, s.boot_timeout_ms);
	EXPECT_EQ(120000ULL, s.run_timeout_ms);
	EXPECT_EQ(20000ULL, s.device_timeout_ms); /* not set: the default */
	EXPECT_STREQ("x86_64", s.arch);
	EXPECT_STREQ("q35", s.machine);
	EXPECT_STREQ("pcie.0", s.pci_root);
	EXPECT_EQ(512ULL << 20, s.memory);
	EXPECT_EQ(1U, s.cpus);
	EXPECT_STREQ("", s.kernel);
	EXPECT_STREQ("", s.append);
	ASSERT_EQ(3U, s.ndevices);

	d = &s.devices[0];
	EXPECT_STREQ("sd0", d->name);
	EXPECT_EQ(&sd_card_device, d->type);
	EXPECT_EQ(17, d->line);
	EXPECT_EQ(0, d->index);
	EXPECT_STREQ("", d->image); /* a scratch image per run */
	EXPECT_EQ(2ULL << 20, d->size);
	EXPECT_FALSE(d->readonly);
	EXPECT_STREQ("mmcblk0", d->guest_node);
	EXPECT_STREQ("2M", device_key(d, "size"));
	EXPECT_EQ(19, device_key_line(d, "size"));
	EXPECT_EQ(17, device_key_line(d, "image")); /* absent: the section's line */

	d = &s.devices[1];
	EXPECT_STREQ("zns0", d->name);
	EXPECT_EQ(&nvme_zns_device, d->type);
	EXPECT_EQ(21, d->line);
	EXPECT_EQ(0, d->index);
	EXPECT_EQ(64ULL << 20, d->size);
	EXPECT_STREQ("nvme0n1", d->guest_node);
	EXPECT_STREQ("4M", device_key(d, "zone_size"));
	EXPECT_EQ(26, device_key_line(d, "max_open"));

	d = &s.devices[2];
	EXPECT_STREQ("net0", d->name);
	EXPECT_EQ(&usb_net_device, d->type);
	EXPECT_EQ(29, d->line);
	EXPECT_EQ(0ULL, d->size);
	EXPECT_STREQ("", d->guest_node);
	EXPECT_STREQ("52:54:00:12:34:56", device_key(d, "mac"));
	EXPECT_STREQ("500ms", device_key(d, "probe_duration"));
	EXPECT_STREQ("200", device_key(d, "probe_rate"));
	scenario_free(&s);
	EXPECT_EQ(0U, s.ndevices);

	/* scenario_load() of the file says the same, with its path and folder. */
	ASSERT_EQ(0, scenario_load(&s, path, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ(path, s.path);
	EXPECT_STREQ(dir, s.dir);
	EXPECT_EQ(3U, s.ndevices);
	scenario_free(&s);
}

TEST(minimal_scenario_takes_the_defaults)
{
	char err[1024];
	struct scenario s;

	ASSERT_EQ(0, scenario_load_string(&s, "[scenario]\nname = min_1\n", "/x", err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_STREQ("min_1", s.name);
	EXPECT_STREQ("", s.description);
	EXPECT_EQ(60000ULL, s.boot_timeout_ms);
	EXPECT_EQ(120000ULL, s.run_timeout_ms);
	EXPECT_EQ(20000ULL, s.device_timeout_ms);
	EXPECT_STREQ("q35", s.machine);
	EXPECT_EQ(512ULL << 20, s.memory);
	EXPECT_EQ(1U, s.cpus);
	EXPECT_EQ(0U, s.ndevices);
	scenario_free(&s);
}

TEST(machine_values)
{
	char err[1024];
	struct scenario s;

	ASSERT_EQ(0, scenario_load_string(&s,
					  "[scenario]\nname = m\nboot_timeout = 2m\n"
					  "run_timeout = 1.5s\ndevice_timeout = 250ms\n"
					  "[machine]\nmemory = 1G\ncpus = 64\nkernel = vmlinuz\n"
					  "append = loglevel=7 foo=bar\n",
					  "/some/dir", err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_EQ(120000ULL, s.boot_timeout_ms);
	EXPECT_EQ(1500ULL, s.run_timeout_ms);
	EXPECT_EQ(250ULL, s.device_timeout_ms);
	EXPECT_EQ(1ULL << 30, s.memory);
	EXPECT_EQ(64U, s.cpus);
	EXPECT_STREQ("/some/dir/vmlinuz", s.kernel); /* relative: from the scenario's folder */
	EXPECT_STREQ("loglevel=7 foo=bar", s.append);
	scenario_free(&s);

	ASSERT_EQ(0, scenario_load_string(&s, "[scenario]\nname = m\n[machine]\nkernel = /boot/k\n",
					  "/some/dir", err, sizeof(err)));
	EXPECT_STREQ("/boot/k", s.kernel);
	scenario_free(&s);
}

TEST(unknown_section)
{
	EXPECT_LOAD_ERROR(
		HEAD "[machin]\ncpus = 2\n",
		"<string>:7: unknown section [machin]: sections are [scenario], [machine], "
		"[device NAME], [expect CHECK] and, in a non-interference scenario, [installer]");
	EXPECT_LOAD_ERROR(HEAD "[devices sd0]\ntype = sd-card\n",
			  "<string>:7: unknown section [devices sd0]: sections are [scenario], "
			  "[machine], [device NAME], [expect CHECK] and, in a "
			  "non-interference scenario, [installer]");
	EXPECT_LOAD_ERROR(
		HEAD "[device]\ntype = sd-card\n",
		"<string>:7: unknown section [device]: sections are [scenario], [machine], "
		"[device NAME], [expect CHECK] and, in a non-interference scenario, [installer]");
}

/* "image, size, ...": a type's keys, as the message lists them (other keys may come). */
static const char *known_keys(const struct key_spec *keys, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const struct key_spec *k = keys; k->name && len < size; k++)
		len += snprintf(buf + len, size - len, "%s%s", len ? ", " : "", k->name);
	return buf;
}

TEST(unknown_key_lists_the_known_keys)
{
	char want[1024], keys[512];

	EXPECT_LOAD_ERROR_START("[scenario]\nname = t\nnmae = t\n",
				"<string>:3: [scenario]: unknown key 'nmae' for [scenario]: known "
				"keys are name, description, boot_timeout, run_timeout, "
				"device_timeout");
	EXPECT_LOAD_ERROR_START(
		"[scenario]\nname = t\n[machine]\n\nmem = 1G\n",
		"<string>:5: [machine]: unknown key 'mem' for [machine]: known keys "
		"are arch, memory, cpus, kernel, append");
	snprintf(
		want, sizeof(want),
		"<string>:10: [device sd0]: unknown key 'zone_size' for sd-card: known keys are %s",
		known_keys(sd_card_device.keys, keys, sizeof(keys)));
	EXPECT_NE(NULL, strstr(keys, "image, size, readonly, image_trusted, node"));
	EXPECT_LOAD_ERROR(HEAD "[device sd0]\ntype = sd-card\nsize = 64M\nzone_size = 4M\n", want);
	snprintf(want, sizeof(want),
		 "<string>:10: [device z]: unknown key 'zone' for nvme-zns: known keys are %s",
		 known_keys(nvme_zns_device.keys, keys, sizeof(keys)));
	EXPECT_NE(NULL,
		  strstr(keys, "image, image_trusted, size, zone_size, zone_capacity, max_open, "
			       "max_active, node"));
	EXPECT_LOAD_ERROR(HEAD "[device z]\ntype = nvme-zns\nsize = 64M\nzone = 4M\n", want);
	snprintf(want, sizeof(want),
		 "<string>:9: [device n]: unknown key 'size' for usb-net: known keys are %s",
		 known_keys(usb_net_device.keys, keys, sizeof(keys)));
	EXPECT_NE(NULL, strstr(keys, "netdev, mac"));
	EXPECT_LOAD_ERROR(HEAD "[device n]\ntype = usb-net\nsize = 64M\n", want);
}

TEST(bad_values_name_the_key_and_the_fix)
{
	EXPECT_LOAD_ERROR(HEAD "[device sd0]\ntype = sd-card\nsize = 64MB\n",
			  "<string>:9: [device sd0] size = '64MB' is not a size: scratch image "
			  "size, or the size the guest must see (a power of 2)");
	EXPECT_LOAD_ERROR("[scenario]\nname = t\n[machine]\nmemory = lots\n",
			  "<string>:4: [machine] memory = 'lots' is not a size: guest RAM, e.g. "
			  "512M");
	EXPECT_LOAD_ERROR(
		HEAD "[device z]\ntype = nvme-zns\nsize = 64M\nmax_open = -1\n",
		"<string>:10: [device z] max_open = '-1' is not a whole number: open zone "
		"limit (zoned.max_open, 0 = none)");
	EXPECT_LOAD_ERROR(HEAD "[device sd0]\ntype = sd-card\nsize = 64M\nreadonly = maybe\n",
			  "<string>:10: [device sd0] readonly = 'maybe': write yes or no");
	EXPECT_LOAD_ERROR("[scenario]\nname = t\ndescription =\n",
			  "<string>:3: [scenario] description is empty: one line saying what the "
			  "scenario proves, or remove the line");
	EXPECT_LOAD_ERROR_START(
		"[scenario]\nname = t\n[machine]\narch = arm64\n",
		"<string>:4: [machine] arch = 'arm64' is not supported: use x86_64");
	EXPECT_LOAD_ERROR(HEAD "[device sd0]\ntype = sd-card\nnode = mmcblk0\n",
			  "<string>:7: [device sd0]: needs 'image = FILE' or 'size = SIZE' (a "
			  "scratch image): add one");
}

TEST(sd_card_size_must_be_a_power_of_2)
{
	char dir[] = "/tmp/guestcheck-scenario-XXXXXX", path[PATH_MAX], err[1024];
	int fd;

	EXPECT_LOAD_ERROR(HEAD "[device sd0]\ntype = sd-card\n\nsize = 50000000\n",
			  "<string>:10: [device sd0]: an SD card of 50000000 bytes: QEMU only "
			  "takes power-of-2 sizes: resize the image (qemu-img resize) or set size "
			  "to e.g. 64M");
	EXPECT_LOAD_ERROR(
		HEAD "[device sd0]\ntype = sd-card\nsize = 96M\n",
		"<string>:9: [device sd0]: an SD card of 100663296 bytes: QEMU only takes "
		"power-of-2 sizes: resize the image (qemu-img resize) or set size to e.g. "
		"64M");

	/* From the image's own size, the message points at the image line. */
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/odd.img", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 1000000));
	close(fd);
	EXPECT_EQ(-EINVAL, load_err(HEAD "[device sd0]\ntype = sd-card\nimage = odd.img\n", dir,
				    err, sizeof(err)));
	EXPECT_STREQ("<string>:9: [device sd0]: an SD card of 1000000 bytes: QEMU only takes "
		     "power-of-2 sizes: resize the image (qemu-img resize) or set size to e.g. 64M",
		     err);
	unlink(path);
	rmdir(dir);
}

TEST(nvme_zone_capacity_at_most_zone_size)
{
	char err[1024];
	struct scenario s;

	EXPECT_LOAD_ERROR(
		HEAD "[device zns0]\ntype = nvme-zns\nsize = 64M\nzone_size = 4M\n"
		     "zone_capacity = 8M\n",
		"<string>:11: [device zns0]: zone_capacity is larger than zone_size: QEMU "
		"refuses it; make it at most zone_size");
	ASSERT_EQ(0,
		  scenario_load_string(&s,
				       HEAD "[device zns0]\ntype = nvme-zns\nsize = 64M\n"
					    "zone_size = 4M\nzone_capacity = 3M\nnode = nvme7n1\n",
				       "/x", err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_STREQ("nvme7n1", s.devices[0].guest_node);
	scenario_free(&s);
}

TEST(mac_addresses)
{
	static const char *const bad[] = {
		"52:54:00:12:34",     "52:54:00:12:34:5",  "52:54:00:12:34:567",
		"52-54-00-12-34-56",  "52:54:00:12:-1:56", "52:54:00:12: 4:56",
		"52:54:00:12:+f:56",  "5254.0012.3456",	   "52:54:00:12:34:5g",
		"52:54:00:12:34:56:", "0x:54:00:12:34:56", "52:54:00:12:34:56 x",
	};
	char text[512], want[512], err[1024];
	struct scenario s;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), HEAD "[device net0]\ntype = usb-net\nmac = %s\n",
			 bad[i]);
		snprintf(want, sizeof(want),
			 "<string>:9: [device net0] mac = '%s' is not a MAC address: write e.g. "
			 "52:54:00:12:34:56",
			 bad[i]);
		EXPECT_EQ(-EINVAL, load_err(text, "/x", err, sizeof(err))) TH_LOG("mac %s", bad[i]);
		EXPECT_STREQ(want, err);
	}
	EXPECT_LOAD_ERROR(HEAD "[device net0]\ntype = usb-net\nmac = 01:00:5e:00:00:01\n",
			  "<string>:9: [device net0] mac = '01:00:5e:00:00:01' is a multicast "
			  "address: clear the lowest bit of the first byte");
	EXPECT_LOAD_ERROR(HEAD "[device net0]\ntype = usb-net\nmac = ff:ff:ff:ff:ff:ff\n",
			  "<string>:9: [device net0] mac = 'ff:ff:ff:ff:ff:ff' is a multicast "
			  "address: clear the lowest bit of the first byte");
	ASSERT_EQ(0, scenario_load_string(&s,
					  HEAD "[device net0]\ntype = usb-net\n"
					       "mac = 52:54:00:AB:cd:Ef\n",
					  "/x", err, sizeof(err)))
	TH_LOG("%s", err);
	scenario_free(&s);
}

TEST(device_type_errors)
{
	/* The list is the device-type table's: new types extend it. */
	EXPECT_LOAD_ERROR_START(
		HEAD "[device sd0]\n# no type\nsize = 64M\n",
		"<string>:7: [device sd0] has no type: add 'type = ' one of sd-card, "
		"nvme-zns, usb-net, ");
	EXPECT_LOAD_ERROR_START(
		HEAD "[device sd0]\nsize = 64M\ntype = sdcard\n",
		"<string>:9: [device sd0] type = 'sdcard' is not a device type: use "
		"one of sd-card, nvme-zns, usb-net, ");
}

TEST(device_names)
{
	char text[512];

	EXPECT_LOAD_ERROR(HEAD "[device sd-0]\ntype = sd-card\nsize = 64M\n",
			  "<string>:7: [device sd-0]: device names take letters, digits and '_' "
			  "(they become QEMU ids)");
	EXPECT_LOAD_ERROR(HEAD "[device sd,0]\ntype = sd-card\nsize = 64M\n",
			  "<string>:7: [device sd,0]: device names take letters, digits and '_' "
			  "(they become QEMU ids)");
	EXPECT_LOAD_ERROR(HEAD "[device a b]\ntype = sd-card\nsize = 64M\n",
			  "<string>:7: [device a b]: device names take letters, digits and '_' "
			  "(they become QEMU ids)");
	snprintf(text, sizeof(text), HEAD "[device %032d]\ntype = sd-card\nsize = 64M\n", 1);
	EXPECT_LOAD_ERROR(text, "<string>:7: [device 00000000000000000000000000000001]: device "
				"name too long (max 31): shorten it");
}

TEST(scenario_section_and_name)
{
	char text[512];

	EXPECT_LOAD_ERROR("[machine]\nmemory = 1G\n",
			  "<string>: no [scenario] section: add one with at least 'name = ...'");
	EXPECT_LOAD_ERROR("",
			  "<string>: no [scenario] section: add one with at least 'name = ...'");
	EXPECT_LOAD_ERROR("# c\n[scenario]\ndescription = d\n",
			  "<string>:2: [scenario] has no name: add 'name = ...'");
	EXPECT_LOAD_ERROR(
		"[scenario]\n\nname = a/b\n",
		"<string>:3: [scenario] name 'a/b': use letters, digits, '-' and '_' only "
		"(it names files)");
	EXPECT_LOAD_ERROR(
		"[scenario]\nname = a b\n",
		"<string>:2: [scenario] name 'a b': use letters, digits, '-' and '_' only "
		"(it names files)");
	snprintf(text, sizeof(text), "[scenario]\n\nname = %064d\n", 1);
	EXPECT_LOAD_ERROR(text, "<string>:3: [scenario] name is longer than 63 characters: "
				"shorten it");
}

TEST(durations)
{
	static const char *const keys[] = { "boot_timeout", "run_timeout", "device_timeout" };
	static const char *const bad[] = { "10x", "0s", "0", "-1s", "1e3", "soon", "1 m" };
	char text[512], want[512], err[1024];

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			snprintf(text, sizeof(text), "[scenario]\nname = t\n\n%s = %s\n", keys[k],
				 bad[i]);
			snprintf(want, sizeof(want),
				 "<string>:4: [scenario] %s = '%s' is not a duration: write e.g. "
				 "60s "
				 "or 2m",
				 keys[k], bad[i]);
			EXPECT_EQ(-EINVAL, load_err(text, "/x", err, sizeof(err)));
			EXPECT_STREQ(want, err);
		}
	}
}

/* One value out of its range: refused with its line, what it is and the fix. */
FIXTURE(refused){};
FIXTURE_SETUP(refused)
{
}
FIXTURE_TEARDOWN(refused)
{
}

FIXTURE_VARIANT(refused)
{
	const char *text;
	const char *error;
};

FIXTURE_VARIANT_ADD(refused, memory_32M){
	.text = "[scenario]\nname = t\n[machine]\ncpus = 1\nmemory = 32M\n",
	.error = "<string>:5: [machine] memory 32M is too small to boot: use at least 64M",
};
FIXTURE_VARIANT_ADD(refused, memory_0){
	.text = "[scenario]\nname = t\n[machine]\nmemory = 0\n",
	.error = "<string>:4: [machine] memory 0 is too small to boot: use at least 64M",
};
FIXTURE_VARIANT_ADD(refused, memory_not_whole_mib){
	.text = "[scenario]\nname = t\n[machine]\nmemory = 536871000\n",
	.error = "<string>:4: [machine] memory 536871000 is not a whole number of MiB: write e.g. "
		 "512M",
};
FIXTURE_VARIANT_ADD(refused, cpus_0){
	.text = "[scenario]\nname = t\n[machine]\ncpus = 0\n",
	.error = "<string>:4: [machine] cpus = 0: use 1 to 64",
};
FIXTURE_VARIANT_ADD(refused, cpus_65){
	.text = "[scenario]\nname = t\n[machine]\n\ncpus = 65\n",
	.error = "<string>:5: [machine] cpus = 65: use 1 to 64",
};
FIXTURE_VARIANT_ADD(refused, pci_hotplug_unknown){
	.text = "[scenario]\nname = t\n[machine]\npci_hotplug = shpc\n",
	.error = "<string>:4: [machine] pci_hotplug = 'shpc': use acpi or native",
};
FIXTURE_VARIANT_ADD(refused, pci_hotplug_not_q35){
	.text = "[scenario]\nname = t\n[machine]\narch = aarch64\npci_hotplug = native\n",
	.error = "<string>:5: [machine] pci_hotplug is for x86's q35 machine, not xlnx-zcu102",
};
/* 2^32 + 1 must not wrap to 1 in an unsigned int. */
FIXTURE_VARIANT_ADD(refused, cpus_2_to_the_32_plus_1){
	.text = "[scenario]\nname = t\n[machine]\ncpus = 4294967297\n",
	.error = "<string>:4: [machine] cpus = 4294967297: use 1 to 64",
};
FIXTURE_VARIANT_ADD(refused, cpus_two){
	.text = "[scenario]\nname = t\n[machine]\ncpus = two\n",
	.error = "<string>:4: [machine] cpus = 'two' is not a whole number: guest CPUs",
};
FIXTURE_VARIANT_ADD(refused, nvme_10M_in_4M_zones){
	.text = HEAD "[device zns0]\ntype = nvme-zns\nsize = 10M\nzone_size = 4M\n",
	.error = "<string>:9: [device zns0]: size 10485760 is not a whole number of 4194304-byte "
		 "zones: make size a multiple of zone_size",
};
FIXTURE_VARIANT_ADD(refused, nvme_2M_in_4M_zones){
	.text = HEAD "[device zns0]\ntype = nvme-zns\nzone_size = 4M\nsize = 2M\n",
	.error = "<string>:10: [device zns0]: size 2097152 is not a whole number of 4194304-byte "
		 "zones: make size a multiple of zone_size",
};
/* QEMU's default zone is 128M: a 64M namespace needs zone_size. */
FIXTURE_VARIANT_ADD(refused, nvme_64M_in_default_zones){
	.text = HEAD "[device zns0]\ntype = nvme-zns\nsize = 64M\n",
	.error = "<string>:9: [device zns0]: size 67108864 is not a whole number of 134217728-byte "
		 "zones: make size a multiple of zone_size",
};
FIXTURE_VARIANT_ADD(refused, nvme_zone_size_0){
	.text = HEAD "[device zns0]\ntype = nvme-zns\nsize = 64M\nzone_size = 0\n",
	.error = "<string>:9: [device zns0]: size 67108864 is not a whole number of 0-byte zones: "
		 "make size a multiple of zone_size",
};

TEST_F(refused, names_the_line_and_the_fix)
{
	EXPECT_LOAD_ERROR(variant->text, variant->error);
}

TEST(image_missing)
{
	char err[1024];

	EXPECT_EQ(-ENOENT,
		  load_err(HEAD "[device sd0]\ntype = sd-card\nimage = /nonexistent/sd.img\n", "/x",
			   err, sizeof(err)));
	EXPECT_STREQ("<string>:9: [device sd0]: image /nonexistent/sd.img: No such file or "
		     "directory: fix the path (relative paths start at the scenario's folder)",
		     err);
	/* A relative one is reported as resolved, so the user sees where it looked. */
	EXPECT_EQ(-ENOENT, load_err(HEAD "[device zns0]\ntype = nvme-zns\n\nimage = zns.img\n",
				    "/scenarios/here", err, sizeof(err)));
	EXPECT_STREQ("<string>:10: [device zns0]: image /scenarios/here/zns.img: No such file or "
		     "directory: fix the path (relative paths start at the scenario's folder)",
		     err);
}

TEST(image_folder_or_overlong_path)
{
	static char dir[PATH_MAX - 8];
	char err[1024];

	EXPECT_EQ(-EINVAL, load_err(HEAD "[device sd0]\ntype = sd-card\nimage = /tmp\n", "/x", err,
				    sizeof(err)));
	EXPECT_STREQ("<string>:9: [device sd0]: image /tmp is a folder: name the image file", err);
	EXPECT_EQ(-EINVAL, load_err(HEAD "[device sd0]\ntype = sd-card\nimage = .\n", "/tmp", err,
				    sizeof(err)));
	EXPECT_STREQ("<string>:9: [device sd0]: image /tmp/. is a folder: name the image file",
		     err);

	/* The folder and the name together exceed PATH_MAX: say so, not nothing. */
	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	err[0] = '\0';
	EXPECT_EQ(-EINVAL, load_err(HEAD "[device sd0]\ntype = sd-card\nimage = card.img\n", dir,
				    err, sizeof(err)));
	EXPECT_STREQ("<string>:9: [device sd0]: image card.img: the path is too long: give a "
		     "shorter one",
		     err);
}

TEST(image_relative_to_the_scenario_folder)
{
	char dir[] = "/tmp/guestcheck-scenario-XXXXXX", path[PATH_MAX], want[PATH_MAX];
	char err[1024];
	struct scenario s;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/card.img", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 32 << 20));
	close(fd);

	ASSERT_EQ(0, scenario_load_string(&s,
					  HEAD "[device sd0]\ntype = sd-card\nimage = card.img\n"
					       "[device sd1]\ntype = sd-card\nimage = card.img\n"
					       "size = 64M\n"
					       "[device z]\ntype = nvme-zns\nimage = card.img\n"
					       "zone_size = 4M\n",
					  dir, err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(3U, s.ndevices);
	snprintf(want, sizeof(want), "%s/card.img", dir);
	EXPECT_STREQ(want, s.devices[0].image);
	EXPECT_EQ(32ULL << 20, s.devices[0].size); /* the image's size */
	EXPECT_FALSE(s.devices[0].readonly);
	EXPECT_STREQ("mmcblk0", s.devices[0].guest_node);
	/* `size` with an image is what the guest must see, not the file's. */
	EXPECT_EQ(64ULL << 20, s.devices[1].size);
	EXPECT_EQ(1, s.devices[1].index);
	EXPECT_STREQ("mmcblk1", s.devices[1].guest_node);
	EXPECT_STREQ(want, s.devices[2].image);
	EXPECT_EQ(32ULL << 20, s.devices[2].size);
	EXPECT_STREQ("nvme0n1", s.devices[2].guest_node);
	scenario_free(&s);

	/* An absolute path is taken as it is. */
	snprintf(want, sizeof(want),
		 HEAD "[device sd0]\ntype = sd-card\nimage = %s\nnode = mmcblk3\n", path);
	ASSERT_EQ(0, scenario_load_string(&s, want, "/elsewhere", err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_STREQ(path, s.devices[0].image);
	EXPECT_STREQ("mmcblk3", s.devices[0].guest_node);
	scenario_free(&s);
	unlink(path);
	rmdir(dir);
}

TEST(device_indices_count_per_type)
{
	char err[1024];
	struct scenario s;

	ASSERT_EQ(0, scenario_load_string(
			     &s,
			     HEAD "[device a]\ntype = sd-card\nsize = 1M\n"
				  "[device z]\ntype = nvme-zns\nsize = 8M\nzone_size = 4M\n"
				  "[device b]\ntype = sd-card\nsize = 2M\n"
				  "[device y]\ntype = nvme-zns\nsize = 8M\nzone_size = 4M\n",
			     "/x", err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(4U, s.ndevices);
	EXPECT_STREQ("mmcblk0", s.devices[0].guest_node);
	EXPECT_STREQ("nvme0n1", s.devices[1].guest_node);
	EXPECT_STREQ("mmcblk1", s.devices[2].guest_node);
	EXPECT_STREQ("nvme1n1", s.devices[3].guest_node);
	scenario_free(&s);
}

TEST(too_many_devices)
{
	char text[4096] = HEAD, want[256];
	size_t len = strlen(text);
	int line = 7;

	/* Each device: header, type, size, blank: 4 lines. */
	for (int i = 0; i <= SCENARIO_MAX_DEVICES; i++) {
		len += snprintf(text + len, sizeof(text) - len,
				"[device c%d]\ntype = sd-card\nsize = 1M\n\n", i);
		if (i < SCENARIO_MAX_DEVICES)
			line += 4;
	}
	ASSERT_LT(len, sizeof(text));
	snprintf(want, sizeof(want), "<string>:%d: more than %d devices: split the scenario", line,
		 SCENARIO_MAX_DEVICES);
	EXPECT_LOAD_ERROR(text, want);

	/* Exactly the limit is fine. */
	text[len - strlen("[device c16]\ntype = sd-card\nsize = 1M\n\n")] = '\0';
	{
		struct scenario s;
		char err[1024];

		ASSERT_EQ(0, scenario_load_string(&s, text, "/x", err, sizeof(err)))
		TH_LOG("%s", err);
		EXPECT_EQ((size_t)SCENARIO_MAX_DEVICES, s.ndevices);
		scenario_free(&s);
	}
}

TEST(config_errors_pass_through)
{
	EXPECT_LOAD_ERROR(
		"[scenario]\nname = a\nname = b\n",
		"<string>:3: 'name' is set twice in [scenario] (first on line 2): keep one");
	EXPECT_LOAD_ERROR("[scenario]\nname = a\n[device x]\ntype = usb-net\n[device x]\nmac = "
			  "52:54:00:12:34:56\n",
			  "<string>:5: section [device x] appears twice (first on line 3): merge "
			  "the two into one");
	EXPECT_LOAD_ERROR("[scenario]\nthis is not ini\n",
			  "<string>:2: not 'key = value', '[section]' or a '#'/';' comment: fix "
			  "the line");
}

TEST(missing_file)
{
	char err[1024];
	struct scenario s;

	EXPECT_EQ(-ENOENT, scenario_load(&s, "/nonexistent/x.ini", err, sizeof(err)));
	EXPECT_STREQ("/nonexistent/x.ini: no such scenario file: check the path", err);
}

TEST_HARNESS_MAIN
