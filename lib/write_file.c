// SPDX-License-Identifier: GPL-2.0-or-later
#include "write_file.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int fclose_checked(FILE *f)
{
	/* With the stream's error flag set, the last failed call was its write (ENOSPC). */
	int earlier = errno, r = 0;

	errno = 0;
	if (fflush(f) == EOF)
		r = errno ? -errno : -EIO;
	else if (ferror(f))
		r = earlier ? -earlier : -EIO;
	if (fclose(f) == EOF && !r)
		r = errno ? -errno : -EIO;
	return r;
}

int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "we");
	int r = 0, c;

	if (!f)
		return -errno;
	errno = 0;
	if (fwrite(data, 1, len, f) != len)
		r = errno ? -errno : -EIO;
	c = fclose_checked(f);
	return r ?: c;
}

int write_text_in(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return write_file(path, text, strlen(text));
}
