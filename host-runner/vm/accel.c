// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/accel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cleanup.h"
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
	_cleanup_close_ int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int version;

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
		   const char *prefix)
{
	*a = (struct accel_attempt){
		.accel = accel, .hello_ms = hello_ms, .log_prefix = prefix, .error = ""
	};
	return boot(opaque, a);
}

int accel_run(const struct accel_policy *p, int (*boot)(void *opaque, struct accel_attempt *a),
	      void *opaque, struct accel_choice *out, char *err, size_t errsize)
{
	uint64_t watchdog = p->watchdog_ms ?: ACCEL_KVM_WATCHDOG_MS;
	struct accel_attempt a;
	char why[256];
	int r;

	*out = (struct accel_choice){ .accel = "tcg" };
	if (p->mode == ACCEL_TCG) {
		snprintf(out->reason, sizeof(out->reason), "--accel tcg");
		return attempt(boot, opaque, &a, "tcg", p->boot_ms, "");
	}
	if (!(p->kvm_usable ?: accel_kvm_usable)(why, sizeof(why))) {
		if (p->mode == ACCEL_KVM) {
			out->accel = "kvm";
			return errmsg(err, errsize, -ENODEV,
				      "--accel kvm, but %s: use --accel auto or tcg", why);
		}
		snprintf(out->reason, sizeof(out->reason), "%s: using TCG", why);
		return attempt(boot, opaque, &a, "tcg", p->boot_ms, "");
	}
	out->accel = "kvm";
	if (p->mode == ACCEL_KVM) {
		snprintf(out->reason, sizeof(out->reason), "--accel kvm");
		return attempt(boot, opaque, &a, "kvm", p->boot_ms, "");
	}
	/* auto: KVM must prove itself with a hello before the watchdog fires. */
	r = attempt(boot, opaque, &a, "kvm", watchdog < p->boot_ms ? watchdog : p->boot_ms,
		    ACCEL_KVM_ATTEMPT_PREFIX);
	if (r != -ETIMEDOUT && !(r == -ECHILD && !a.hello)) {
		snprintf(out->reason, sizeof(out->reason), "%s and the guest booted under KVM",
			 why);
		return r;
	}
	/* What went wrong under KVM goes into the reason: it is the finding. */
	if (r == -ETIMEDOUT)
		snprintf(out->reason, sizeof(out->reason),
			 "%s, but no hello under KVM within %.0f s (guests hang under KVM on this "
			 "host): fell back to TCG",
			 why, (double)watchdog / 1000);
	else
		snprintf(out->reason, sizeof(out->reason),
			 "%s, but the KVM attempt failed (%s): fell back to TCG", why, a.error);
	if (p->progress)
		fprintf(p->progress, "guestcheck: %s: %s; that attempt's logs are %s*\n", p->name,
			out->reason, ACCEL_KVM_ATTEMPT_PREFIX);
	out->accel = "tcg";
	return attempt(boot, opaque, &a, "tcg", p->boot_ms, "");
}
