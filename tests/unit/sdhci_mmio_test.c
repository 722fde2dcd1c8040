// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks/sdhci/mmio.c: the faultable accessor. A plain file stands in for
 * the register window: its bytes are what the reads see, and a file too
 * short for the window makes the access fault with SIGBUS, exactly as
 * unmapped MMIO does on Arm: the fault is reported, never a crash.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sdhci/mmio.h"
#include "sdhci/registers.h"

FIXTURE(window)
{
	char dir[64];
	struct mmio_window w;
};

FIXTURE_SETUP(window)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/sdhci-mmio-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->w.path, sizeof(self->w.path), "%s/regs", self->dir);
}

FIXTURE_TEARDOWN(window)
{
	unlink(self->w.path);
	rmdir(self->dir);
}

static void write_window(const char *path, size_t len, const uint32_t *dw)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return;
	if (len)
		fwrite(dw, 1, len, f);
	fclose(f);
}

TEST_F(window, reads_the_dwords_asked_for)
{
	uint32_t regs[SDHCI_DWORDS] = { 0 }, vals[4];
	uint16_t offs[] = { 0x24, 0x40, 0x44, 0xfc };
	struct mmio_fault f;
	size_t got;

	regs[0x24 / 4] = 0x01ff0000;
	regs[0x40 / 4] = 0x057834b4;
	regs[0xfc / 4] = 0x24010000;
	write_window(self->w.path, sizeof(regs), regs);
	ASSERT_EQ(0, mmio_read_dwords(&self->w, offs, 4, vals, &got, &f));
	ASSERT_EQ(4U, got);
	EXPECT_EQ(0x01ff0000u, vals[0]);
	EXPECT_EQ(0x057834b4u, vals[1]);
	EXPECT_EQ(0u, vals[2]);
	EXPECT_EQ(0x24010000u, vals[3]);
}

TEST_F(window, an_unbacked_window_faults_with_sigbus)
{
	uint16_t offs[] = { 0x00, 0x04 };
	uint32_t vals[2];
	struct mmio_fault f;
	size_t got = 99;

	/* An empty file maps, but touching it is a bus error, as unmapped MMIO on Arm. */
	write_window(self->w.path, 0, NULL);
	EXPECT_EQ(-EFAULT, mmio_read_dwords(&self->w, offs, 2, vals, &got, &f));
	EXPECT_EQ(0U, got);
	EXPECT_EQ(SIGBUS, f.signal);
	EXPECT_EQ(0x00, f.offset);
	EXPECT_STREQ("read", f.step);
}

TEST_F(window, a_missing_window_is_an_open_error)
{
	uint16_t offs[] = { 0x00 };
	uint32_t vals[1];
	struct mmio_fault f;
	size_t got;

	EXPECT_EQ(-ENOENT, mmio_read_dwords(&self->w, offs, 1, vals, &got, &f));
	EXPECT_STREQ("open", f.step);
	EXPECT_EQ(0, f.signal);
}

TEST_F(window, clock_test_on_a_controller_that_never_stabilises)
{
	uint32_t regs[SDHCI_DWORDS] = { 0 };
	struct mmio_clock_test t;
	struct mmio_fault f;
	FILE *file;
	uint32_t back[SDHCI_DWORDS];

	/* A file keeps what is written, but never sets "internal clock stable". */
	regs[0x2c / 4] = 0x00000004; /* SD clock on, internal clock off */
	write_window(self->w.path, sizeof(regs), regs);
	ASSERT_EQ(0, mmio_clock_test(&self->w, 20, &t, &f));
	EXPECT_FALSE(t.stable);
	EXPECT_EQ(0x0004, t.before);
	/* Internal clock enabled, the card clock left off, as the kernel does. */
	EXPECT_EQ(0x0001, t.after);
	EXPECT_GE(t.waited_us, 20000u);
	/* Restored as found. */
	file = fopen(self->w.path, "re");
	ASSERT_NE(NULL, file);
	ASSERT_EQ(1U, fread(back, sizeof(back), 1, file));
	fclose(file);
	EXPECT_EQ(0x00000004u, back[0x2c / 4]);
}

TEST_F(window, clock_test_that_faults)
{
	struct mmio_clock_test t;
	struct mmio_fault f;

	write_window(self->w.path, 0, NULL);
	EXPECT_EQ(-EFAULT, mmio_clock_test(&self->w, 20, &t, &f));
	EXPECT_EQ(SIGBUS, f.signal);
	EXPECT_EQ(0x2c, f.offset);
}

TEST_HARNESS_MAIN
