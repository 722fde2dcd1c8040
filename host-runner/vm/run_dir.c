// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/run_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "errmsg.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void remove_tree(const char *path)
{
	/* FTW_PHYS: a symlink inside is removed, never followed. */
	nftw(path, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* The pid its runner wrote, for the note; 0 when unreadable. */
static long owner_pid(int fd)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	return n > 0 ? strtol(buf, NULL, 10) : 0;
}

/* dir/name is a stale run directory of ours: a folder of this user whose owner is gone. */
static void sweep_one(int dirfd, const char *parent, const char *name, FILE *note)
{
	char path[PATH_MAX], owner[NAME_MAX + sizeof(RUN_DIR_OWNER) + 2];
	_cleanup_close_ int fd = -1;
	struct stat st;
	long pid;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid())
		return;
	snprintf(owner, sizeof(owner), "%s/%s", name, RUN_DIR_OWNER);
	fd = openat(dirfd, owner, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
		return; /* none (never ours to sweep), or its runner is alive */
	pid = owner_pid(fd);
	snprintf(path, sizeof(path), "%s/%s", parent, name);
	remove_tree(path);
	if (note)
		fprintf(note, "guestcheck: removed %s, left by a run that was killed (pid %ld)\n",
			path, pid);
}

void run_dir_sweep(const char *parent, FILE *note)
{
	DIR *d = opendir(parent);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, RUN_DIR_PREFIX, strlen(RUN_DIR_PREFIX)))
			sweep_one(dirfd(d), parent, e->d_name, note);
	closedir(d);
}

/* The owner file appears locked: written and locked under another name, then renamed. */
static int claim(const char *path, char *err, size_t errsize)
{
	char tmp[PATH_MAX], owner[PATH_MAX], pid[32];
	int fd, len;

	snprintf(tmp, sizeof(tmp), "%s/.owner.new", path);
	snprintf(owner, sizeof(owner), "%s/%s", path, RUN_DIR_OWNER);
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errmsg(err, errsize, -errno, "%s: cannot create: %s", tmp, strerror(errno));
	len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || write(fd, pid, len) != len ||
	    rename(tmp, owner) < 0) {
		int r = -errno;

		close(fd);
		return errmsg(err, errsize, r, "%s: cannot claim: %s", owner, strerror(-r));
	}
	return fd;
}

int run_dir_create(char *path, FILE *note, char *err, size_t errsize)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", slash == path ? 1 : (int)(slash - path),
			 path);
	run_dir_sweep(parent, note);
	if (!mkdtemp(path))
		return errmsg(err, errsize, -errno,
			      "%s: cannot create the run directory: %s: check TMPDIR", path,
			      strerror(errno));
	fd = claim(path, err, errsize);
	if (fd < 0)
		remove_tree(path);
	return fd;
}

void run_dir_remove(const char *path, int owner_fd, bool keep)
{
	if (!path[0])
		return;
	if (keep) {
		char owner[PATH_MAX];

		/* Kept for a look: no longer anybody's, so never swept. */
		snprintf(owner, sizeof(owner), "%s/%s", path, RUN_DIR_OWNER);
		unlink(owner);
	} else {
		remove_tree(path);
	}
	if (owner_fd >= 0)
		close(owner_fd);
}
