// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include "vm/accel.h"
#include "cleanup.h"

int accel_parse(const char *s, enum accel_mode *mode)
{
	static const char *const names[] = { [ACCEL_AUTO] = "auto", [ACCEL_KVM] = "kvm",
					     [ACCEL_TCG] = "tcg" };

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
