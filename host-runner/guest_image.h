/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel a guest boots and the base initramfs that matches it.
 * Precedence, first wins: the command line, the environment
 * (GUESTCHECK_KERNEL, GUESTCHECK_INITRAMFS), the scenario, the default.
 */
#ifndef GUESTCHECK_GUEST_IMAGE_H
#define GUESTCHECK_GUEST_IMAGE_H

#include <stddef.h>

/* Newest /boot/vmlinuz-* whose /lib/modules/RELEASE exists. */
int kernel_default(char *buf, size_t size, char *err, size_t errsize);

/* What `uname -r` says in the guest: from /boot naming or the bzImage header. */
int kernel_release(const char *kernel, char *buf, size_t size);

/*
 * The base initramfs for `release`: beside the runner binary
 * (initramfs-RELEASE.img, where `make` puts it), else in the user's cache,
 * built there with build-initramfs on first use.
 */
int initramfs_for(const char *release, const char *kernel, char *buf, size_t size, char *err,
		  size_t errsize);

#endif
