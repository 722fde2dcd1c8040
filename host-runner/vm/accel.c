// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/accel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"

int accel_parse(const char *s, enum accel_mode *mode)
{
	static const char *const names[] = {
		[ACCEL_AUTO] = "auto", [ACCEL_KVM] = "kvm", [ACCEL_TCG] = "tcg"
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*mode = i;
			return 0;
		}
	return -EINVAL;
}

bool accel_kvm_usable(char *why, size_t size)
{
	_cleanup_close_ int fd = -1;
	int version;

	if (getenv("GUESTCHECK_KVM_ASSUME")) {
		snprintf(why, size, "GUESTCHECK_KVM_ASSUME is set (/dev/kvm not asked)");
		return true;
	}
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, size, "/dev/kvm: %s", strerror(errno));
		return false;
	}
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(why, size, "/dev/kvm answers API version %d, not %d", version,
			 KVM_API_VERSION);
		return false;
	}
	snprintf(why, size, "/dev/kvm answers");
	return true;
}

static int attempt(int (*boot)(void *, struct accel_attempt *), void *opaque,
		   struct accel_attempt *a, const char *accel, uint64_t hello_ms,
		   const char *prefix, uint64_t sign_ms)
{
	*a = (struct accel_attempt){ .accel = accel,
				     .hello_ms = hello_ms,
				     .log_prefix = prefix,
				     .sign_ms = sign_ms,
				     .error = "" };
	return boot(opaque, a);
}

int accel_run(const struct accel_policy *p, int (*boot)(void *opaque, struct accel_attempt *a),
	      void *opaque, struct accel_choice *out, char *err, size_t errsize)
{
	uint64_t watchdog = p->watchdog_ms ?: ACCEL_KVM_WATCHDOG_MS;
	uint64_t sign = p->sign_ms ?: ACCEL_KVM_SIGN_MS;
	struct accel_attempt a;
	double t0;
	char why[256];
	int r;

	*out = (struct accel_choice){ .accel = "tcg", .fallback_seconds = -1 };
	if (p->mode == ACCEL_TCG) {
		snprintf(out->reason, sizeof(out->reason), "--accel tcg");
		return attempt(boot, opaque, &a, "tcg", p->boot_ms, "", 0);
	}
	if (!(p->kvm_usable ?: accel_kvm_usable)(why, sizeof(why))) {
		if (p->mode == ACCEL_KVM) {
			out->accel = "kvm";
			return errmsg(err, errsize, -ENODEV,
				      "--accel kvm, but %s: use --accel auto or tcg", why);
		}
		snprintf(out->reason, sizeof(out->reason), "%s: using TCG", why);
		return attempt(boot, opaque, &a, "tcg", p->boot_ms, "", 0);
	}
	out->accel = "kvm";
	if (p->mode == ACCEL_KVM) {
		snprintf(out->reason, sizeof(out->reason), "--accel kvm");
		return attempt(boot, opaque, &a, "kvm", p->boot_ms, "", 0);
	}
	/*
	 * auto: KVM must prove itself, early with running vCPUs and then with
	 * a hello before the watchdog fires.
	 */
	t0 = now_s();
	r = attempt(boot, opaque, &a, "kvm", watchdog < p->boot_ms ? watchdog : p->boot_ms,
		    ACCEL_KVM_ATTEMPT_PREFIX, sign);
	if (r != -EHOSTDOWN && r != -ETIMEDOUT && !(r == -ECHILD && !a.hello)) {
		snprintf(out->reason, sizeof(out->reason), "%s and the guest booted under KVM",
			 why);
		return r;
	}
	/* What went wrong under KVM goes into the reason: it is the finding. */
	if (r == -EHOSTDOWN)
		snprintf(out->reason, sizeof(out->reason), "%s, but under KVM %s: fell back to TCG",
			 why, a.error);
	else if (r == -ETIMEDOUT)
		snprintf(out->reason, sizeof(out->reason),
			 "%s, but no hello under KVM within %.0f s (guests hang under KVM on this "
			 "host): fell back to TCG",
			 why, (double)watchdog / 1000);
	else
		snprintf(out->reason, sizeof(out->reason),
			 "%s, but the KVM attempt failed (%s): fell back to TCG", why, a.error);
	out->fallback_seconds = now_s() - t0;
	if (p->progress)
		fprintf(p->progress,
			"guestcheck: %s: %s after %.1f s; that attempt's logs are %s*\n", p->name,
			out->reason, out->fallback_seconds, ACCEL_KVM_ATTEMPT_PREFIX);
	out->accel = "tcg";
	return attempt(boot, opaque, &a, "tcg", p->boot_ms, "", 0);
}
