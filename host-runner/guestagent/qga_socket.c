// SPDX-License-Identifier: GPL-2.0-or-later
/* The agent's unix socket: our framing, guest-sync-delimited after connect and after a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errmsg.h"

#include "guestagent/qga_channel.h"
#include "guestagent/qga_wire.h"

struct qga_socket {
	struct qga_channel ch;
	int fd;
	struct qga_reader rd;
	bool need_sync; /* a reply may still be in flight: resync before the next request */
	char in[65536]; /* bytes read, not yet fed */
	size_t in_off, in_len;
};

static int write_all(struct qga_socket *s, const char *buf, size_t len, uint64_t deadline)
{
	while (len) {
		struct pollfd p = { .fd = s->fd, .events = POLLOUT };
		int64_t left = (int64_t)(deadline - now_ms());
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		n = send(s->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* The next complete line into s->rd, by the deadline. */
static int read_line(struct qga_socket *s, uint64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		int64_t left;
		ssize_t n;

		if (s->in_off < s->in_len) {
			s->in_off +=
				qga_reader_feed(&s->rd, s->in + s->in_off, s->in_len - s->in_off);
			if (s->rd.line_ready)
				return 0;
			continue;
		}
		left = (int64_t)(deadline - now_ms());
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(s->fd, s->in, sizeof(s->in), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENOTCONN;
		s->in_off = 0;
		s->in_len = n;
	}
}

static int sync_agent(struct qga_socket *s, uint64_t deadline, char *err, size_t errsize)
{
	/* Unique enough: a stale reply to an earlier sync must not match. */
	int64_t id = (int64_t)(now_ns() ^ ((uint64_t)getpid() << 32)) & INT32_MAX;
	char req[128];
	int r;

	snprintf(req, sizeof(req),
		 "%c{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%" PRId64 "}}\n",
		 QGA_SENTINEL, id);
	s->in_off = s->in_len = 0;
	qga_reader_expect_sentinel(&s->rd);
	if ((r = write_all(s, req, strlen(req), deadline)) < 0)
		goto fail;
	for (;;) {
		if ((r = read_line(s, deadline)) < 0)
			goto fail;
		if (qga_reply_is_sync(s->rd.buf, s->rd.len, id)) {
			qga_reader_next_line(&s->rd);
			s->need_sync = false;
			return 0;
		}
		/* A stale reply, or garbage: keep looking for ours, after a sentinel. */
		qga_reader_next_line(&s->rd);
		qga_reader_expect_sentinel(&s->rd);
	}
fail:
	if (r == -ETIMEDOUT)
		return errmsg(
			err, errsize, r,
			"%s: no guest agent answered guest-sync-delimited: start qemu-ga in "
			"the guest (Debian: apt-get install qemu-guest-agent) and give the VM "
			"-device virtserialport,chardev=...,name=org.qemu.guest_agent.0",
			s->ch.where);
	if (r == -ENOTCONN || r == -ECONNRESET || r == -EPIPE)
		return errmsg(
			err, errsize, -ENOTCONN,
			"%s: the socket closed while syncing with the guest agent: is another "
			"client (libvirt, another guestcheck) using it?",
			s->ch.where);
	return errmsg(err, errsize, r, "%s: cannot sync with the guest agent: %s", s->ch.where,
		      strerror(-r));
}

static int socket_call(struct qga_channel *c, const char *request, char **reply, size_t *len,
		       unsigned int timeout_ms, char *err, size_t errsize)
{
	struct qga_socket *s = (struct qga_socket *)c;
	uint64_t deadline = now_ms() + timeout_ms;
	int r;

	*reply = NULL;
	*len = 0;
	if (s->fd < 0)
		return errmsg(err, errsize, -ENOTCONN, "%s: closed after an error", c->where);
	if (s->need_sync && (r = sync_agent(s, deadline, err, errsize)) < 0)
		return r;
	s->need_sync = true; /* until its reply is read */
	if ((r = write_all(s, request, strlen(request), deadline)) == 0)
		r = read_line(s, deadline);
	if (r == -ETIMEDOUT)
		return errmsg(err, errsize, r, "%s: no reply within %u s", c->where,
			      timeout_ms / 1000);
	if (r < 0)
		return errmsg(err, errsize, r, "%s: %s", c->where,
			      r == -ENOTCONN ? "the socket closed: the guest agent went away"
					     : strerror(-r));
	s->need_sync = false;
	*reply = malloc(s->rd.len + 1);
	if (!*reply)
		return -ENOMEM;
	memcpy(*reply, s->rd.buf, s->rd.len + 1);
	*len = s->rd.len;
	qga_reader_next_line(&s->rd);
	return 0;
}

static void socket_close(struct qga_channel *c)
{
	struct qga_socket *s = (struct qga_socket *)c;

	if (s->fd >= 0)
		close(s->fd);
	qga_reader_free(&s->rd);
	free(s);
}

static const struct qga_channel_ops socket_ops = { .call = socket_call, .close = socket_close };

int qga_socket_open(const char *path, unsigned int timeout_ms, struct qga_channel **out, char *err,
		    size_t errsize)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct qga_socket *s;
	struct stat st;
	int r;

	*out = NULL;
	if (stat(path, &st) < 0)
		return errmsg(err, errsize, -ENOENT,
			      "--qga %s: %s: name the socket of the VM's guest agent channel "
			      "(-chardev socket,path=FILE,server=on,wait=off,id=qga0 -device "
			      "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0)",
			      path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return errmsg(err, errsize, -ENOTSOCK,
			      "--qga %s: not a unix socket: name the path of the VM's -chardev "
			      "socket for org.qemu.guest_agent.0",
			      path);
	if (strlen(path) >= sizeof(sa.sun_path))
		return errmsg(err, errsize, -ENAMETOOLONG,
			      "--qga %s: longer than a unix socket path may be (%zu bytes): use a "
			      "shorter path or a symbolic link",
			      path, sizeof(sa.sun_path) - 1);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ch.ops = &socket_ops;
	snprintf(s->ch.where, sizeof(s->ch.where), "qga socket %s", path);
	qga_reader_init(&s->rd, QGA_MAX_REPLY);
	s->need_sync = true;
	strcpy(sa.sun_path, path);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->fd < 0 ||
	    (connect(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS)) {
		r = -errno;
		socket_close(&s->ch);
		if (r == -ECONNREFUSED)
			return errmsg(err, errsize, r,
				      "--qga %s: nothing listens there: start the VM (its -chardev "
				      "socket,server=on for org.qemu.guest_agent.0) or name its "
				      "socket",
				      path);
		return errmsg(err, errsize, r, "--qga %s: cannot connect: %s", path, strerror(-r));
	}
	r = sync_agent(s, now_ms() + timeout_ms, err, errsize);
	if (r < 0) {
		socket_close(&s->ch);
		return r;
	}
	*out = &s->ch;
	return 0;
}
