// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pure part of zoned.passthrough_mix and zoned.write_order: how the
 * probes after a passthrough operation are classified, which outcomes fail,
 * what the user is told to do, and how a burst of ordered writes is judged
 * and worded. The measured values are the guests' (tests/qemu/zoned_traps.sh).
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "zoned/mix_outcome.h"
#include "zoned/order_outcome.h"

FIXTURE(mix){};
FIXTURE_SETUP(mix)
{
}
FIXTURE_TEARDOWN(mix)
{
}

FIXTURE_VARIANT(mix)
{
	struct mix_probe probe;
	enum mix_outcome want;
	bool fails;
};

/* Linux 6.1: the write at the device's pointer lands. */
FIXTURE_VARIANT_ADD(mix, linux_6_1){
	.probe = { .at_device = 0, .landed = true, .after_report = 1, .after_reset = 1 },
	.want = MIX_IN_STEP,
};
/* Linux 6.12, plain namespace (QEMU 7.2): refused, resynced by a report after a failure. */
FIXTURE_VARIANT_ADD(mix, linux_6_12_plain){
	.probe = { .at_device = -EIO,
		   .kernel_tried = true,
		   .at_kernel = -EIO,
		   .after_report = 0,
		   .after_reset = 1 },
	.want = MIX_STALE_REPORT,
};
/* Linux 6.12, multipath head (QEMU 10): only a reset through the block device helps. */
FIXTURE_VARIANT_ADD(mix, linux_6_12_multipath_head){
	.probe = { .at_device = -EIO,
		   .kernel_tried = true,
		   .at_kernel = -EIO,
		   .after_report = -EIO,
		   .after_reset = 0 },
	.want = MIX_STALE_RESET,
};
FIXTURE_VARIANT_ADD(mix, nothing_resyncs){
	.probe = { .at_device = -EIO, .after_report = -EIO, .after_reset = -EIO },
	.want = MIX_STALE_STUCK,
	.fails = true,
};
/* The write succeeded but the pointer did not move by it. */
FIXTURE_VARIANT_ADD(mix, accepted_but_not_at_the_pointer){
	.probe = { .at_device = 0, .landed = false },
	.want = MIX_LANDED_WRONG,
	.fails = true,
};
/* The device took a write away from its own pointer. */
FIXTURE_VARIANT_ADD(mix, device_took_the_kernels_stale_offset){
	.probe = { .at_device = -EIO, .kernel_tried = true, .at_kernel = 0 },
	.want = MIX_LANDED_WRONG,
	.fails = true,
};

TEST_F(mix, classified)
{
	enum mix_outcome o = mix_classify(&variant->probe);
	char buf[512];

	EXPECT_EQ(variant->want, o);
	EXPECT_EQ(variant->fails, mix_outcome_fails(o));
	mix_advice(o, "nvme0n1", "/dev/ng0n1", buf, sizeof(buf));
	/* Every stale or wrong outcome names the block node the user writes through. */
	if (o == MIX_IN_STEP) {
		EXPECT_STREQ("", buf);
	} else {
		EXPECT_NE(NULL, strstr(buf, "/dev/nvme0n1")) TH_LOG("%s", buf);
	}
}

TEST(mix_advice_says_which_action_resyncs)
{
	char buf[512];

	mix_advice(MIX_STALE_REPORT, "nvme0n1", "/dev/ng0n1", buf, sizeof(buf));
	EXPECT_STREQ("do not write one zone through both /dev/ng0n1 and /dev/nvme0n1; after a "
		     "zone operation through /dev/ng0n1, reset or finish the zone through "
		     "/dev/nvme0n1 (BLKRESETZONE, BLKFINISHZONE, blkzone reset), or expect the "
		     "next write to fail with EIO and issue BLKREPORTZONE on the zone after it (a "
		     "report before a failed write does not resync the kernel)",
		     buf);
	mix_advice(MIX_STALE_RESET, "nvme0n1", "/dev/ng0n1", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "here BLKREPORTZONE, even after a failed write, did not "
				    "resync the kernel"));
	EXPECT_STREQ("stale, BLKREPORTZONE after a failed write resyncs",
		     mix_outcome_short(MIX_STALE_REPORT));
	EXPECT_STREQ("stale, only a block-device reset resyncs",
		     mix_outcome_short(MIX_STALE_RESET));
	EXPECT_STREQ("unknown", mix_outcome_short((enum mix_outcome)42));
}

TEST(order_burst_judged_and_worded)
{
	struct order_run o = { .writes = 96,
			       .depth = 32,
			       .bytes = 512,
			       .wp_off = 96,
			       .want_off = 96,
			       .burst = 12,
			       .bursts = 12 };
	char buf[512];

	EXPECT_TRUE(order_kept(&o));
	EXPECT_STREQ("scheduler mq-deadline, bursts of 96 writes of 512 bytes, 32 in flight, every "
		     "7th command bounced host-busy: 12 of 12 bursts, every write landed in order, "
		     "the write pointer at +96",
		     order_words(&o, "mq-deadline", 7, buf, sizeof(buf)));

	o = (struct order_run){ .writes = 96,
				.depth = 32,
				.bytes = 512,
				.failed = 40,
				.first_error = -EIO,
				.wp_off = 56,
				.want_off = 96,
				.burst = 1,
				.bursts = 12 };
	EXPECT_FALSE(order_kept(&o));
	order_words(&o, "none", 0, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "scheduler none, bursts of 96 writes of 512 bytes, 32 in "
				    "flight: burst 1 of 12: 40 failed (first EIO"))
	TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "the write pointer at +56 of +96: the block layer reordered "
				    "them"));

	/* Every write reported success, yet the pointer is short: not kept either. */
	o.failed = 0;
	EXPECT_FALSE(order_kept(&o));
	order_words(&o, "none", 0, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "all reported success, but the write pointer is at +56, "
				    "not +96"));

	order_advice("none", "6.1.0-57-amd64", "sda", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "Linux 6.1.0-57-amd64 does not keep a zone's writes in order "
				    "without a zoned scheduler: echo mq-deadline > "
				    "/sys/block/sda/queue/scheduler"));
}

TEST_HARNESS_MAIN
