/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every /sys, /proc and /dev read goes through a sysroot: a path prefix that
 * is "" in a guest and a captured tree (tests/sysroots/NAME) in a unit test,
 * like util-linux's ul_path_set_prefix(). Checks never open absolute paths.
 *
 * All functions return 0 or -errno; -ENOENT means "not present".
 */
#ifndef GUESTCHECK_SYSROOT_H
#define GUESTCHECK_SYSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cleanup.h"

struct sysroot {
	char prefix[256]; /* no trailing slash; "" for the running system */
};

/* Build prefix + formatted path. -ENAMETOOLONG if it does not fit. */
int sysroot_path(const struct sysroot *root, char *buf, size_t size, const char *fmt, ...)
	__printf(4, 5);

bool sysroot_exists(const struct sysroot *root, const char *fmt, ...) __printf(2, 3);

/*
 * Write text to an existing attribute (sysfs, configfs), never creating
 * one: what the kernel refuses comes back as its -errno.
 */
int sysroot_write(const struct sysroot *root, const char *text, const char *fmt, ...)
	__printf(3, 4);

/* First line of a file, trailing whitespace stripped. */
int sysroot_read_line(const struct sysroot *root, char *buf, size_t size, const char *fmt, ...)
	__printf(4, 5);

/* A file holding one unsigned decimal number (sysfs attributes). */
int sysroot_read_u64(const struct sysroot *root, uint64_t *value, const char *fmt, ...)
	__printf(3, 4);

/* Last component of a symlink's target: the driver of "device/driver". */
int sysroot_link_name(const struct sysroot *root, char *buf, size_t size, const char *fmt, ...)
	__printf(4, 5);

/*
 * The driver bound to a class device (e.g. "class/block/nvme0n1"): follows
 * "device" and walks up the device tree to the first ancestor with a driver,
 * since a namespace or a card may sit below the device the driver binds to.
 */
int sysroot_class_driver(const struct sysroot *root, const char *class_dev, char *buf, size_t size);

#endif
