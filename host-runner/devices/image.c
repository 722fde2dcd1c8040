// SPDX-License-Identifier: GPL-2.0-or-later
/* The disk image behind a device: an existing file, or a scratch one per run. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "macro.h"
#include "units.h"

#include "devices/device_type.h"
#include "vm/qemu_argv.h"

/*
 * Folders whose files no guest should be handed writable. The runner runs as
 * root for tap scenarios: an `image` that is, or links to, /etc/shadow was
 * attached as a writable disk (measured). /dev is not here: a block device
 * has its own rule.
 */
static const char *const system_folders[] = {
	"/bin",	 "/boot", "/etc", "/lib", "/lib32",   "/lib64",
	"/proc", "/sbin", "/sys", "/usr", "/var/lib", "/var/log",
};

static bool under(const char *path, const char *folder)
{
	size_t n = strlen(folder);

	return !strncmp(path, folder, n) && (path[n] == '/' || path[n] == '\0');
}

/* A writable image must be meant: not a system file (through a symlink or not), not a disk. */
static int refuse_unmeant(const struct scenario_device *dev, const struct scenario *s,
			  const struct stat *st, char *err, size_t errsize)
{
	char real[PATH_MAX];
	int trusted = 0;

	if (device_key(dev, "image_trusted"))
		parse_bool(device_key(dev, "image_trusted"), &trusted);
	if (dev->readonly || trusted)
		return 0;
	if (S_ISBLK(st->st_mode))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [device %s]: image %s is a block device: the guest would "
			      "write a host disk: set readonly = yes, or image_trusted = yes if "
			      "you mean it",
			      s->path, device_key_line(dev, "image"), dev->name, dev->image);
	if (!realpath(dev->image, real))
		return 0; /* stat() found it: QEMU will say what is wrong */
	for (size_t i = 0; i < ARRAY_SIZE(system_folders); i++)
		if (under(real, system_folders[i]))
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [device %s]: image %s%s%s is a system file (under "
				      "%s): the guest would write it: name a disk image, set "
				      "readonly = yes, or image_trusted = yes if you mean it",
				      s->path, device_key_line(dev, "image"), dev->name, dev->image,
				      strcmp(real, dev->image) ? " -> " : "",
				      strcmp(real, dev->image) ? real : "", system_folders[i]);
	return 0;
}

int device_resolve_image(struct scenario_device *dev, const struct scenario *s, char *err,
			 size_t errsize)
{
	const char *image = device_key(dev, "image");
	const char *size = device_key(dev, "size");
	struct stat st;
	int ro = 0;

	if (device_key(dev, "readonly"))
		parse_bool(device_key(dev, "readonly"), &ro);
	dev->readonly = ro;
	if (size && parse_size(size, &dev->size) < 0)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [device %s]: size '%s' is not a size: write e.g. 64M",
			      s->path, device_key_line(dev, "size"), dev->name, size);
	if (!image) {
		if (!size)
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [device %s]: needs 'image = FILE' or 'size = SIZE' (a "
				"scratch image): add one",
				s->path, dev->line, dev->name);
		dev->image[0] = '\0';
		return 0;
	}
	if (image[0] == '/')
		snprintf(dev->image, sizeof(dev->image), "%s", image);
	else if (snprintf(dev->image, sizeof(dev->image), "%s/%s", s->dir, image) >=
		 (int)sizeof(dev->image))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [device %s]: image %s: the path is too long: give a "
			      "shorter one",
			      s->path, device_key_line(dev, "image"), dev->name, image);
	if (stat(dev->image, &st) < 0)
		return errmsg(err, errsize, -ENOENT,
			      "%s:%d: [device %s]: image %s: %s: fix the path (relative "
			      "paths start at the scenario's folder)",
			      s->path, device_key_line(dev, "image"), dev->name, dev->image,
			      strerror(errno));
	/* A folder stats fine and has a size; QEMU would only refuse it later. */
	if (S_ISDIR(st.st_mode))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [device %s]: image %s is a folder: name the image "
			      "file",
			      s->path, device_key_line(dev, "image"), dev->name, dev->image);
	if (refuse_unmeant(dev, s, &st, err, errsize) < 0)
		return -EINVAL;
	/* `size` with an image is what the guest must see: the checks compare. */
	if (!size)
		dev->size = st.st_size;
	return 0;
}

int scenario_create_scratch_images(const struct scenario *s, const char *dir, bool reuse, char *err,
				   size_t errsize)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct scenario_device *d = &s->devices[i];
		char path[PATH_MAX];
		int fd;

		if (d->image[0] || !d->size || d->type->kind->made_in_guest)
			continue;
		qemu_device_image(d, dir, path, sizeof(path));
		if (reuse && access(path, F_OK) == 0)
			continue;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || ftruncate(fd, d->size) < 0) {
			int r = -errno;

			if (fd >= 0)
				close(fd);
			return errmsg(err, errsize, r,
				      "%s: cannot create the scratch image: %s: check free "
				      "space",
				      path, strerror(-r));
		}
		close(fd);
	}
	return 0;
}
