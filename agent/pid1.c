// SPDX-License-Identifier: GPL-2.0-or-later
#include "pid1.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"

static const struct {
	const char *source, *target, *type;
	unsigned long flags;
	int optional;
} mounts[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0 },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0 },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, 0 },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, 0 },
	{ "debugfs", "/sys/kernel/debug", "debugfs", 0, 1 },
};

void pid1_setup(void)
{
	int fd;

	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		mkdir(mounts[i].target, 0755);
		if (mount(mounts[i].source, mounts[i].target, mounts[i].type, mounts[i].flags,
			  NULL) < 0 &&
		    errno != EBUSY && !mounts[i].optional)
			dprintf(2, "guestcheck-agent: mount %s on %s failed: %s\n", mounts[i].type,
				mounts[i].target, strerror(errno));
	}
	/* The kernel opens /dev/console for init only if the image has the node. */
	if (fcntl(1, F_GETFD) < 0) {
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int pid1_wait_reaping(pid_t child)
{
	int status;

	for (;;) {
		pid_t pid = waitpid(-1, &status, 0);

		if (pid == child)
			return status;
		if (pid < 0 && errno == ECHILD)
			return -1;
	}
}

void pid1_poweroff(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Still here: reboot was refused. Keep reaping, never exit. */
	dprintf(2, "guestcheck-agent: power-off failed: %s; halting here\n", strerror(errno));
	for (;;) {
		if (waitpid(-1, NULL, 0) < 0)
			pause();
	}
}
