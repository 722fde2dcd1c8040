// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "guest_image.h"

extern char **environ;

int kernel_default(char *buf, size_t size, char *err, size_t errsize)
{
	_cleanup_closedir_ DIR *d = opendir("/boot");
	char best[NAME_MAX + 1] = "";
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char modules[PATH_MAX];
		struct stat st;

		if (strncmp(de->d_name, "vmlinuz-", 8))
			continue;
		snprintf(modules, sizeof(modules), "/lib/modules/%s", de->d_name + 8);
		if (stat(modules, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (!best[0] || strverscmp(de->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", de->d_name);
	}
	if (!best[0]) {
		snprintf(err, errsize, "no /boot/vmlinuz-* with its /lib/modules: run 'make deps' "
				       "(installs linux-image-amd64) or set GUESTCHECK_KERNEL");
		return -ENOENT;
	}
	snprintf(buf, size, "/boot/%s", best);
	return 0;
}

int kernel_release(const char *kernel, char *buf, size_t size)
{
	const char *base = strrchr(kernel, '/');
	_cleanup_close_ int fd = -1;
	unsigned char off[2];
	char version[128];
	ssize_t n;

	base = base ? base + 1 : kernel;
	if (!strncmp(base, "vmlinuz-", 8)) {
		snprintf(buf, size, "%s", base + 8);
		return 0;
	}
	/* x86 boot protocol: kernel_version at 0x20e, an offset from 0x200. */
	fd = open(kernel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, off, 2, 0x20e) != 2)
		return -EINVAL;
	n = pread(fd, version, sizeof(version) - 1, 0x200 + (off[0] | off[1] << 8));
	if (n <= 0)
		return -EINVAL;
	version[n] = '\0';
	version[strcspn(version, " ")] = '\0';
	if (!version[0])
		return -EINVAL;
	snprintf(buf, size, "%s", version);
	return 0;
}

static int self_dir(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	snprintf(buf, size, "%s", dirname(exe));
	return 0;
}

/* The first of the candidates (relative to the runner's folder) that exists. */
static int beside_self(const char *const *candidates, char *buf, size_t size)
{
	char dir[PATH_MAX];

	if (self_dir(dir, sizeof(dir)) < 0)
		return -ENOENT;
	for (; *candidates; candidates++) {
		if (snprintf(buf, size, "%s/%s", dir, *candidates) >= (int)size)
			continue;
		if (access(buf, R_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

static int build_initramfs(const char *kernel, const char *out, char *err, size_t errsize)
{
	static const char *const builders[] = { "../initramfs/build-initramfs",
						"../lib/guestcheck/build-initramfs", NULL };
	static const char *const agents[] = { "guestcheck-agent", "../lib/guestcheck/guestcheck-agent",
					      NULL };
	char builder[PATH_MAX], agent[PATH_MAX], moddir[PATH_MAX + 64] = "";
	const char *boot = strstr(kernel, "/boot/vmlinuz-");
	pid_t pid;
	int status;

	if (beside_self(builders, builder, sizeof(builder)) < 0 ||
	    beside_self(agents, agent, sizeof(agent)) < 0) {
		snprintf(err, errsize, "no initramfs for %s and no build-initramfs/agent beside "
				       "guestcheck: run 'make' or set GUESTCHECK_INITRAMFS",
			 kernel);
		return -ENOENT;
	}
	/* An unpacked kernel package (ROOT/boot/vmlinuz-R) brings ROOT/lib/modules/R. */
	if (boot && boot != kernel)
		snprintf(moddir, sizeof(moddir), "%.*s/lib/modules/%s", (int)(boot - kernel), kernel,
			 boot + strlen("/boot/vmlinuz-"));
	{
		char *argv[] = { builder, "--kernel", (char *)kernel, "--agent", agent, "-o",
				 (char *)out, moddir[0] && access(moddir, R_OK) == 0 ? "--modules-dir" : NULL,
				 moddir, NULL };

		if (posix_spawn(&pid, builder, NULL, NULL, argv, environ) != 0 ||
		    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			snprintf(err, errsize, "building the initramfs for %s failed (see above): "
					       "fix it or set GUESTCHECK_INITRAMFS",
				 kernel);
			return -EIO;
		}
	}
	return 0;
}

int initramfs_for(const char *release, const char *kernel, char *buf, size_t size, char *err,
		  size_t errsize)
{
	char name[256], cache[PATH_MAX];
	const char *const beside[] = { name, NULL };
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	snprintf(name, sizeof(name), "initramfs-%s.img", release);
	if (beside_self(beside, buf, size) == 0)
		return 0;
	if (xdg && xdg[0])
		snprintf(cache, sizeof(cache), "%s/guestcheck", xdg);
	else
		snprintf(cache, sizeof(cache), "%s/.cache/guestcheck", home ? home : "/tmp");
	if (snprintf(buf, size, "%s/%s", cache, name) >= (int)size)
		return -ENAMETOOLONG;
	if (access(buf, R_OK) == 0)
		return 0;
	mkdir(cache, 0755);
	return build_initramfs(kernel, buf, err, errsize);
}
