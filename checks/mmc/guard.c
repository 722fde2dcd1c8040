// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening a card that must not be written: O_RDONLY, then BLKROSET, before
 * any read. O_RDONLY alone keeps this process from writing; BLKROSET makes
 * the kernel refuse writes from anyone (other checks, a mount that would
 * replay a journal) to the device and its partitions until the next boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "mmc.h"

int mmc_open_guarded(const struct sysroot *root, const char *node, struct mmc_guard *g, char *err,
		     size_t errsize)
{
	char path[PATH_MAX];
	struct stat st;
	int one = 1, ro = 0, r;

	*g = (struct mmc_guard){ .fd = -1, .ro_before = -1 };
	r = sysroot_path(root, path, sizeof(path), "/dev/%s", node);
	if (r < 0)
		return errmsg(err, errsize, r, "/dev/%s: path too long", node);
	g->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (g->fd < 0 || fstat(g->fd, &st) < 0) {
		r = -errno;
		errmsg(err, errsize, r,
		       "%s: cannot open read-only: %s: is devtmpfs mounted on /dev?", path,
		       strerror(errno));
		mmc_guard_close(g);
		return r;
	}
	if (S_ISREG(st.st_mode)) {
		/* A captured image in a unit test: nothing to tell a kernel. */
		g->bytes = st.st_size;
		return 0;
	}
	if (!S_ISBLK(st.st_mode)) {
		errmsg(err, errsize, -ENOTBLK, "%s: not a block device: check devtmpfs", path);
		mmc_guard_close(g);
		return -ENOTBLK;
	}
	g->blockdev = true;
	if (ioctl(g->fd, BLKROGET, &ro) == 0)
		g->ro_before = ro;
	errno = 0;
	if (ioctl(g->fd, BLKROSET, &one) < 0 || ioctl(g->fd, BLKROGET, &ro) < 0 || ro != 1) {
		r = errno ? -errno : -EIO;
		errmsg(err, errsize, r,
		       "%s: BLKROSET failed: %s: refusing to read a card the kernel would still "
		       "let others write; run the agent as root",
		       path, errno ? strerror(errno) : "the flag did not stick");
		mmc_guard_close(g);
		return r;
	}
	if (ioctl(g->fd, BLKGETSIZE64, &g->bytes) < 0) {
		r = -errno;
		errmsg(err, errsize, r, "%s: BLKGETSIZE64 failed: %s", path, strerror(errno));
		mmc_guard_close(g);
		return r;
	}
	return 0;
}

void mmc_guard_close(struct mmc_guard *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}
