// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a late guest's vCPUs are (host-runner/vm/vcpu_state.c): `info
 * registers -a` dumps as QEMU 7.2.22 prints them, cut to the lines the
 * parser reads, into one entry per vCPU and one line for a person.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "vm/vcpu_state.h"

/* qemu-system-x86_64 -smp 4, a Linux 6.1 guest: CPU 2 in user space. */
static const char x86_four[] =
	"\r\nCPU#0\r\nRAX=0000000000000000 RBX=ffffffff82613940\r\n"
	"RIP=ffffffff81bf1a6b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\r\n"
	"CS =0010 0000000000000000 ffffffff 00af9b00 DPL=0 CS64 [-RA]\r\n"
	"\r\nCPU#1\r\nRIP=ffffffff81bf1a6b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\r\n"
	"\r\nCPU#2\r\nRIP=00000000004012f0 RFL=00000202 [-------] CPL=3 II=0 A20=1 SMM=0 HLT=0\r\n"
	"\r\nCPU#3\r\nRIP=ffffffff81bf1a6b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\r\n";

TEST(x86_each_vcpu)
{
	struct vcpu_state v[8];

	ASSERT_EQ(4U, vcpu_states_parse(x86_four, v, 8));
	EXPECT_EQ(0U, v[0].cpu);
	EXPECT_STREQ("RIP=ffffffff81bf1a6b", v[0].pc);
	EXPECT_TRUE(v[0].mode == VCPU_MODE_KERNEL);
	EXPECT_TRUE(v[0].halted == VCPU_HALTED_YES);
	EXPECT_EQ(2U, v[2].cpu);
	EXPECT_STREQ("RIP=00000000004012f0", v[2].pc);
	EXPECT_TRUE(v[2].mode == VCPU_MODE_USER);
	EXPECT_TRUE(v[2].halted == VCPU_HALTED_NO);
	EXPECT_EQ(3U, v[3].cpu);
}

TEST(x86_described_in_runs)
{
	struct vcpu_state v[8];
	char line[320];

	vcpu_states_describe(v, vcpu_states_parse(x86_four, v, 8), line, sizeof(line));
	EXPECT_STREQ("vCPUs 0-1 halted in the kernel; vCPU 2 running in user space at "
		     "RIP=00000000004012f0; vCPU 3 halted in the kernel: user space runs: init "
		     "or the agent is busy, or waits in a loop",
		     line);
}

TEST(all_halted_is_a_wait)
{
	struct vcpu_state v[2];
	char line[320];
	static const char dump[] =
		"CPU#0\nRIP=ffffffff81bf1a6b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\n"
		"CPU#1\nRIP=ffffffff81bf1a6b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\n";

	vcpu_states_describe(v, vcpu_states_parse(dump, v, 2), line, sizeof(line));
	EXPECT_STREQ("vCPUs 0-1 halted in the kernel: every vCPU halted: the guest is idle, "
		     "waiting (for a device, a timer, a process that sleeps)",
		     line);
}

TEST(kernel_busy)
{
	struct vcpu_state v[1];
	char line[320];
	static const char dump[] =
		"RIP=ffffffff810f00d2 RFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=0\n";

	/* Plain `info registers` has no CPU# line: one vCPU, numbered 0. */
	vcpu_states_describe(v, vcpu_states_parse(dump, v, 1), line, sizeof(line));
	EXPECT_STREQ("vCPU 0 running in the kernel at RIP=ffffffff810f00d2: the kernel runs: a "
		     "loop, a spinning lock or a device poll",
		     line);
}

/* qemu-system-aarch64 -machine virt: PSTATE names the exception level, no halt flag. */
TEST(aarch64_exception_level)
{
	struct vcpu_state v[4];
	char line[320];
	static const char dump[] = "\nCPU#0\n PC=ffff800008d1e4a8 X00=0000000000000000\n"
				   "PSTATE=600003c5 -ZC- EL1h    FPU disabled\n"
				   "\nCPU#1\n PC=0000aaaab1d2c3e4 X00=0000000000000000\n"
				   "PSTATE=80000000 N--- EL0t    FPU disabled\n";

	ASSERT_EQ(2U, vcpu_states_parse(dump, v, 4));
	EXPECT_TRUE(v[0].mode == VCPU_MODE_KERNEL);
	EXPECT_TRUE(v[0].halted == VCPU_HALTED_UNKNOWN);
	EXPECT_TRUE(v[1].mode == VCPU_MODE_USER);
	vcpu_states_describe(v, 2, line, sizeof(line));
	EXPECT_STREQ("vCPU 0 in the kernel at PC=ffff800008d1e4a8; vCPU 1 in user space at "
		     "PC=0000aaaab1d2c3e4: user space runs: init or the agent is busy, or waits "
		     "in a loop",
		     line);
}

/* Many vCPUs: eight runs named, the rest counted; the line never overflows. */
TEST(many_vcpus_bounded)
{
	struct vcpu_state v[64];
	char dump[64 * 96], line[160];
	size_t len = 0, n;

	for (int i = 0; i < 64; i++)
		len += snprintf(dump + len, sizeof(dump) - len,
				"CPU#%d\nRIP=ffffffff8100%04x CPL=0 HLT=0\n", i, i);
	n = vcpu_states_parse(dump, v, 64);
	ASSERT_EQ(64U, n);
	vcpu_states_describe(v, n, line, sizeof(line));
	EXPECT_EQ(sizeof(line) - 1, strlen(line));
	vcpu_states_describe(v, n, dump, sizeof(dump));
	EXPECT_NE(NULL, strstr(dump, "; 56 more vCPUs: the kernel runs")) TH_LOG("%s", dump);
}

/* What a guest cannot be trusted with does not reach here, but QEMU's text might change. */
TEST(garbage)
{
	struct vcpu_state v[2];
	char line[64];

	ASSERT_EQ(1U, vcpu_states_parse("CPU#", v, 2));
	EXPECT_TRUE(v[0].mode == VCPU_MODE_UNKNOWN);
	ASSERT_EQ(1U, vcpu_states_parse("nothing here CPL= HLT=x PSTATE= EL", v, 2));
	EXPECT_TRUE(v[0].mode == VCPU_MODE_UNKNOWN);
	EXPECT_TRUE(v[0].halted == VCPU_HALTED_UNKNOWN);
	vcpu_states_describe(v, 1, line, sizeof(line));
	EXPECT_STREQ("vCPU 0", line);
	EXPECT_EQ(0U, vcpu_states_parse("CPU#0", v, 0));
}

TEST_HARNESS_MAIN
