// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The early sign of running vCPUs (host-runner/vm/vcpu_progress.c) that
 * --accel auto judges a KVM attempt by: the program counter read from
 * `info registers` dumps captured from QEMU 7.2.22, the run states that end
 * the wait at once, and the watch's verdicts over a made-up clock.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "vm/vcpu_progress.h"

FIXTURE(pc){};
FIXTURE_VARIANT(pc)
{
	const char *dump;
	const char *pc;
};
FIXTURE_SETUP(pc)
{
}
FIXTURE_TEARDOWN(pc)
{
}

/* qemu-system-x86_64 -S -machine q35,accel=tcg: reset, real mode. */
FIXTURE_VARIANT_ADD(pc, x86_reset){
	.dump = "CPU#0\nEAX=00000000 EBX=00000000 ECX=00000000 EDX=00060fb1\n"
		"ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000\n"
		"EIP=0000fff0 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=0\n",
	.pc = "EIP=0000fff0",
};
/* A 64-bit kernel: R8..R15 come before RIP. */
FIXTURE_VARIANT_ADD(pc, x86_long_mode){
	.dump = "RAX=0000000000000000 RBX=ffffffff82613940\n"
		"R8 =0000000000000000 R15=0000000000000000\n"
		"RIP=ffffffff81bf1a6b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\n",
	.pc = "RIP=ffffffff81bf1a6b",
};
/* qemu-system-aarch64 -machine virt -cpu cortex-a57, running. */
FIXTURE_VARIANT_ADD(pc, aarch64){
	.dump = "CPU#0\n PC=0000000000000200 X00=0000000000000000 X01=0000000000000000\n",
	.pc = "PC=0000000000000200",
};
FIXTURE_VARIANT_ADD(pc, none){
	.dump = "garbage EIPX=1 XPC=2\n",
	.pc = "",
};

TEST_F(pc, named)
{
	char buf[48];

	vcpu_pc_of(variant->dump, buf, sizeof(buf));
	EXPECT_STREQ(variant->pc, buf);
}

TEST(dead_states)
{
	EXPECT_TRUE(vcpu_status_dead("internal-error"));
	EXPECT_TRUE(vcpu_status_dead("guest-panicked"));
	EXPECT_FALSE(vcpu_status_dead("running"));
	EXPECT_FALSE(vcpu_status_dead("prelaunch"));
	EXPECT_FALSE(vcpu_status_dead(""));
}

static const struct vcpu_look still = { .status = "prelaunch",
					.dump_hash = 1,
					.pc = "EIP=0000fff0" };
static const struct vcpu_look moved = { .status = "running", .dump_hash = 2, .pc = "EIP=0000e05b" };

/* QEMU started at t=10 with 2.5 s; its monitor first answers at t=10.8. */
TEST(registers_move)
{
	struct vcpu_watch w;

	vcpu_watch_start(&w, 10, 2500);
	EXPECT_EQ(0, vcpu_watch_judge(&w, 10.3, NULL, NULL, false));
	EXPECT_TRUE(vcpu_watch_look_due(&w, 10.8));
	EXPECT_EQ(0, vcpu_watch_judge(&w, 10.8, &still, NULL, false));
	EXPECT_FALSE(vcpu_watch_look_due(&w, 10.9));
	EXPECT_EQ(1, vcpu_watch_judge(&w, 11.05, &moved, NULL, false));
	EXPECT_STREQ("CPU 0's registers moved", w.why);
	EXPECT_TRUE(w.seen_after > 1.04 && w.seen_after < 1.06);
	/* Once seen, always seen: the hello watchdog takes over. */
	EXPECT_EQ(1, vcpu_watch_judge(&w, 20, NULL, NULL, false));
	EXPECT_FALSE(vcpu_watch_look_due(&w, 20));
}

TEST(guest_bytes_are_a_sign)
{
	struct vcpu_watch w;

	vcpu_watch_start(&w, 0, 2500);
	EXPECT_EQ(1, vcpu_watch_judge(&w, 0.4, NULL, NULL, true));
	EXPECT_NE(NULL, strstr(w.why, "console"));
}

/* -S never continued: the same dump each look; the wait ends 1 s after the first. */
TEST(registers_stay)
{
	struct vcpu_watch w;

	vcpu_watch_start(&w, 0, 2500);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, vcpu_watch_judge(&w, 0.8 + i * 0.25, &still, NULL, false));
	EXPECT_EQ(-EHOSTDOWN, vcpu_watch_judge(&w, 1.85, &still, NULL, false));
	EXPECT_NE(NULL, strstr(w.why, "no sign of the vCPUs running 1.9 s after QEMU's start"));
	EXPECT_NE(NULL, strstr(w.why, "over 5 looks (at EIP=0000fff0, QEMU run state prelaunch)"));
	EXPECT_EQ(-EHOSTDOWN, vcpu_watch_judge(&w, 1.9, &moved, NULL, true));
}

/* A monitor that never answers: the watch's own time ends it. */
TEST(monitor_silent)
{
	struct vcpu_watch w;

	vcpu_watch_start(&w, 0, 2500);
	EXPECT_EQ(0,
		  vcpu_watch_judge(&w, 1.0, NULL, "query-status: timed out after 500 ms", false));
	EXPECT_EQ(0, vcpu_watch_judge(&w, 2.4, NULL, NULL, false));
	EXPECT_EQ(-EHOSTDOWN, vcpu_watch_judge(&w, 2.5, NULL, NULL, false));
	EXPECT_NE(NULL, strstr(w.why, "monitor never answered (query-status: timed out"));
}

/* KVM's own failure (emulation failure, a bad MSR): no need to wait. */
TEST(internal_error)
{
	struct vcpu_watch w;
	struct vcpu_look dead = { .status = "internal-error", .dump_hash = 3, .pc = "RIP=1" };

	vcpu_watch_start(&w, 0, 2500);
	EXPECT_EQ(-EHOSTDOWN, vcpu_watch_judge(&w, 0.6, &dead, NULL, false));
	EXPECT_NE(NULL, strstr(w.why, "run state is internal-error"));
}

TEST_HARNESS_MAIN
