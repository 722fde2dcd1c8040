// SPDX-License-Identifier: GPL-2.0-or-later
#include "userdisk/disk_format.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "errmsg.h"

/* Formats QEMU reads that a firmware boot through a qcow2 overlay does not take as they are. */
static const struct {
	const char *magic;
	size_t len, offset;
	const char *name;
} others[] = {
	{ "KDMV", 4, 0, "a VMDK image" },
	{ "<<< Oracle VM VirtualBox Disk Image >>>", 39, 0, "a VirtualBox VDI image" },
	{ "vhdxfile", 8, 0, "a VHDX image" },
	{ "conectix", 8, 0, "a VHD image" },
	{ "QFI", 3, 0, "a QCOW image of an old version" },
	{ "LUKS\xba\xbe", 6, 0, "a LUKS-encrypted image" },
};

const char *disk_format_of(const unsigned char *head, size_t n, char *err, size_t errsize)
{
	if (n >= 8 && !memcmp(head, "QFI\xfb", 4)) {
		unsigned int version =
			(unsigned int)head[4] << 24 | head[5] << 16 | head[6] << 8 | head[7];

		if (version == 2 || version == 3)
			return "qcow2";
	}
	for (size_t i = 0; i < ARRAY_SIZE(others); i++)
		if (n >= others[i].offset + others[i].len &&
		    !memcmp(head + others[i].offset, others[i].magic, others[i].len)) {
			errmsg(err, errsize, -EINVAL,
			       "%s: convert it with 'qemu-img convert -O qcow2 FILE NEW.qcow2' "
			       "and name the new file",
			       others[i].name);
			return NULL;
		}
	if (n >= 512 && head[510] == 0x55 && head[511] == 0xaa)
		return "raw";
	if (n < 512)
		errmsg(err, errsize, -EINVAL,
		       "%zu bytes, not a disk image: name a qcow2 image or a raw disk with a "
		       "partition table",
		       n);
	else
		errmsg(err, errsize, -EINVAL,
		       "not a disk image the firmware can boot: neither qcow2 nor a raw disk "
		       "with a boot sector (MBR or GPT): name the image of a whole disk");
	return NULL;
}

const char *disk_format_probe(const char *path, char *err, size_t errsize)
{
	unsigned char head[DISK_FORMAT_HEAD];
	_cleanup_close_ int fd = -1;
	struct stat st;
	const char *format;
	char why[256];
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errmsg(err, errsize, -errno, "%s: %s: %s", path, strerror(errno),
		       errno == ENOENT ? "fix the path (relative paths start at the scenario's "
					 "folder)"
				       : "make it readable by the user running guestcheck");
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		errmsg(err, errsize, -EINVAL, "%s: %s: name the image file", path,
		       S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
		return NULL;
	}
	n = pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		errmsg(err, errsize, -errno, "%s: cannot read: %s: make it readable", path,
		       strerror(errno));
		return NULL;
	}
	format = disk_format_of(head, n, why, sizeof(why));
	if (!format)
		errmsg(err, errsize, -EINVAL, "%s: %s", path, why);
	return format;
}
