// SPDX-License-Identifier: GPL-2.0-or-later
/* The disk image behind a device: an existing file, or a scratch one per run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "device_type.h"
#include "units.h"

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
	if (size && parse_size(size, &dev->size) < 0) {
		snprintf(err, errsize, "%s:%d: [device %s]: size '%s' is not a size: write e.g. 64M",
			 s->path, device_key_line(dev, "size"), dev->name, size);
		return -EINVAL;
	}
	if (!image) {
		if (!size) {
			snprintf(err, errsize,
				 "%s:%d: [device %s]: needs 'image = FILE' or 'size = SIZE' (a "
				 "scratch image): add one",
				 s->path, dev->line, dev->name);
			return -EINVAL;
		}
		dev->image[0] = '\0';
		return 0;
	}
	if (image[0] == '/')
		snprintf(dev->image, sizeof(dev->image), "%s", image);
	else if (snprintf(dev->image, sizeof(dev->image), "%s/%s", s->dir, image) >=
		 (int)sizeof(dev->image))
		return -ENAMETOOLONG;
	if (stat(dev->image, &st) < 0) {
		snprintf(err, errsize, "%s:%d: [device %s]: image %s: %s: fix the path (relative "
				       "paths start at the scenario's folder)",
			 s->path, device_key_line(dev, "image"), dev->name, dev->image,
			 strerror(errno));
		return -ENOENT;
	}
	/* `size` with an image is what the guest must see: the checks compare. */
	if (!size)
		dev->size = st.st_size;
	return 0;
}
