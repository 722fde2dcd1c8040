// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks/sdhci/kmsg.c: the known-message table maps the kernel's SDHCI
 * messages to causes, the kernel log is read through the sysroot, and
 * /proc/interrupts lines are found by host name on x86 and Arm layouts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sdhci/kmsg.h"

TEST(known_messages_have_causes)
{
	static const char *const lines[] = {
		"mmc0: Hardware doesn't report any support voltages.",
		"mmc0: Internal clock never stabilised.",
		"mmc0: Timeout waiting for hardware interrupt.",
		"mmc0: Timeout waiting for hardware cmd interrupt.",
		"mmc0: Hardware doesn't specify base clock frequency.",
		"mmc0: Reset 0x1 never completed.",
		"mmc0: Unknown controller version (255). You may experience problems.",
		"sdhci-arasan ff170000.mmc: clk_ahb clock not found.",
		"mmc0: error -110 whilst initialising SD card",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		const struct kmsg_cause *k = kmsg_known(lines[i]);

		ASSERT_NE(NULL, k) TH_LOG("%s", lines[i]);
		EXPECT_GT(strlen(k->cause), 10U);
		EXPECT_GT(strlen(k->fix), 10U);
	}
	EXPECT_NE(NULL, strstr(kmsg_known(lines[0])->fix, "vmmc-supply"));
	EXPECT_NE(NULL, strstr(kmsg_known(lines[1])->fix, "info mtree"));
	/* The cmd variant is its own entry, not swallowed by the shorter phrase. */
	EXPECT_NE(NULL, strstr(kmsg_known(lines[3])->match, "cmd"));
	EXPECT_EQ(NULL, kmsg_known("mmc0: new high speed SD card at address 4567"));
	EXPECT_EQ(NULL, kmsg_known("mmcblk0: mmc0:4567 QEMU! 64.0 MiB"));
}

TEST(kmsg_records_and_plain_lines)
{
	EXPECT_STREQ("mmc0: Internal clock never stabilised.",
		     kmsg_text("3,512,2664713,-;mmc0: Internal clock never stabilised."));
	EXPECT_STREQ("mmc0: plain dmesg line", kmsg_text("mmc0: plain dmesg line"));
	EXPECT_STREQ("a;b", kmsg_text("a;b"));
}

TEST(kmsg_read_through_the_sysroot)
{
	char dir[] = "/tmp/sdhci-kmsg-XXXXXX", path[256], buf[64];
	struct sysroot root;
	FILE *f;
	int n;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(root.prefix, sizeof(root.prefix), "%s", dir);
	snprintf(path, sizeof(path), "%s/dev", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/dev/kmsg", dir);
	f = fopen(path, "we");
	ASSERT_NE(NULL, f);
	for (int i = 0; i < 10; i++)
		fprintf(f, "6,%d,0,-;line %d\n", i, i);
	fclose(f);
	/* A small buffer keeps the newest messages. */
	n = kmsg_read(&root, buf, sizeof(buf));
	EXPECT_GT(n, 0);
	EXPECT_NE(NULL, strstr(buf, "line 9\n"));
	EXPECT_EQ(NULL, strstr(buf, "line 0\n"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/dev", dir);
	rmdir(path);
	rmdir(dir);
}

static const char x86[] = "           CPU0       \n"
			  "  0:         46   IO-APIC   2-edge      timer\n"
			  " 21:         29   IO-APIC  21-fasteoi   mmc0\n"
			  " 22:          7   IO-APIC  22-fasteoi   ehci_hcd:usb1, mmc1\n"
			  "NMI:          0   Non-maskable interrupts\n";

static const char gic[] = "           CPU0       CPU1       \n"
			  " 11:       1712       1801     GICv2  30 Level     arch_timer\n"
			  " 14:         40          3     GICv2  81 Level     mmc1\n"
			  " 15:          0          0     GICv2  80 Level     mmc0\n";

TEST(proc_interrupts)
{
	struct irq_line l;

	ASSERT_EQ(0, irq_find(x86, "mmc0", -1, &l));
	EXPECT_STREQ("21", l.irq);
	EXPECT_EQ(29ULL, l.count);
	EXPECT_STREQ("IO-APIC", l.chip);
	EXPECT_STREQ("21-fasteoi", l.hwirq);
	/* A shared line: the name is one of several. */
	ASSERT_EQ(0, irq_find(x86, "mmc1", -1, &l));
	EXPECT_STREQ("22", l.irq);
	/* By number when the name is unknown. */
	ASSERT_EQ(0, irq_find(x86, "", 21, &l));
	EXPECT_EQ(29ULL, l.count);
	EXPECT_EQ(-ENOENT, irq_find(x86, "mmc2", -1, &l));
	/* Counts add up over CPUs; the GIC's hwirq is SPI + 32. */
	ASSERT_EQ(0, irq_find(gic, "mmc1", -1, &l));
	EXPECT_EQ(43ULL, l.count);
	EXPECT_STREQ("GICv2", l.chip);
	EXPECT_STREQ("81", l.hwirq);
	EXPECT_EQ(-ENOENT, irq_find(gic, "timer", -1, &l));
}

TEST_HARNESS_MAIN
