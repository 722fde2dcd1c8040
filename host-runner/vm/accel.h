/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which accelerator a guest runs under. KVM is only used when /dev/kvm
 * answers and, under --accel auto, a guest shows within ACCEL_KVM_SIGN_MS
 * that its vCPUs run (vcpu_progress.h) and then says hello within a
 * watchdog: on some hosts /dev/kvm exists but guests hang under it, and
 * the early sign keeps that from costing the whole watchdog.
 */
#ifndef GUESTCHECK_ACCEL_H
#define GUESTCHECK_ACCEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum accel_mode { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };

/* "auto", "kvm", "tcg" -> mode; -EINVAL otherwise. */
int accel_parse(const char *s, enum accel_mode *mode);

/*
 * Can this process use KVM at all? If not, why (one line). With
 * GUESTCHECK_KVM_ASSUME=1 in the environment it answers yes without asking
 * /dev/kvm: a test hook, for the fall-back on a host without KVM (a --qemu
 * wrapper then plays the KVM that hangs).
 */
bool accel_kvm_usable(char *why, size_t size);

/* How long --accel auto waits for a hello under KVM, unless --kvm-watchdog says. */
#define ACCEL_KVM_WATCHDOG_MS	 15000
#define ACCEL_KVM_ATTEMPT_PREFIX "kvm-attempt-"
/*
 * How long that attempt's vCPUs have at most to show that they run, from
 * QEMU's start (VCPU_MOVE_WITHIN_MS of it after the monitor's first
 * answer). A working KVM guest's registers move within milliseconds; the
 * rest of the 3 s that a hanging KVM may cost is the boot's setup and
 * QEMU's stop.
 */
#define ACCEL_KVM_SIGN_MS 2500

/* One boot under one accelerator, as accel_run() asks for it. */
struct accel_attempt {
	const char *accel;	/* "kvm" or "tcg" */
	uint64_t hello_ms;	/* the boot timeout, or the KVM watchdog */
	const char *log_prefix; /* "", or ACCEL_KVM_ATTEMPT_PREFIX for the try under auto */
	/*
	 * Above 0 (the try under auto): the vCPUs must show within this that
	 * they run, or the boot stops and returns -EHOSTDOWN.
	 */
	uint64_t sign_ms;
	/* The boot fills these in: */
	bool hello;	   /* the agent said hello */
	const char *error; /* why it failed, or "": the boot's own memory */
};

struct accel_policy {
	enum accel_mode mode;
	uint64_t boot_ms;     /* the scenario's boot timeout */
	uint64_t watchdog_ms; /* --kvm-watchdog; 0: ACCEL_KVM_WATCHDOG_MS */
	uint64_t sign_ms;     /* 0: ACCEL_KVM_SIGN_MS */
	const char *name;     /* the scenario, for the fall-back's line */
	FILE *progress;	      /* where the fall-back is said, or NULL */
	/* NULL: accel_kvm_usable(); a unit test puts its own KVM here. */
	bool (*kvm_usable)(char *why, size_t size);
};

struct accel_choice {
	const char *accel; /* "kvm" or "tcg": what the (last) boot ran under */
	char reason[512];  /* why: results.json's accel_reason */
	/* From the KVM attempt's start to the TCG boot's, when auto fell back; else -1. */
	double fallback_seconds;
};

/*
 * The one accelerator policy: tcg boots under TCG; kvm under KVM, or not
 * at all when KVM is unusable; auto under TCG when KVM is unusable, else
 * first under KVM with the watchdog as the boot timeout, the early sign's
 * time (sign_ms) and its logs under ACCEL_KVM_ATTEMPT_PREFIX, and again
 * under TCG when that boot saw no hello (no sign of running vCPUs, timed
 * out, or QEMU exited first): what went wrong goes into the reason. boot()
 * runs one attempt and returns 0 or -errno as session_run() does
 * (-EHOSTDOWN no sign, -ETIMEDOUT no hello in time, -ECHILD QEMU exited);
 * before a second attempt it must forget the first one's results.
 *
 * Returns what the last boot returned, or -ENODEV (with err) when --accel
 * kvm cannot be honoured; out is filled either way.
 */
int accel_run(const struct accel_policy *p, int (*boot)(void *opaque, struct accel_attempt *a),
	      void *opaque, struct accel_choice *out, char *err, size_t errsize);

#endif
