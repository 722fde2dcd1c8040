// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "errmsg.h"
#include "units.h"

/* A map of a heavily written 1 GiB image with 512-byte clusters stays far below this. */
#define MAP_OUTPUT_MAX (64u << 20)

extern char **environ;

const char *overlay_qemu_img(void)
{
	return getenv("GUESTCHECK_QEMU_IMG") ?: "qemu-img";
}

/* Run argv, its stdout into *out (bounded), stderr's first line into err. */
static int run(char *const argv[], char **out, char *err, size_t errsize)
{
	int pout[2], perr[2], status, r = 0;
	posix_spawn_file_actions_t fa;
	size_t len = 0, cap = 0, elen = 0;
	char ebuf[512];
	pid_t pid;

	if (out)
		*out = NULL;
	if (pipe2(pout, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(perr, O_CLOEXEC) < 0) {
		close(pout[0]);
		close(pout[1]);
		return -errno;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	r = -posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pout[1]);
	close(perr[1]);
	if (r < 0) {
		close(pout[0]);
		close(perr[0]);
		return errmsg(err, errsize, r,
			      "%s: cannot run: %s: install qemu-utils or set "
			      "GUESTCHECK_QEMU_IMG",
			      argv[0], strerror(-r));
	}
	for (struct pollfd p[2] = { { pout[0], POLLIN, 0 }, { perr[0], POLLIN, 0 } };
	     p[0].fd >= 0 || p[1].fd >= 0;) {
		char buf[65536];
		ssize_t n;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			n = read(p[0].fd, buf, sizeof(buf));
			if (n <= 0) {
				close(p[0].fd);
				p[0].fd = -1;
			} else if (out && len + n < MAP_OUTPUT_MAX) {
				if (len + n + 1 > cap) {
					char *b = realloc(*out, cap = 2 * (len + n + 1));

					if (!b) {
						r = -ENOMEM;
						continue;
					}
					*out = b;
				}
				memcpy(*out + len, buf, n);
				len += n;
				(*out)[len] = '\0';
			} else if (out) {
				r = -EFBIG;
			}
		}
		if (p[1].revents) {
			n = read(p[1].fd, buf, sizeof(buf));
			if (n <= 0) {
				close(p[1].fd);
				p[1].fd = -1;
			} else if (elen < sizeof(ebuf) - 1) {
				size_t take = (size_t)n < sizeof(ebuf) - 1 - elen
						      ? (size_t)n
						      : sizeof(ebuf) - 1 - elen;

				memcpy(ebuf + elen, buf, take);
				elen += take;
			}
		}
	}
	ebuf[elen] = '\0';
	ebuf[strcspn(ebuf, "\n")] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		r = -EIO;
	if (r < 0)
		errmsg(err, errsize, r, "%s %s failed: %s", argv[0], argv[1],
		       ebuf[0]	     ? ebuf
		       : r == -EFBIG ? "too much output"
				     : "no message");
	if (r < 0 && out) {
		free(*out);
		*out = NULL;
	}
	return r;
}

int overlay_create(const char *backing, const char *backing_format, const char *overlay,
		   unsigned int cluster, char *err, size_t errsize)
{
	char opt[32], cwd[PATH_MAX], abs_backing[PATH_MAX];
	char *const argv[] = {
		(char *)overlay_qemu_img(),
		"create",
		"-q",
		"-f",
		"qcow2",
		"-o",
		opt,
		"-b",
		abs_backing,
		"-F",
		(char *)backing_format,
		(char *)overlay,
		NULL,
	};

	/*
	 * qemu-img resolves a relative backing file against the overlay's folder,
	 * not ours: a scenario named as ni/x.ini with image = emmc.img would
	 * point the overlay at WORKDIR/ni/emmc.img.
	 */
	if (backing[0] == '/') {
		snprintf(abs_backing, sizeof(abs_backing), "%s", backing);
	} else if (!getcwd(cwd, sizeof(cwd))) {
		int r = -errno;

		return errmsg(err, errsize, r,
			      "%s: the current folder, to make it absolute for qemu-img: %s",
			      backing, strerror(-r));
	} else if (snprintf(abs_backing, sizeof(abs_backing), "%s/%s", cwd, backing) >=
		   (int)sizeof(abs_backing)) {
		return errmsg(err, errsize, -ENAMETOOLONG,
			      "%s/%s: the path is too long: give a shorter one", cwd, backing);
	}
	snprintf(opt, sizeof(opt), "cluster_size=%u", cluster);
	return run(argv, NULL, err, errsize);
}

static uint64_t get_u64(json_object *o, const char *key, bool *ok)
{
	json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int)) {
		*ok = false;
		return 0;
	}
	n = json_object_get_int64(v);
	if (n < 0)
		*ok = false;
	return n < 0 ? 0 : n;
}

int overlay_map_parse(const char *text, struct overlay_map *m, char *err, size_t errsize)
{
	json_object *root = json_tokener_parse(text);
	size_t n;

	*m = (struct overlay_map){ 0 };
	if (!root || !json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return errmsg(err, errsize, -EPROTO, "qemu-img map printed no JSON array");
	}
	n = json_object_array_length(root);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(root, i);
		bool ok = true;
		uint64_t start = get_u64(e, "start", &ok), length = get_u64(e, "length", &ok);
		uint64_t depth = get_u64(e, "depth", &ok);
		struct overlay_range *last;

		if (!ok) {
			json_object_put(root);
			return errmsg(err, errsize, -EPROTO,
				      "qemu-img map: entry %zu lacks start/length/depth", i);
		}
		/* Depth 0 is the overlay itself: data or zeroes written there. */
		if (depth != 0 || !length)
			continue;
		m->bytes += length;
		last = m->nranges && m->nranges <= OVERLAY_MAX_RANGES ? &m->ranges[m->nranges - 1]
								      : NULL;
		if (last && last->offset + last->length == start) {
			last->length += length;
			continue;
		}
		if (m->nranges < OVERLAY_MAX_RANGES)
			m->ranges[m->nranges] = (struct overlay_range){ start, length };
		m->nranges++;
	}
	json_object_put(root);
	return 0;
}

int overlay_map(const char *overlay, struct overlay_map *m, char *err, size_t errsize)
{
	char *const argv[] = { (char *)overlay_qemu_img(), "map", "--output=json", (char *)overlay,
			       NULL };
	_cleanup_free_ char *out = NULL;
	int r = run(argv, &out, err, errsize);

	if (r < 0)
		return r;
	return overlay_map_parse(out ?: "", m, err, errsize);
}

void overlay_map_describe(const struct overlay_map *m, char *buf, size_t size)
{
	char total[32];
	size_t len;

	if (!m->nranges) {
		snprintf(buf, size, "0 bytes");
		return;
	}
	format_size(m->bytes, total, sizeof(total));
	len = snprintf(buf, size, "%llu bytes (%s) in %zu range%s:", (unsigned long long)m->bytes,
		       total, m->nranges, m->nranges == 1 ? "" : "s");
	for (size_t i = 0; i < m->nranges && i < OVERLAY_MAX_RANGES && len < size; i++)
		len += snprintf(buf + len, size - len, " %llu bytes at offset %llu%s",
				(unsigned long long)m->ranges[i].length,
				(unsigned long long)m->ranges[i].offset,
				i + 1 < m->nranges && i + 1 < OVERLAY_MAX_RANGES ? "," : "");
	if (m->nranges > OVERLAY_MAX_RANGES && len < size)
		snprintf(buf + len, size - len, ", ... (%zu more)",
			 m->nranges - OVERLAY_MAX_RANGES);
}
