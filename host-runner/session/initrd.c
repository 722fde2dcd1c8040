// SPDX-License-Identifier: GPL-2.0-or-later
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include "errmsg.h"
#include "cleanup.h"
#include "session/initrd.h"
#include "protocol.h"

static int copy_base(int in, int out)
{
	struct stat st;
	off_t off = 0;

	if (fstat(in, &st) < 0)
		return -errno;
	while (off < st.st_size)
		if (sendfile(out, in, &off, st.st_size - off) <= 0)
			return -EIO;
	/* The kernel looks for the next archive's magic on a 4-byte boundary. */
	if (st.st_size % 4) {
		static const char zeros[4];

		if (write(out, zeros, 4 - st.st_size % 4) < 0)
			return -errno;
	}
	return 0;
}

static int add_entry(struct archive *a, const char *path, mode_t mode, const char *data,
		     size_t len)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	if (!e)
		return -ENOMEM;
	archive_entry_set_pathname(e, path);
	archive_entry_set_mode(e, mode);
	archive_entry_set_size(e, len);
	archive_entry_set_mtime(e, 0, 0);
	r = archive_write_header(a, e);
	if (r == ARCHIVE_OK && len)
		r = archive_write_data(a, data, len) == (la_ssize_t)len ? ARCHIVE_OK : ARCHIVE_FATAL;
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -EIO;
}

static int append_config(int fd, const char *text)
{
	struct archive *a = archive_write_new();
	int r;

	if (!a)
		return -ENOMEM;
	archive_write_set_format_cpio_newc(a);
	archive_write_set_bytes_per_block(a, 0); /* no block padding */
	r = archive_write_open_fd(a, fd) == ARCHIVE_OK ? 0 : -EIO;
	if (!r)
		r = add_entry(a, "etc", AE_IFDIR | 0755, NULL, 0);
	if (!r)
		r = add_entry(a, "etc/guestcheck", AE_IFDIR | 0755, NULL, 0);
	if (!r)
		r = add_entry(a, AGENT_CONFIG_PATH + 1, AE_IFREG | 0644, text, strlen(text));
	if (archive_write_close(a) != ARCHIVE_OK && !r)
		r = -EIO;
	archive_write_free(a);
	return r;
}

int initrd_write(const char *base, const char *config_text, const char *out, char *err,
		 size_t errsize)
{
	_cleanup_close_ int in = open(base, O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int fd = -1;
	int r;

	if (in < 0) {
		r = -errno;
		return errmsg(err, errsize, r,
			      "%s: cannot open the base initramfs: %s: run 'make' or set "
			      "GUESTCHECK_INITRAMFS",
			      base, strerror(-r));
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = -errno;
		return errmsg(err, errsize, r, "%s: cannot create: %s", out, strerror(-r));
	}
	r = copy_base(in, fd);
	if (!r)
		r = append_config(fd, config_text);
	if (r < 0)
		return errmsg(err, errsize, r,
			      "%s: writing the initrd failed: %s: check free space", out,
			      strerror(-r));
	return 0;
}
