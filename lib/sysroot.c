// SPDX-License-Identifier: GPL-2.0-or-later
#include "sysroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int vpath(const struct sysroot *root, char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = snprintf(buf, size, "%s", root->prefix);
	int m;

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	m = vsnprintf(buf + n, size - n, fmt, ap);
	if (m < 0 || (size_t)m >= size - n)
		return -ENAMETOOLONG;
	return 0;
}

/* Declare `path` and fill it from the caller's root, fmt and arguments. */
#define FORMAT_PATH(path, root, fmt)                                                               \
	char path[PATH_MAX];                                                                       \
	int path##_error;                                                                          \
	do {                                                                                       \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		path##_error = vpath(root, path, sizeof(path), fmt, ap);                           \
		va_end(ap);                                                                        \
	} while (0)

int sysroot_path(const struct sysroot *root, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vpath(root, buf, size, fmt, ap);
	va_end(ap);
	return r;
}

bool sysroot_exists(const struct sysroot *root, const char *fmt, ...)
{
	struct stat st;
	FORMAT_PATH(path, root, fmt);

	return path_error == 0 && stat(path, &st) == 0;
}

int sysroot_write(const struct sysroot *root, const char *text, const char *fmt, ...)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;
	FORMAT_PATH(path, root, fmt);

	if (path_error)
		return path_error;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	n = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	close(fd);
	return (int)n;
}

static int read_line_at(const char *path, char *buf, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	size_t len;

	if (!f)
		return -errno;
	if (!fgets(buf, size, f)) {
		buf[0] = '\0';
		return ferror(f) ? -EIO : 0;
	}
	len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	return 0;
}

int sysroot_read_line(const struct sysroot *root, char *buf, size_t size, const char *fmt, ...)
{
	FORMAT_PATH(path, root, fmt);

	return path_error < 0 ? path_error : read_line_at(path, buf, size);
}

int sysroot_read_u64(const struct sysroot *root, uint64_t *value, const char *fmt, ...)
{
	char line[64], *end;
	unsigned long long v;
	int r;
	FORMAT_PATH(path, root, fmt);

	if (path_error < 0)
		return path_error;
	r = read_line_at(path, line, sizeof(line));
	if (r < 0)
		return r;
	errno = 0;
	v = strtoull(line, &end, 10);
	if (errno || end == line || *end)
		return -EINVAL;
	*value = v;
	return 0;
}

static int link_name_at(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

int sysroot_link_name(const struct sysroot *root, char *buf, size_t size, const char *fmt, ...)
{
	FORMAT_PATH(path, root, fmt);

	return path_error < 0 ? path_error : link_name_at(path, buf, size);
}

int sysroot_class_driver(const struct sysroot *root, const char *class_dev, char *buf, size_t size)
{
	char link[PATH_MAX], dir[PATH_MAX], devices[PATH_MAX], driver[PATH_MAX + 8];
	int r;

	r = sysroot_path(root, link, sizeof(link), "/sys/%s/device", class_dev);
	if (r < 0)
		return r;
	if (!realpath(link, dir))
		return -errno;
	r = sysroot_path(root, link, sizeof(link), "/sys/devices");
	if (r < 0)
		return r;
	if (!realpath(link, devices))
		return -errno;

	/* Walk up until an ancestor has a driver, stopping at /sys/devices. */
	while (strlen(dir) > strlen(devices)) {
		char *slash;

		snprintf(driver, sizeof(driver), "%s/driver", dir);
		r = link_name_at(driver, buf, size);
		if (r != -ENOENT)
			return r;
		slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return -ENOENT;
}
