// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runner's side of the SD host controller checks: an aarch64 scenario
 * becomes a QEMU xlnx-zcu102 command line whose second UART carries the
 * KTAP (no virtio there), cards go into the board's own controllers, the
 * device tree is passed, and the guest is told its port and modules; on
 * x86 a card's capareg reaches its sdhci-pci; bad values are refused with
 * FILE:LINE and the fix.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "scenario/scenario.h"
#include "vm/qemu_argv.h"

static const struct qemu_plan plan = {
	.binary = "qemu-system-aarch64",
	.kernel = "vmlinuz",
	.initrd = "RUNDIR/initrd.img",
	.accel = "tcg",
	.rundir = "RUNDIR",
};

/* The scenario's command line, joined, and its agent.ini. */
static int build(const char *ini, char **line, char **agent_ini, char *err, size_t errsize)
{
	struct scenario s;
	struct strv argv = { 0 };
	size_t len;
	FILE *f;
	int r = scenario_load_string(&s, ini, "/tmp", err, errsize);

	if (r < 0)
		return r;
	qemu_argv_build(&s, &plan, &argv);
	*line = strv_join_shell(&argv);
	f = open_memstream(agent_ini, &len);
	agent_config_write(&s, f);
	fclose(f);
	strv_free(&argv);
	scenario_free(&s);
	return 0;
}

TEST(aarch64_is_xlnx_zcu102_with_the_ktap_on_the_second_uart)
{
	char err[512], *line = NULL, *ini = NULL;

	/* /dev/null stands in for a compiled device tree: it is only passed on. */
	ASSERT_EQ(0, build("[scenario]\nname = z\n[machine]\narch = aarch64\ndtb = /dev/null\n"
			   "[device sd0]\ntype = sd-card\nsize = 16M\n"
			   "[device sd1]\ntype = sd-card\nsize = 16M\nsdhci_base = 0xff170000\n",
			   &line, &ini, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(line, "-machine xlnx-zcu102,accel=tcg"));
	EXPECT_NE(NULL, strstr(line, "-append 'console=ttyPS0 panic=-1'"));
	EXPECT_NE(NULL, strstr(line, "-dtb /dev/null"));
	EXPECT_NE(NULL, strstr(line, "-serial chardev:console"));
	EXPECT_NE(NULL, strstr(line, "-chardev socket,id=ktap,path=RUNDIR/ktap.sock -serial "
				     "chardev:ktap"))
	TH_LOG("%s", line);
	EXPECT_EQ(NULL, strstr(line, "virtio"));
	EXPECT_EQ(NULL, strstr(line, "sdhci-pci"));
	EXPECT_NE(NULL, strstr(line, "-drive if=sd,index=0,file=RUNDIR/sd0.img,format=raw"));
	EXPECT_NE(NULL, strstr(line, "-drive if=sd,index=1,file=RUNDIR/sd1.img,format=raw"));
	/* The agent reports on ttyPS1 and loads the board's drivers, not virtio's. */
	EXPECT_NE(NULL, strstr(ini, "port = ttyPS1\n")) TH_LOG("%s", ini);
	EXPECT_NE(NULL, strstr(ini, "modules = fixed sdhci_of_arasan sdhci_pci mmc_block\n"));
	EXPECT_NE(NULL, strstr(ini, "sdhci_base = 0xff170000\n"));
	free(line);
	free(ini);
}

TEST(x86_keeps_virtio_serial_and_passes_capareg)
{
	char err[512], *line = NULL, *ini = NULL;

	ASSERT_EQ(0, build("[scenario]\nname = x\n[device sd0]\ntype = sd-card\nsize = 16M\n"
			   "capareg = 0x007834b4\nsdhci_caps = 0x007834b4\n",
			   &line, &ini, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(line, "-machine q35,accel=tcg"));
	EXPECT_NE(NULL, strstr(line, "-append 'console=ttyS0 panic=-1 no_timer_check'"));
	EXPECT_NE(NULL, strstr(line, "virtserialport,bus=guestcheck-serial.0,chardev=ktap"));
	EXPECT_NE(NULL,
		  strstr(line, "-device sdhci-pci,id=sdhci-sd0,addr=0x10,capareg=0x007834b4"));
	EXPECT_EQ(NULL, strstr(line, "-dtb"));
	EXPECT_EQ(NULL, strstr(ini, "port ="));
	EXPECT_NE(NULL, strstr(ini, "modules = virtio_pci virtio_console sdhci_pci mmc_block\n"));
	EXPECT_NE(NULL, strstr(ini, "capareg = 0x007834b4\n"));
	free(line);
	free(ini);
}

static void refused(struct __test_metadata *_metadata, const char *ini, const char *want)
{
	char err[512] = "", *line = NULL, *agent = NULL;

	EXPECT_GT(0, build(ini, &line, &agent, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("got: %s", err);
}

TEST(bad_values_are_refused_with_the_fix)
{
	refused(_metadata,
		"[scenario]\nname = x\n[device sd0]\ntype = sd-card\nsize = 16M\n"
		"sdhci_caps = 0x1234567890\n",
		"<string>:6: [device sd0] sdhci_caps = '0x1234567890': write a 32-bit number");
	refused(_metadata,
		"[scenario]\nname = x\n[device sd0]\ntype = sd-card\nsize = 16M\n"
		"sdhci_version = -1\n",
		"sdhci_version = '-1': write a 16-bit number, e.g. 0x2401");
	refused(_metadata,
		"[scenario]\nname = x\n[device sd0]\ntype = sd-card\nsize = 16M\n"
		"sdhci_clock_test = maybe\n",
		"sdhci_clock_test = 'maybe': write yes or no");
	refused(_metadata,
		"[scenario]\nname = x\n[machine]\narch = aarch64\n[device sd0]\n"
		"type = sd-card\nsize = 16M\ncapareg = 0x057834b4\n",
		"[device sd0] capareg: the card sits in xlnx-zcu102's own SD controller, which "
		"takes no capareg: remove it");
	refused(_metadata,
		"[scenario]\nname = x\n[machine]\narch = aarch64\n"
		"dtb = /nonexistent/guest.dtb\n",
		"<string>:5: [machine] dtb = /nonexistent/guest.dtb: No such file or directory: "
		"`make` compiles dt/*.dts into build/dt/");
	refused(_metadata, "[scenario]\nname = x\n[machine]\narch = riscv64\n",
		"arch = 'riscv64' is not supported: use x86_64 or aarch64");
}

TEST_HARNESS_MAIN
