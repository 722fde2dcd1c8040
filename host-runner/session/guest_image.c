// SPDX-License-Identifier: GPL-2.0-or-later
#include "session/guest_image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "errmsg.h"
#include "mkdir_p.h"

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
	if (!best[0])
		return errmsg(err, errsize, -ENOENT,
			      "no /boot/vmlinuz-* with its /lib/modules: run 'make deps' "
			      "(installs linux-image-amd64) or set GUESTCHECK_KERNEL");
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

/* Linux's boot protocols: Documentation/arch/x86/boot.rst, arch/arm64/booting.rst. */
static const struct {
	const char *arch;
	off_t offset;
	const char magic[5];
} kernel_magics[] = {
	{ "x86_64", 0x202, "HdrS" },
	{ "aarch64", 0x38, "ARM\x64" },
};

const char *kernel_arch(const char *kernel)
{
	_cleanup_close_ int fd = open(kernel, O_RDONLY | O_CLOEXEC);
	char buf[4];

	for (size_t i = 0; fd >= 0 && i < ARRAY_SIZE(kernel_magics); i++)
		if (pread(fd, buf, 4, kernel_magics[i].offset) == 4 &&
		    !memcmp(buf, kernel_magics[i].magic, 4))
			return kernel_magics[i].arch;
	return NULL;
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

static const char *const builders[] = { "../initramfs/build-initramfs",
					"../lib/guestcheck/build-initramfs", NULL };
static const char *const agents[] = { "guestcheck-agent", "../lib/guestcheck/guestcheck-agent",
				      NULL };
/* The builder's own list: an image also changes with the modules it takes. */
static const char *const module_lists[] = { "../initramfs/modules.list",
					    "../lib/guestcheck/modules.list", NULL };

int guest_agent_path(char *buf, size_t size)
{
	const char *env = getenv("GUESTCHECK_AGENT");

	if (env && env[0]) {
		snprintf(buf, size, "%s", env);
		return access(buf, R_OK) == 0 ? 0 : -errno;
	}
	return beside_self(agents, buf, size);
}

/* FNV-1a, 64 bits, over a file: a cache key, not a defence against anyone. */
static int hash_file(const char *path, uint64_t *h)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char buf[65536];
	ssize_t n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			*h = (*h ^ buf[i]) * 0x100000001b3ULL;
	return n < 0 ? -errno : 0;
}

int image_key(const char *const *files, char *buf, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *files; files++) {
		int r = hash_file(*files, &h);

		if (r < 0)
			return r;
	}
	snprintf(buf, size, "%012llx", (unsigned long long)(h >> 16));
	return 0;
}

int kernel_modules_dir(const char *kernel, const char *release, char *buf, size_t size)
{
	const char *boot = strstr(kernel, "/boot/vmlinuz-");
	struct stat st;

	/* An unpacked kernel package (ROOT/boot/vmlinuz-R) brings ROOT/lib/modules/R. */
	if (boot && boot != kernel)
		snprintf(buf, size, "%.*s/lib/modules/%s", (int)(boot - kernel), kernel,
			 boot + strlen("/boot/vmlinuz-"));
	else
		snprintf(buf, size, "/lib/modules/%s", release);
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -ENOENT;
}

/* What to do about a kernel whose modules are not where they belong: one line. */
static int modules_missing(const char *kernel, const char *release, const char *moddir, char *err,
			   size_t errsize)
{
	if (strncmp(moddir, "/lib/modules/", 13))
		return errmsg(err, errsize, -ENOTDIR,
			      "%s is missing: %s was unpacked without its modules: unpack "
			      "the whole package beside it (dpkg-deb -x linux-image-%s_*.deb "
			      "%.*s), or set GUESTCHECK_INITRAMFS to an image for %s",
			      moddir, kernel, release,
			      (int)(strstr(moddir, "/lib/modules/") - moddir), moddir, release);
	return errmsg(err, errsize, -ENOTDIR,
		      "%s is missing: no modules for %s (release %s): install "
		      "linux-image-%s, or set GUESTCHECK_INITRAMFS to an image for %s",
		      moddir, kernel, release, release, release);
}

/* Builds into a name of its own, then renames: jobs of a set may build at once. */
static int build_initramfs(const char *builder, const char *agent, const char *kernel,
			   const char *moddir, const char *out, char *err, size_t errsize)
{
	char tmp[PATH_MAX];
	pid_t pid;
	int status;
	char *argv[] = { (char *)builder,
			 "--kernel",
			 (char *)kernel,
			 "--agent",
			 (char *)agent,
			 "-o",
			 tmp,
			 "--modules-dir",
			 (char *)moddir,
			 NULL };

	if (snprintf(tmp, sizeof(tmp), "%s.%d", out, getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (posix_spawn(&pid, builder, NULL, NULL, argv, environ) != 0 ||
	    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    rename(tmp, out) < 0) {
		unlink(tmp);
		return errmsg(err, errsize, -EIO,
			      "building the initramfs for %s failed (see above): fix it or "
			      "set GUESTCHECK_INITRAMFS",
			      kernel);
	}
	return 0;
}

int initramfs_for(const char *release, const char *kernel, char *buf, size_t size, char *err,
		  size_t errsize)
{
	char name[256], cache[PATH_MAX], key[32], moddir[PATH_MAX + 64];
	char builder[PATH_MAX], agent[PATH_MAX], list[PATH_MAX];
	const char *beside[] = { name, NULL }, *keyed[] = { agent, builder, list, NULL };
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	/* `make` builds this one from the agent beside it, and rebuilds it when that changes. */
	snprintf(name, sizeof(name), "initramfs-%s.img", release);
	if (beside_self(beside, buf, size) == 0)
		return 0;
	if (beside_self(builders, builder, sizeof(builder)) < 0 ||
	    beside_self(agents, agent, sizeof(agent)) < 0)
		return errmsg(err, errsize, -ENOENT,
			      "no initramfs for %s and no build-initramfs/agent beside "
			      "guestcheck: run 'make' or set GUESTCHECK_INITRAMFS",
			      kernel);
	if (beside_self(module_lists, list, sizeof(list)) < 0)
		keyed[2] = NULL;
	/* The cache is keyed by the agent too: a new agent never boots an old image. */
	if (image_key(keyed, key, sizeof(key)) < 0)
		return errmsg(err, errsize, -EIO,
			      "%s: cannot read the agent: %s: reinstall guestcheck", agent,
			      strerror(errno));
	snprintf(name, sizeof(name), "initramfs-%s" IMAGE_KEY_SEP "%s.img", release, key);
	if (xdg && xdg[0])
		snprintf(cache, sizeof(cache), "%s/guestcheck", xdg);
	else
		snprintf(cache, sizeof(cache), "%s/.cache/guestcheck", home ? home : "/tmp");
	if (snprintf(buf, size, "%s/%s", cache, name) >= (int)size)
		return -ENAMETOOLONG;
	if (access(buf, R_OK) == 0)
		return 0;
	if (kernel_modules_dir(kernel, release, moddir, sizeof(moddir)) < 0)
		return modules_missing(kernel, release, moddir, err, errsize);
	mkdir_p(cache);
	return build_initramfs(builder, agent, kernel, moddir, buf, err, errsize);
}
