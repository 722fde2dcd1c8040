// SPDX-License-Identifier: GPL-2.0-or-later
#include "port.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/klog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "protocol.h"

int port_find(const struct sysroot *root, const char *name, char *dev, size_t size)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;

	if (!strncmp(name, "tty", 3) && !strchr(name, '/')) {
		if (sysroot_path(root, dev, size, "/dev/%s", name) < 0)
			return -ENAMETOOLONG;
		return access(dev, F_OK) == 0 ? 0 : -ENOENT;
	}
	if (sysroot_path(root, path, sizeof(path), "/sys/class/virtio-ports") < 0)
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		char got[128];

		if (de->d_name[0] == '.')
			continue;
		if (sysroot_read_line(root, got, sizeof(got), "/sys/class/virtio-ports/%s/name",
				      de->d_name) < 0 ||
		    strcmp(got, name))
			continue;
		return sysroot_path(root, dev, size, "/dev/%s", de->d_name);
	}
	return -ENOENT;
}

int port_wait(const struct sysroot *root, const char *name, char *dev, size_t size,
	      unsigned int timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	int r;

	while ((r = port_find(root, name, dev, size)) == -ENOENT || access(dev, F_OK)) {
		if (now_ms() >= deadline)
			return -ENOENT;
		usleep(50 * 1000);
	}
	return r;
}

void port_make_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0)
		return;
	cfmakeraw(&t);
	tcsetattr(fd, TCSANOW, &t);
}

bool port_is_console(const struct sysroot *root, const char *name)
{
	char active[256], *tok, *save;

	if (strncmp(name, "tty", 3) ||
	    sysroot_read_line(root, active, sizeof(active), "/sys/class/tty/console/active") < 0)
		return false;
	for (tok = strtok_r(active, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

/* klogctl(2)'s actions, named in <sys/klog.h> by no libc. */
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define CONSOLE_LEVEL_EMERG_ONLY    1

int port_console_quiet(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/sys/kernel/printk", "re");
	int level;

	if (!f || fscanf(f, "%d", &level) != 1)
		return -ENOENT;
	if (klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, CONSOLE_LEVEL_EMERG_ONLY) < 0)
		return -errno;
	return level;
}

void port_console_restore(int level)
{
	if (level > 0)
		klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, level);
}

bool port_wait_ack(int fd, unsigned int timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	char buf[64];
	size_t have = 0;

	for (uint64_t now; (now = now_ms()) < deadline;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		/* From the same reading as the test: a later one could pass the deadline,
		 * and a negative timeout would make poll() wait forever. */
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return false;
		have += n;
		buf[have] = '\0';
		if (strstr(buf, AGENT_ACK_LINE))
			return true;
		if (have == sizeof(buf) - 1)
			have = 0;
	}
	return false;
}
