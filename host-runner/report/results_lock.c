// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/results_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "errmsg.h"

int results_dir_claim(const char *dir, char *err, size_t errsize)
{
	char path[PATH_MAX], pid[32] = "";
	int fd, len;

	snprintf(path, sizeof(path), "%s/%s", dir, RESULTS_LOCK);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return errmsg(err, errsize, -errno,
			      "%s: cannot create the lock file: %s: give -o a folder this user "
			      "can write",
			      path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int r = -errno;
		ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);

		close(fd);
		if (r != -EWOULDBLOCK)
			return errmsg(err, errsize, r, "%s: cannot lock: %s", path, strerror(-r));
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		return errmsg(err, errsize, -EBUSY,
			      "%s: in use by another guestcheck run (pid %s): wait for it to end, "
			      "or give this run another -o",
			      dir, pid[0] ? pid : "unknown");
	}
	/*
	 * The pid only names this run to a second one: on a full disk the lock
	 * holds without it (the second says "pid unknown"), and the reports
	 * say what the disk cost.
	 */
	len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, len, 0) != len)
		return fd;
	return fd;
}
