/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's initrd for one run: the base image, padded to 4 bytes, then an
 * uncompressed newc archive holding AGENT_CONFIG_PATH. The kernel unpacks
 * concatenated archives in order, so the base image is never rebuilt.
 *
 * initrd_append() is the one writer of such an appended archive: the
 * non-interference runs wrap an installer's initrd with it too.
 */
#ifndef GUESTCHECK_INITRD_H
#define GUESTCHECK_INITRD_H

#include <stddef.h>
#include <sys/types.h>

int initrd_write(const char *base, const char *config_text, const char *out, char *err,
		 size_t errsize);

/* One member of an appended archive. */
struct initrd_member {
	const char *path; /* relative, parents first: "etc", then "etc/guestcheck" */
	mode_t mode;	  /* S_IFDIR | 0755, S_IFREG | 0644, ... */
	const char *data; /* a file's bytes; NULL for a folder */
	size_t len;
};

/*
 * Write `out` (created, mode 0600): every byte of the open initrd `in`,
 * zeros to a 4-byte boundary (where the kernel looks for the next archive's
 * magic), then one uncompressed newc archive of members[] with mtime 0, so
 * the same input gives the same bytes. 0 or -errno, message in err.
 */
int initrd_append(int in, const char *out, const struct initrd_member *members, size_t n, char *err,
		  size_t errsize);

#endif
