// SPDX-License-Identifier: GPL-2.0-or-later
#include "session/initrd.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "cleanup.h"
#include "errmsg.h"
#include "protocol.h"

static int copy_padded(int in, int out)
{
	static const char zeros[4];
	struct stat st;
	off_t off = 0;

	if (fstat(in, &st) < 0)
		return -errno;
	while (off < st.st_size)
		if (sendfile(out, in, &off, st.st_size - off) <= 0)
			return -EIO;
	if (st.st_size % 4 && write(out, zeros, 4 - st.st_size % 4) < 0)
		return -errno;
	return 0;
}

static int add_member(struct archive *a, const struct initrd_member *m)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	if (!e)
		return -ENOMEM;
	archive_entry_set_pathname(e, m->path);
	archive_entry_set_mode(e, m->mode);
	archive_entry_set_size(e, m->len);
	archive_entry_set_mtime(e, 0, 0);
	r = archive_write_header(a, e);
	if (r == ARCHIVE_OK && m->len)
		r = archive_write_data(a, m->data, m->len) == (la_ssize_t)m->len ? ARCHIVE_OK
										 : ARCHIVE_FATAL;
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -EIO;
}

static int write_archive(int fd, const struct initrd_member *members, size_t n)
{
	struct archive *a = archive_write_new();
	int r;

	if (!a)
		return -ENOMEM;
	archive_write_set_format_cpio_newc(a);
	archive_write_set_bytes_per_block(a, 0); /* no block padding */
	r = archive_write_open_fd(a, fd) == ARCHIVE_OK ? 0 : -EIO;
	for (size_t i = 0; i < n && !r; i++)
		r = add_member(a, &members[i]);
	if (archive_write_close(a) != ARCHIVE_OK && !r)
		r = -EIO;
	archive_write_free(a);
	return r;
}

int initrd_append(int in, const char *out, const struct initrd_member *members, size_t n, char *err,
		  size_t errsize)
{
	_cleanup_close_ int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int r;

	if (fd < 0) {
		r = -errno;
		return errmsg(err, errsize, r, "%s: cannot create: %s", out, strerror(-r));
	}
	r = copy_padded(in, fd);
	if (!r)
		r = write_archive(fd, members, n);
	if (r < 0)
		return errmsg(err, errsize, r,
			      "%s: writing the initrd failed: %s: check free space", out,
			      strerror(-r));
	return 0;
}

int initrd_write(const char *base, const char *config_text, const char *out, char *err,
		 size_t errsize)
{
	const struct initrd_member config[] = {
		{ .path = "etc", .mode = S_IFDIR | 0755 },
		{ .path = "etc/guestcheck", .mode = S_IFDIR | 0755 },
		{ .path = AGENT_CONFIG_PATH + 1,
		  .mode = S_IFREG | 0644,
		  .data = config_text,
		  .len = strlen(config_text) },
	};
	_cleanup_close_ int in = open(base, O_RDONLY | O_CLOEXEC);
	int r;

	if (in < 0) {
		r = -errno;
		return errmsg(err, errsize, r,
			      "%s: cannot open the base initramfs: %s: run 'make' or set "
			      "GUESTCHECK_INITRAMFS",
			      base, strerror(-r));
	}
	return initrd_append(in, out, config, ARRAY_SIZE(config), err, errsize);
}
