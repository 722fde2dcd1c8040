/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * [machine] disk = FILE: what the user's image is, read from its first
 * bytes (no qemu-img run at scenario load). qcow2 by its magic; raw when it
 * starts with a boot sector (the 55 AA an MBR or a GPT's protective MBR
 * ends with), since only such a disk can be booted by the firmware; any
 * other format QEMU knows is named with the conversion that makes it usable.
 */
#ifndef GUESTCHECK_DISK_FORMAT_H
#define GUESTCHECK_DISK_FORMAT_H

#include <stddef.h>

/* The first bytes disk_format_of() needs. */
#define DISK_FORMAT_HEAD 512

/*
 * "qcow2" or "raw" from the file's first n bytes (n < DISK_FORMAT_HEAD: a
 * short file), or NULL with why in err: "a VMDK image: convert it with ...".
 */
const char *disk_format_of(const unsigned char *head, size_t n, char *err, size_t errsize);

/*
 * Open and read path's head: "qcow2" or "raw", or NULL with one sentence in
 * err naming the file, the cause and the fix (missing, unreadable, a folder,
 * not a disk image).
 */
const char *disk_format_probe(const char *path, char *err, size_t errsize);

#endif
