// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one accelerator policy (host-runner/vm/accel.c), for `run` and every
 * non-interference baseline alike: which boots it asks for, under which
 * accelerator, with which timeout and log prefix, and the reason it gives,
 * on a host with KVM and without (a fake: this host's /dev/kvm plays no
 * part).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"

#include "vm/accel.h"

#define BOOT_MS	  60000
#define MAX_BOOTS 2

static bool kvm_yes(char *why, size_t size)
{
	snprintf(why, size, "/dev/kvm answers");
	return true;
}

static bool kvm_no(char *why, size_t size)
{
	snprintf(why, size, "/dev/kvm: No such file or directory");
	return false;
}

/* What a boot answers, and what it was asked. */
struct fake {
	int ret[MAX_BOOTS];
	bool hello[MAX_BOOTS];
	size_t n;
	struct accel_attempt asked[MAX_BOOTS];
};

static int fake_boot(void *opaque, struct accel_attempt *a)
{
	struct fake *f = opaque;
	size_t i = f->n++;

	if (i >= MAX_BOOTS)
		return -E2BIG;
	f->asked[i] = *a;
	a->hello = f->hello[i];
	a->error = f->ret[i] == -EHOSTDOWN ? "no sign of the vCPUs running 2.0 s after QEMU's start"
		   : f->ret[i] ? "QEMU exited (status 1) before the agent said hello: oops"
			       : "";
	return f->ret[i];
}

FIXTURE(policy)
{
	struct fake f;
	struct accel_choice choice;
	char err[256];
	int ret;
};

FIXTURE_VARIANT(policy)
{
	enum accel_mode mode;
	bool kvm;
	int first_ret;
	bool first_hello;
	/* expected */
	int ret;
	size_t boots;
	const char *accel[MAX_BOOTS];
	uint64_t hello_ms[MAX_BOOTS];
	const char *prefix[MAX_BOOTS];
	uint64_t sign_ms[MAX_BOOTS];
	bool fell_back;
	const char *final_accel;
	const char *reason; /* the whole reason, or err's for -ENODEV; NULL: not looked at */
};

FIXTURE_SETUP(policy)
{
	struct accel_policy p = { .mode = variant->mode,
				  .boot_ms = BOOT_MS,
				  .watchdog_ms = 4000,
				  .name = "t",
				  .kvm_usable = variant->kvm ? kvm_yes : kvm_no };

	self->f = (struct fake){ .ret = { variant->first_ret, 0 },
				 .hello = { variant->first_hello, true } };
	self->err[0] = '\0';
	self->ret = accel_run(&p, fake_boot, &self->f, &self->choice, self->err, sizeof(self->err));
}

FIXTURE_TEARDOWN(policy)
{
}

FIXTURE_VARIANT_ADD(policy, tcg_asked){
	.mode = ACCEL_TCG,
	.kvm = true,
	.boots = 1,
	.accel = { "tcg" },
	.hello_ms = { BOOT_MS },
	.prefix = { "" },
	.final_accel = "tcg",
	.reason = "--accel tcg",
};
FIXTURE_VARIANT_ADD(policy, kvm_asked){
	.mode = ACCEL_KVM,
	.kvm = true,
	.boots = 1,
	.accel = { "kvm" },
	.hello_ms = { BOOT_MS },
	.prefix = { "" },
	.final_accel = "kvm",
	.reason = "--accel kvm",
};
/* No watchdog, no fall-back: the user said kvm. */
FIXTURE_VARIANT_ADD(policy, kvm_asked_no_hello){
	.mode = ACCEL_KVM,
	.kvm = true,
	.first_ret = -ETIMEDOUT,
	.ret = -ETIMEDOUT,
	.boots = 1,
	.accel = { "kvm" },
	.hello_ms = { BOOT_MS },
	.prefix = { "" },
	.final_accel = "kvm",
	.reason = "--accel kvm",
};
FIXTURE_VARIANT_ADD(policy, kvm_asked_but_none){
	.mode = ACCEL_KVM,
	.kvm = false,
	.ret = -ENODEV,
	.boots = 0,
	.final_accel = "kvm",
	.reason = "--accel kvm, but /dev/kvm: No such file or directory: use --accel auto or tcg",
};
FIXTURE_VARIANT_ADD(policy, auto_without_kvm){
	.mode = ACCEL_AUTO,
	.kvm = false,
	.boots = 1,
	.accel = { "tcg" },
	.hello_ms = { BOOT_MS },
	.prefix = { "" },
	.final_accel = "tcg",
	.reason = "/dev/kvm: No such file or directory: using TCG",
};
FIXTURE_VARIANT_ADD(policy, auto_kvm_says_hello){
	.mode = ACCEL_AUTO,
	.kvm = true,
	.first_hello = true,
	.boots = 1,
	.accel = { "kvm" },
	.hello_ms = { 4000 },
	.prefix = { "kvm-attempt-" },
	.sign_ms = { ACCEL_KVM_SIGN_MS },
	.final_accel = "kvm",
	.reason = "/dev/kvm answers and the guest booted under KVM",
};
/* The early sign missing: the fall-back comes without waiting for the watchdog. */
FIXTURE_VARIANT_ADD(policy, auto_kvm_vcpus_never_run){
	.mode = ACCEL_AUTO,
	.kvm = true,
	.first_ret = -EHOSTDOWN,
	.boots = 2,
	.accel = { "kvm", "tcg" },
	.hello_ms = { 4000, BOOT_MS },
	.prefix = { "kvm-attempt-", "" },
	.sign_ms = { ACCEL_KVM_SIGN_MS, 0 },
	.fell_back = true,
	.final_accel = "tcg",
	.reason = "/dev/kvm answers, but under KVM no sign of the vCPUs running 2.0 s after "
		  "QEMU's start: fell back to TCG",
};
FIXTURE_VARIANT_ADD(policy, auto_kvm_hangs){
	.mode = ACCEL_AUTO,
	.kvm = true,
	.first_ret = -ETIMEDOUT,
	.boots = 2,
	.accel = { "kvm", "tcg" },
	.hello_ms = { 4000, BOOT_MS },
	.prefix = { "kvm-attempt-", "" },
	.sign_ms = { ACCEL_KVM_SIGN_MS, 0 },
	.fell_back = true,
	.final_accel = "tcg",
	.reason = "/dev/kvm answers, but no hello under KVM within 4 s (guests hang under KVM on "
		  "this host): fell back to TCG",
};
FIXTURE_VARIANT_ADD(policy, auto_kvm_qemu_exits){
	.mode = ACCEL_AUTO,
	.kvm = true,
	.first_ret = -ECHILD,
	.boots = 2,
	.accel = { "kvm", "tcg" },
	.hello_ms = { 4000, BOOT_MS },
	.prefix = { "kvm-attempt-", "" },
	.sign_ms = { ACCEL_KVM_SIGN_MS, 0 },
	.fell_back = true,
	.final_accel = "tcg",
	.reason = "/dev/kvm answers, but the KVM attempt failed (QEMU exited (status 1) before "
		  "the agent said hello: oops): fell back to TCG",
};
/* The guest booted under KVM and crashed later: a finding, not KVM's fault. */
FIXTURE_VARIANT_ADD(policy, auto_kvm_crash_after_hello){
	.mode = ACCEL_AUTO,
	.kvm = true,
	.first_ret = -ECHILD,
	.first_hello = true,
	.ret = -ECHILD,
	.boots = 1,
	.accel = { "kvm" },
	.hello_ms = { 4000 },
	.prefix = { "kvm-attempt-" },
	.sign_ms = { ACCEL_KVM_SIGN_MS },
	.final_accel = "kvm",
	.reason = "/dev/kvm answers and the guest booted under KVM",
};
/* A signal stops the run: no second boot. */
FIXTURE_VARIANT_ADD(policy, auto_kvm_interrupted){
	.mode = ACCEL_AUTO,
	.kvm = true,
	.first_ret = -EINTR,
	.ret = -EINTR,
	.boots = 1,
	.accel = { "kvm" },
	.hello_ms = { 4000 },
	.prefix = { "kvm-attempt-" },
	.sign_ms = { ACCEL_KVM_SIGN_MS },
	.final_accel = "kvm",
	.reason = NULL,
};

TEST_F(policy, boots_and_reason)
{
	ASSERT_EQ(variant->ret, self->ret);
	ASSERT_EQ(variant->boots, self->f.n);
	for (size_t i = 0; i < variant->boots; i++) {
		EXPECT_STREQ(variant->accel[i], self->f.asked[i].accel);
		EXPECT_EQ(variant->hello_ms[i], self->f.asked[i].hello_ms);
		EXPECT_STREQ(variant->prefix[i], self->f.asked[i].log_prefix);
		EXPECT_EQ(variant->sign_ms[i], self->f.asked[i].sign_ms);
	}
	/* Measured, so only its presence: -1 without a fall-back. */
	EXPECT_EQ(variant->fell_back, self->choice.fallback_seconds >= 0);
	EXPECT_STREQ(variant->final_accel, self->choice.accel);
	if (variant->reason) {
		EXPECT_STREQ(variant->reason,
			     self->ret == -ENODEV ? self->err : self->choice.reason);
	}
}

/* The watchdog never outlasts the boot timeout, and 0 means the default. */
TEST(watchdog_bounds)
{
	struct fake f = { .hello = { true } };
	struct accel_policy p = {
		.mode = ACCEL_AUTO, .boot_ms = 2000, .watchdog_ms = 4000, .kvm_usable = kvm_yes
	};
	struct accel_choice c;

	ASSERT_EQ(0, accel_run(&p, fake_boot, &f, &c, NULL, 0));
	EXPECT_EQ(2000U, f.asked[0].hello_ms);
	f = (struct fake){ .hello = { true } };
	p.boot_ms = 600000;
	p.watchdog_ms = 0;
	ASSERT_EQ(0, accel_run(&p, fake_boot, &f, &c, NULL, 0));
	EXPECT_EQ((uint64_t)ACCEL_KVM_WATCHDOG_MS, f.asked[0].hello_ms);
}

TEST_HARNESS_MAIN
