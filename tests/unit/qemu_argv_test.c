// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host-runner/vm/qemu_argv.c: the exact QEMU command line a scenario becomes,
 * and the agent.ini the guest gets (which the agent must be able to read).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kselftest_harness.h"
#include "protocol.h"
#include "source_path.h"

#include "devices/device_type.h"
#include "scenario/scenario.h"
#include "vm/qemu_argv.h"

static const struct qemu_plan tcg_plan = {
	.binary = "qemu-system-x86_64",
	.kernel = "/boot/vmlinuz-test",
	.initrd = "/run/gc/initrd.img",
	.accel = "tcg",
	.rundir = "/run/gc",
};

/* The values of every occurrence of `opt`, joined by '\n'. */
static char *values_of(const struct strv *argv, const char *opt)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	for (size_t i = 0; f && i + 1 < argv->n; i++)
		if (!strcmp(argv->v[i], opt))
			fprintf(f, "%s\n", argv->v[i + 1]);
	if (f)
		fclose(f);
	return out;
}

static size_t count_arg(const struct strv *argv, const char *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < argv->n; i++)
		n += !strcmp(argv->v[i], arg);
	return n;
}

/* The value after the first `opt`, or NULL. */
static const char *value_of(const struct strv *argv, const char *opt)
{
	for (size_t i = 0; i + 1 < argv->n; i++)
		if (!strcmp(argv->v[i], opt))
			return argv->v[i + 1];
	return NULL;
}

/* `lines` ("a\nb\n") appear in `list`, consecutive and as whole lines. */
static bool has_lines(const char *list, const char *lines)
{
	size_t n = strlen(lines);

	for (const char *p = list; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, lines, n))
			return true;
	return false;
}

/* How many lines of `list` start with `prefix`. */
static size_t count_lines(const char *list, const char *prefix)
{
	size_t n = 0;

	for (const char *p = list; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

static int load(struct scenario *s, const char *text, char *err, size_t size)
{
	return scenario_load_string(s, text, "/scenarios", err, size);
}

#define HEAD "[scenario]\nname = t\n"

static const char runner_chardevs[] = "socket,id=console,path=/run/gc/" RUNDIR_CONSOLE_SOCKET "\n"
				      "socket,id=qmp,path=/run/gc/" RUNDIR_QMP_SOCKET "\n"
				      "socket,id=ktap,path=/run/gc/" RUNDIR_KTAP_SOCKET "\n";
static const char agent_port[] =
	"virtio-serial-pci,id=guestcheck-serial\n"
	"virtserialport,bus=guestcheck-serial.0,chardev=ktap,name=" AGENT_PORT_NAME "\n";

FIXTURE(argv)
{
	struct scenario s;
	struct strv argv;
	char err[1024];
};

FIXTURE_SETUP(argv)
{
	memset(&self->argv, 0, sizeof(self->argv));
	memset(&self->s, 0, sizeof(self->s));
}

FIXTURE_TEARDOWN(argv)
{
	strv_free(&self->argv);
	scenario_free(&self->s);
}

TEST_F(argv, default_scenario_under_tcg)
{
	char path[PATH_MAX];
	_cleanup_free_ char *devices = NULL, *drives = NULL, *chardevs = NULL, *netdevs = NULL;

	source_path(path, sizeof(path), "scenarios/default.ini");
	ASSERT_EQ(0, scenario_load(&self->s, path, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	ASSERT_EQ(0, qemu_argv_build(&self->s, &tcg_plan, &self->argv));
	ASSERT_LT(10U, self->argv.n);
	EXPECT_EQ(NULL, self->argv.v[self->argv.n]);

	EXPECT_STREQ("qemu-system-x86_64", self->argv.v[0]);
	EXPECT_STREQ("q35,accel=tcg", value_of(&self->argv, "-machine"));
	EXPECT_EQ(0U, count_arg(&self->argv, "-cpu")); /* -cpu host is KVM's */
	EXPECT_STREQ("512M", value_of(&self->argv, "-m"));
	EXPECT_STREQ("1", value_of(&self->argv, "-smp"));
	EXPECT_STREQ("/boot/vmlinuz-test", value_of(&self->argv, "-kernel"));
	EXPECT_STREQ("/run/gc/initrd.img", value_of(&self->argv, "-initrd"));
	EXPECT_STREQ("console=ttyS0 panic=-1 no_timer_check", value_of(&self->argv, "-append"));
	EXPECT_EQ(1U, count_arg(&self->argv, "-nodefaults"));
	EXPECT_EQ(1U, count_arg(&self->argv, "-no-reboot"));
	EXPECT_STREQ("none", value_of(&self->argv, "-display"));
	EXPECT_STREQ("chardev:console", value_of(&self->argv, "-serial"));
	EXPECT_STREQ("chardev=qmp,mode=control", value_of(&self->argv, "-mon"));

	/* The runner's three channels come first; device types may add their own after. */
	chardevs = values_of(&self->argv, "-chardev");
	EXPECT_EQ(0, strncmp(chardevs, runner_chardevs, strlen(runner_chardevs)))
	TH_LOG("%s", chardevs);
	devices = values_of(&self->argv, "-device");
	EXPECT_EQ(0, strncmp(devices, agent_port, strlen(agent_port))) TH_LOG("%s", devices);
	EXPECT_TRUE(has_lines(devices, "qemu-xhci,id=xhci\n")) TH_LOG("%s", devices);
	EXPECT_EQ(1U, count_lines(devices, "qemu-xhci"));
	EXPECT_TRUE(has_lines(devices, "sdhci-pci,id=sdhci-sd0,addr=0x10\n"
				       "sd-card,drive=sd0,bus=pcie.0/sdhci-sd0/sd-bus\n"))
	TH_LOG("%s", devices);
	EXPECT_TRUE(has_lines(devices,
			      "nvme,id=nvme-zns0,serial=guestcheck-zns0\n"
			      "nvme-ns,drive=zns0,bus=nvme-zns0,zoned=true,zoned.zone_size=4M,"
			      "zoned.zone_capacity=4M,zoned.max_open=8,zoned.max_active=8\n"))
	TH_LOG("%s", devices);
	EXPECT_EQ(1U, count_lines(devices, "usb-net,bus=xhci.0,"));
	EXPECT_NE(NULL, strstr(devices, ",netdev=net0,mac=52:54:00:12:34:56\n"))
	TH_LOG("%s", devices);
	drives = values_of(&self->argv, "-drive");
	EXPECT_STREQ("if=none,id=sd0,file=/run/gc/sd0.img,format=raw\n"
		     "if=none,id=zns0,file=/run/gc/zns0.img,format=raw\n",
		     drives);
	netdevs = values_of(&self->argv, "-netdev");
	EXPECT_STREQ("user,id=net0\n", netdevs);
	EXPECT_STREQ("org.guestcheck.ktap", AGENT_PORT_NAME);
}

TEST_F(argv, kvm_adds_cpu_host_and_the_accel)
{
	struct qemu_plan plan = tcg_plan;

	plan.accel = "kvm";
	ASSERT_EQ(0, load(&self->s, HEAD "[machine]\nmemory = 1G\ncpus = 4\nappend = loglevel=7\n",
			  self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	ASSERT_EQ(0, qemu_argv_build(&self->s, &plan, &self->argv));
	EXPECT_STREQ("q35,accel=kvm", value_of(&self->argv, "-machine"));
	EXPECT_EQ(1U, count_arg(&self->argv, "-cpu"));
	EXPECT_STREQ("host", value_of(&self->argv, "-cpu"));
	EXPECT_STREQ("1024M", value_of(&self->argv, "-m"));
	EXPECT_STREQ("4", value_of(&self->argv, "-smp"));
	EXPECT_STREQ("console=ttyS0 panic=-1 no_timer_check loglevel=7",
		     value_of(&self->argv, "-append"));
}

TEST_F(argv, no_devices_no_controllers)
{
	_cleanup_free_ char *devices = NULL;

	ASSERT_EQ(0, load(&self->s, HEAD, self->err, sizeof(self->err)));
	ASSERT_EQ(0, qemu_argv_build(&self->s, &tcg_plan, &self->argv));
	devices = values_of(&self->argv, "-device");
	EXPECT_STREQ("virtio-serial-pci,id=guestcheck-serial\n"
		     "virtserialport,bus=guestcheck-serial.0,chardev=ktap,name=" AGENT_PORT_NAME
		     "\n",
		     devices);
	EXPECT_EQ(0U, count_arg(&self->argv, "-drive"));
	EXPECT_EQ(0U, count_arg(&self->argv, "-netdev"));
}

TEST_F(argv, xhci_only_with_a_usb_device_and_once)
{
	_cleanup_free_ char *devices = NULL;

	ASSERT_EQ(0, load(&self->s, HEAD "[device sd0]\ntype = sd-card\nsize = 64M\n", self->err,
			  sizeof(self->err)));
	ASSERT_EQ(0, qemu_argv_build(&self->s, &tcg_plan, &self->argv));
	devices = values_of(&self->argv, "-device");
	EXPECT_EQ(NULL, strstr(devices, "qemu-xhci")) TH_LOG("%s", devices);
	strv_free(&self->argv);
	scenario_free(&self->s);
	free(devices);

	ASSERT_EQ(0, load(&self->s,
			  HEAD "[device a]\ntype = usb-net\n[device b]\ntype = usb-net\n"
			       "mac = 52:54:00:00:00:02\n",
			  self->err, sizeof(self->err)));
	ASSERT_EQ(0, qemu_argv_build(&self->s, &tcg_plan, &self->argv));
	devices = values_of(&self->argv, "-device");
	EXPECT_EQ(1U, count_lines(devices, "qemu-xhci,id=xhci\n"));
	EXPECT_EQ(2U, count_lines(devices, "usb-net,bus=xhci.0,"));
	/* No mac: QEMU picks one. */
	EXPECT_NE(NULL, strstr(devices, ",netdev=a\n")) TH_LOG("%s", devices);
	EXPECT_NE(NULL, strstr(devices, ",netdev=b,mac=52:54:00:00:00:02\n")) TH_LOG("%s", devices);
}

TEST_F(argv, two_sd_cards_get_two_controllers)
{
	_cleanup_free_ char *devices = NULL, *drives = NULL;

	ASSERT_EQ(0, load(&self->s,
			  HEAD "[device card_a]\ntype = sd-card\nsize = 64M\n"
			       "[device card_b]\ntype = sd-card\nsize = 128M\n",
			  self->err, sizeof(self->err)));
	ASSERT_EQ(0, qemu_argv_build(&self->s, &tcg_plan, &self->argv));
	devices = values_of(&self->argv, "-device");
	/* Each controller at a slot of its own: the guest finds each card by it. */
	EXPECT_NE(NULL, strstr(devices, "sdhci-pci,id=sdhci-card_a,addr=0x10\n"
					"sd-card,drive=card_a,bus=pcie.0/sdhci-card_a/sd-bus\n"
					"sdhci-pci,id=sdhci-card_b,addr=0x11\n"
					"sd-card,drive=card_b,bus=pcie.0/sdhci-card_b/sd-bus\n"))
	TH_LOG("%s", devices);
	drives = values_of(&self->argv, "-drive");
	EXPECT_STREQ("if=none,id=card_a,file=/run/gc/card_a.img,format=raw\n"
		     "if=none,id=card_b,file=/run/gc/card_b.img,format=raw\n",
		     drives);
	EXPECT_STREQ("mmcblk0", self->s.devices[0].guest_node);
	EXPECT_STREQ("mmcblk1", self->s.devices[1].guest_node);
}

TEST_F(argv, nvme_zoned_props_only_for_keys_given)
{
	_cleanup_free_ char *devices = NULL;

	ASSERT_EQ(0, load(&self->s,
			  HEAD "[device z1]\ntype = nvme-zns\nsize = 16M\nzone_size = 4M\n"
			       "[device z2]\ntype = nvme-zns\nsize = 128M\n"
			       "[device z3]\ntype = nvme-zns\nsize = 16M\nzone_size = 8M\n"
			       "max_active = 3\n",
			  self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	ASSERT_EQ(0, qemu_argv_build(&self->s, &tcg_plan, &self->argv));
	devices = values_of(&self->argv, "-device");
	EXPECT_NE(NULL,
		  strstr(devices, "nvme,id=nvme-z1,serial=guestcheck-z1\n"
				  "nvme-ns,drive=z1,bus=nvme-z1,zoned=true,zoned.zone_size=4M\n"
				  "nvme,id=nvme-z2,serial=guestcheck-z2\n"
				  "nvme-ns,drive=z2,bus=nvme-z2,zoned=true\n"
				  "nvme,id=nvme-z3,serial=guestcheck-z3\n"
				  "nvme-ns,drive=z3,bus=nvme-z3,zoned=true,zoned.zone_size=8M,"
				  "zoned.max_active=3\n"))
	TH_LOG("%s", devices);
	EXPECT_STREQ("nvme0n1", self->s.devices[0].guest_node);
	EXPECT_STREQ("nvme1n1", self->s.devices[1].guest_node);
	EXPECT_STREQ("nvme2n1", self->s.devices[2].guest_node);
}

TEST_F(argv, image_files_and_commas)
{
	char dir[] = "/tmp/guestcheck-argv-XXXXXX", path[PATH_MAX], text[1024];
	_cleanup_free_ char *drives = NULL, *chardevs = NULL;
	struct qemu_plan plan = tcg_plan;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	/* QEMU reads ',' as the end of file=: a path holding one must say ",,". */
	snprintf(path, sizeof(path), "%s/a,format=qcow2.img", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 1 << 20));
	close(fd);
	snprintf(text, sizeof(text),
		 HEAD "[device sd0]\ntype = sd-card\nimage = a,format=qcow2.img\n"
		      "[device s1]\ntype = sd-card\nsize = 1M\n"
		      "[device z]\ntype = nvme-zns\nimage = a,format=qcow2.img\nzone_size = 1M\n");
	ASSERT_EQ(0, scenario_load_string(&self->s, text, dir, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	plan.rundir = "/run/a,b";
	ASSERT_EQ(0, qemu_argv_build(&self->s, &plan, &self->argv));
	drives = values_of(&self->argv, "-drive");
	snprintf(text, sizeof(text),
		 "if=none,id=sd0,file=%s/a,,format=qcow2.img,format=raw\n"
		 "if=none,id=s1,file=/run/a,,b/s1.img,format=raw\n"
		 "if=none,id=z,file=%s/a,,format=qcow2.img,format=raw\n",
		 dir, dir);
	EXPECT_STREQ(text, drives);
	chardevs = values_of(&self->argv, "-chardev");
	EXPECT_NE(NULL, strstr(chardevs, "socket,id=ktap,path=/run/a,,b/" RUNDIR_KTAP_SOCKET "\n"))
	TH_LOG("%s", chardevs);

	/* The file the runner creates is the real path, not the escaped one. */
	qemu_device_image(&self->s.devices[0], "/run/a,b", text, sizeof(text));
	EXPECT_STREQ(path, text);
	qemu_device_image(&self->s.devices[1], "/run/a,b", text, sizeof(text));
	EXPECT_STREQ("/run/a,b/s1.img", text);
	unlink(path);
	rmdir(dir);
}

/* dir (a mkdtemp template) made, and dir/my.img in it: 1 MiB, a boot sector. 0 or -1. */
static int make_boot_sector_image(char *dir, char *path, size_t size)
{
	unsigned char mbr[512] = { [510] = 0x55, [511] = 0xaa };
	int fd, ok;

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, size, "%s/my.img", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	ok = write(fd, mbr, sizeof(mbr)) == (ssize_t)sizeof(mbr) && ftruncate(fd, 1 << 20) == 0;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * [machine] disk: the firmware boots the overlay (no -kernel, -initrd,
 * -append), the guest agent's port replaces the agent's, devices still come.
 */
TEST_F(argv, user_disk_boots_by_the_firmware_with_a_guest_agent_port)
{
	char dir[] = "/tmp/guestcheck-argv-XXXXXX", path[PATH_MAX], text[1024];
	_cleanup_free_ char *drives = NULL, *chardevs = NULL, *devices = NULL;

	ASSERT_EQ(0, make_boot_sector_image(dir, path, sizeof(path)));
	snprintf(text, sizeof(text),
		 HEAD "[machine]\ndisk = my.img\n[device hdd0]\ntype = hdd\nsize = 1M\n");
	ASSERT_EQ(0, scenario_load_string(&self->s, text, dir, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	EXPECT_STREQ(path, self->s.disk);
	EXPECT_STREQ("raw", self->s.disk_format);
	ASSERT_EQ(0, qemu_argv_build(&self->s, &tcg_plan, &self->argv));
	EXPECT_EQ(0U, count_arg(&self->argv, "-kernel"));
	EXPECT_EQ(0U, count_arg(&self->argv, "-initrd"));
	EXPECT_EQ(0U, count_arg(&self->argv, "-append"));
	drives = values_of(&self->argv, "-drive");
	/* The overlay, always qcow2 whatever the image is: never the user's file. */
	EXPECT_TRUE(has_lines(drives, "if=none,id=" DISK_DRIVE_ID
				      ",file=/run/gc/" RUNDIR_DISK_OVERLAY ",format=qcow2\n"))
	TH_LOG("%s", drives);
	EXPECT_EQ(NULL, strstr(drives, "my.img"));
	devices = values_of(&self->argv, "-device");
	EXPECT_TRUE(has_lines(devices, "virtio-blk-pci,drive=" DISK_DRIVE_ID ",bootindex=0\n"));
	EXPECT_TRUE(has_lines(
		devices,
		"virtio-serial-pci,id=guestcheck-serial\n"
		"virtserialport,bus=guestcheck-serial.0,chardev=qga,name=" QGA_PORT_NAME "\n"))
	TH_LOG("%s", devices);
	EXPECT_EQ(NULL, strstr(devices, AGENT_PORT_NAME));
	EXPECT_NE(NULL, strstr(devices, "drive=hdd0"));
	chardevs = values_of(&self->argv, "-chardev");
	EXPECT_TRUE(has_lines(chardevs, "socket,id=qga,path=/run/gc/" RUNDIR_QGA_SOCKET
					",server=on,wait=off\n"))
	TH_LOG("%s", chardevs);
	EXPECT_EQ(NULL, strstr(chardevs, "id=ktap"));
	unlink(path);
	rmdir(dir);
}

/*
 * [machine] firmware = uefi: OVMF's code read-only on the first flash chip,
 * this run's copy of its variable store (with a comma in the run directory)
 * on the second; before the disk, and only with a disk.
 */
TEST_F(argv, user_disk_with_uefi_maps_ovmf_read_only_and_a_private_store)
{
	char dir[] = "/tmp/guestcheck-argv-XXXXXX", path[PATH_MAX], text[1024];
	struct qemu_plan plan = tcg_plan;
	_cleanup_free_ char *drives = NULL;

	ASSERT_EQ(0, make_boot_sector_image(dir, path, sizeof(path)));
	snprintf(text, sizeof(text), HEAD "[machine]\ndisk = my.img\nfirmware = uefi\n");
	ASSERT_EQ(0, scenario_load_string(&self->s, text, dir, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	EXPECT_TRUE(self->s.firmware_uefi);
	plan.uefi_code = "/fw/OVMF_CODE_4M.fd";
	plan.rundir = "/run/a,b";
	ASSERT_EQ(0, qemu_argv_build(&self->s, &plan, &self->argv));
	drives = values_of(&self->argv, "-drive");
	EXPECT_TRUE(has_lines(drives,
			      "if=pflash,unit=0,format=raw,readonly=on,file=/fw/OVMF_CODE_4M.fd\n"
			      "if=pflash,unit=1,format=raw,file=/run/a,,b/" RUNDIR_UEFI_VARS "\n"
			      "if=none,id=" DISK_DRIVE_ID))
	TH_LOG("%s", drives);

	/* firmware = bios is SeaBIOS, QEMU's own: no flash at all. */
	scenario_free(&self->s);
	strv_free(&self->argv);
	snprintf(text, sizeof(text), HEAD "[machine]\ndisk = my.img\nfirmware = bios\n");
	ASSERT_EQ(0, scenario_load_string(&self->s, text, dir, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	ASSERT_EQ(0, qemu_argv_build(&self->s, &plan, &self->argv));
	free(drives);
	drives = values_of(&self->argv, "-drive");
	EXPECT_EQ(NULL, strstr(drives, "pflash"));

	/* Refused: an unknown firmware, and a firmware with nothing to boot. */
	scenario_free(&self->s);
	snprintf(text, sizeof(text), HEAD "[machine]\ndisk = my.img\nfirmware = efi\n");
	EXPECT_EQ(-EINVAL, scenario_load_string(&self->s, text, dir, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "[machine] firmware = 'efi': use bios or uefi"))
	TH_LOG("%s", self->err);
	snprintf(text, sizeof(text), HEAD "[machine]\nfirmware = uefi\n");
	EXPECT_EQ(-EINVAL, scenario_load_string(&self->s, text, dir, self->err, sizeof(self->err)));
	EXPECT_NE(NULL,
		  strstr(self->err, "firmware chooses what boots a disk: it needs disk = FILE"))
	TH_LOG("%s", self->err);
	unlink(path);
	rmdir(dir);
}

/* agent_config_write() into a string. */
static char *agent_ini(const struct scenario *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	if (agent_config_write(s, f) < 0) {
		fclose(f);
		free(out);
		return NULL;
	}
	fclose(f);
	return out;
}

TEST_F(argv, agent_ini_of_the_default_scenario_parses_back)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	const struct config_section *sec;
	struct config cfg;

	source_path(path, sizeof(path), "scenarios/default.ini");
	ASSERT_EQ(0, scenario_load(&self->s, path, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	text = agent_ini(&self->s);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, config_load_string(&cfg, text, self->err, sizeof(self->err)))
	TH_LOG("%s\n%s", self->err, text);

	EXPECT_STREQ("default", config_get(&cfg, "scenario", "name"));
	/* The usb-net's drivers before the others': its enumeration overlaps with them. */
	EXPECT_STREQ("virtio_pci virtio_console xhci_pci cdc_ether sdhci_pci mmc_block nvme",
		     config_get(&cfg, "agent", "modules"));
	EXPECT_STREQ("20000ms", config_get(&cfg, "agent", "device_timeout"));
	ASSERT_EQ(5U, cfg.nsections);

	sec = config_section(&cfg, "device sd0");
	ASSERT_NE(NULL, sec);
	EXPECT_STREQ("sd-card", config_get(&cfg, "device sd0", "type"));
	/* No node: the agent finds the card below its pinned controller. */
	EXPECT_EQ(NULL, config_get(&cfg, "device sd0", "node"));
	EXPECT_STREQ("0000:00:10.0", config_get(&cfg, "device sd0", "pci_address"));
	EXPECT_STREQ("2097152", config_get(&cfg, "device sd0", "size"));

	sec = config_section(&cfg, "device zns0");
	ASSERT_NE(NULL, sec);
	EXPECT_STREQ("nvme-zns", config_get(&cfg, "device zns0", "type"));
	EXPECT_STREQ("4M", config_get(&cfg, "device zns0", "zone_size"));
	EXPECT_STREQ("4M", config_get(&cfg, "device zns0", "zone_capacity"));
	EXPECT_STREQ("8", config_get(&cfg, "device zns0", "max_open"));
	EXPECT_STREQ("8", config_get(&cfg, "device zns0", "max_active"));
	EXPECT_STREQ("nvme0n1", config_get(&cfg, "device zns0", "node"));
	EXPECT_STREQ("67108864", config_get(&cfg, "device zns0", "size"));

	sec = config_section(&cfg, "device net0");
	ASSERT_NE(NULL, sec);
	EXPECT_STREQ("usb-net", config_get(&cfg, "device net0", "type"));
	EXPECT_STREQ("user", config_get(&cfg, "device net0", "netdev"));
	EXPECT_STREQ("52:54:00:12:34:56", config_get(&cfg, "device net0", "mac"));
	EXPECT_EQ(NULL, config_get(&cfg, "device net0", "node"));
	EXPECT_EQ(NULL, config_get(&cfg, "device net0", "size"));

	/* Every other key travels as written; image never does. */
	for (size_t i = 0; i < self->s.ndevices; i++) {
		const struct scenario_device *d = &self->s.devices[i];
		char name[64];

		snprintf(name, sizeof(name), "device %s", d->name);
		sec = config_section(&cfg, name);
		ASSERT_NE(NULL, sec) TH_LOG("%s", name);
		EXPECT_EQ(NULL, config_entry(sec, "image"));
		for (size_t j = 0; j < d->section->nentries; j++) {
			const struct config_entry *e = &d->section->entries[j];

			if (!strcmp(e->key, "node") || !strcmp(e->key, "size"))
				continue;
			EXPECT_STREQ(e->value, config_get(&cfg, name, e->key) ?: "(missing)")
			TH_LOG("[%s] %s", name, e->key);
		}
		for (size_t j = 0; j < sec->nentries; j++) {
			const char *key = sec->entries[j].key;

			/* node, size and pci_address are the runner's, resolved. */
			EXPECT_TRUE(!strcmp(key, "node") || !strcmp(key, "size") ||
				    !strcmp(key, "pci_address") || config_entry(d->section, key))
			TH_LOG("[%s] %s is not in the scenario", name, key);
		}
	}
	config_free(&cfg);
}

TEST_F(argv, agent_ini_modules_once_in_order_and_no_image)
{
	char dir[] = "/tmp/guestcheck-argv-XXXXXX", path[PATH_MAX], text[1024];
	_cleanup_free_ char *ini = NULL;
	struct config cfg;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/card.img", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 32 << 20));
	close(fd);
	/* usb first: the modules of USB devices, then the others', each in the devices' order, each
	 * once. */
	snprintf(text, sizeof(text),
		 "[scenario]\nname = order\ndevice_timeout = 5s\n"
		 "[device n0]\ntype = usb-net\n"
		 "[device sd0]\ntype = sd-card\nimage = card.img\nnode = mmcblk7\n"
		 "[device n1]\ntype = usb-net\nmac = 52:54:00:00:00:01\n"
		 "[device sd1]\ntype = sd-card\nsize = 1M\n"
		 "[device z]\ntype = nvme-zns\nsize = 8M\nzone_size = 4M\nmax_open = 2\n");
	ASSERT_EQ(0, scenario_load_string(&self->s, text, dir, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	ini = agent_ini(&self->s);
	ASSERT_NE(NULL, ini);
	EXPECT_EQ(NULL, strstr(ini, "image")) TH_LOG("%s", ini);
	EXPECT_EQ(NULL, strstr(ini, dir)) TH_LOG("%s", ini); /* no host paths */
	ASSERT_EQ(0, config_load_string(&cfg, ini, self->err, sizeof(self->err)))
	TH_LOG("%s\n%s", self->err, ini);
	EXPECT_STREQ("virtio_pci virtio_console xhci_pci cdc_ether sdhci_pci mmc_block nvme",
		     config_get(&cfg, "agent", "modules"));
	EXPECT_STREQ("5000ms", config_get(&cfg, "agent", "device_timeout"));
	/* The scenario's node is replaced by the resolved one, not repeated. */
	EXPECT_STREQ("mmcblk7", config_get(&cfg, "device sd0", "node"));
	EXPECT_STREQ("0000:00:10.0", config_get(&cfg, "device sd0", "pci_address"));
	EXPECT_STREQ("33554432", config_get(&cfg, "device sd0", "size")); /* the image's */
	EXPECT_STREQ("2", config_get(&cfg, "device z", "max_open"));
	EXPECT_EQ(NULL, config_get(&cfg, "device sd1", "node"));
	EXPECT_STREQ("0000:00:11.0", config_get(&cfg, "device sd1", "pci_address"));
	EXPECT_STREQ("1048576", config_get(&cfg, "device sd1", "size"));
	EXPECT_STREQ("nvme0n1", config_get(&cfg, "device z", "node"));
	EXPECT_STREQ("52:54:00:00:00:01", config_get(&cfg, "device n1", "mac"));
	EXPECT_EQ(NULL, config_get(&cfg, "device n0", "mac"));
	config_free(&cfg);
	unlink(path);
	rmdir(dir);
}

TEST_F(argv, agent_ini_without_devices)
{
	_cleanup_free_ char *ini = NULL;
	struct config cfg;

	ASSERT_EQ(0, load(&self->s, HEAD, self->err, sizeof(self->err)));
	ini = agent_ini(&self->s);
	ASSERT_NE(NULL, ini);
	ASSERT_EQ(0, config_load_string(&cfg, ini, self->err, sizeof(self->err)));
	EXPECT_STREQ("virtio_pci virtio_console", config_get(&cfg, "agent", "modules"));
	EXPECT_EQ(2U, cfg.nsections);
	config_free(&cfg);
}

TEST_HARNESS_MAIN
