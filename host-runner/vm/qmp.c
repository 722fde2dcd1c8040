// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"

#define READ_CHUNK 65536

struct qmp {
	int fd;
	char *buf; /* bytes read, not yet a complete line */
	size_t len, cap;
	unsigned long next_id;
	struct qmp_event events[QMP_MAX_EVENTS];
	size_t nevents, dropped;
	char error[256];
};

static int remaining_ms(double deadline)
{
	double left = (deadline - now_s()) * 1000;

	return left <= 0 ? 0 : left > 3600000 ? 3600000 : (int)left + 1;
}

/* Wait up to timeout_ms for bytes and append them. 0, -ETIMEDOUT, -EPIPE, -EMSGSIZE. */
static int fill(struct qmp *q, int timeout_ms)
{
	struct pollfd p = { .fd = q->fd, .events = POLLIN };
	ssize_t n;
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return errmsg(q->error, sizeof(q->error), -errno, "poll failed: %s",
			      strerror(errno));
	if (r == 0)
		return -ETIMEDOUT;
	if (q->len + READ_CHUNK > q->cap) {
		size_t cap = q->len + READ_CHUNK;
		char *b;

		if (cap > QMP_MAX_MESSAGE + READ_CHUNK)
			return errmsg(q->error, sizeof(q->error), -EMSGSIZE,
				      "a QMP message longer than %u bytes: QEMU sent "
				      "garbage",
				      QMP_MAX_MESSAGE);
		b = realloc(q->buf, cap);
		if (!b)
			return errmsg(q->error, sizeof(q->error), -ENOMEM, "out of memory");
		q->buf = b;
		q->cap = cap;
	}
	n = read(q->fd, q->buf + q->len, q->cap - q->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return errmsg(q->error, sizeof(q->error), -EPIPE, "QEMU closed the QMP connection");
	q->len += n;
	return 0;
}

/* The next complete line as JSON: 1 with *msg, 0 if none yet, or -errno. */
static int next_message(struct qmp *q, json_object **msg)
{
	enum json_tokener_error jerr;
	char *nl;
	size_t line;
	bool bad;

	*msg = NULL;
	for (;;) {
		nl = q->len ? memchr(q->buf, '\n', q->len) : NULL;
		if (!nl) {
			if (q->len > QMP_MAX_MESSAGE)
				return errmsg(
					q->error, sizeof(q->error), -EMSGSIZE,
					"a QMP message longer than %u bytes: QEMU sent garbage",
					QMP_MAX_MESSAGE);
			return 0;
		}
		*nl = '\0';
		line = nl - q->buf + 1;
		if (nl > q->buf && nl[-1] == '\r')
			nl[-1] = '\0';
		bad = false;
		if (q->buf[0]) {
			*msg = json_tokener_parse_verbose(q->buf, &jerr);
			bad = !*msg || !json_object_is_type(*msg, json_type_object);
			if (bad && *msg) {
				json_object_put(*msg);
				*msg = NULL;
			}
		}
		memmove(q->buf, q->buf + line, q->len - line);
		q->len -= line;
		if (*msg)
			return 1;
		if (bad)
			return errmsg(q->error, sizeof(q->error), -EPROTO,
				      "QEMU sent a line that is not a JSON object");
	}
}

static void copy_name(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 1 < size; src++)
		dst[n++] =
			(*src >= 'A' && *src <= 'Z') || (*src >= '0' && *src <= '9') || *src == '_'
				? *src
				: '?';
	dst[n] = '\0';
}

/* Keeps an event; returns true when msg was one (and is consumed). */
static bool take_event(struct qmp *q, json_object *msg)
{
	json_object *name, *ts, *v;
	struct qmp_event *e;

	if (!json_object_object_get_ex(msg, "event", &name))
		return false;
	if (q->nevents == QMP_MAX_EVENTS) {
		q->dropped++;
		json_object_put(msg);
		return true;
	}
	e = &q->events[q->nevents++];
	*e = (struct qmp_event){ .host_time = now_s(), .qemu_time = -1 };
	copy_name(e->name, sizeof(e->name), json_object_get_string(name));
	if (json_object_object_get_ex(msg, "timestamp", &ts) &&
	    json_object_is_type(ts, json_type_object) &&
	    json_object_object_get_ex(ts, "seconds", &v)) {
		e->qemu_time = json_object_get_int64(v);
		if (json_object_object_get_ex(ts, "microseconds", &v))
			e->qemu_time += json_object_get_int64(v) / 1e6;
	}
	if (json_object_object_get_ex(msg, "data", &v))
		e->data = json_object_get(v);
	json_object_put(msg);
	return true;
}

int qmp_read_events(struct qmp *q, int timeout_ms)
{
	double deadline = now_s() + timeout_ms / 1000.0;
	bool first = true;

	for (;;) {
		json_object *msg;
		int r;

		while ((r = next_message(q, &msg)) == 1)
			if (!take_event(q, msg))
				json_object_put(msg); /* a late reply nobody waits for */
		if (r < 0)
			return r;
		r = fill(q, first ? remaining_ms(deadline) : 0);
		first = false;
		if (r == -ETIMEDOUT)
			return 0;
		if (r < 0)
			return r;
	}
}

/* The first byte that leaves carries pass_fd (SCM_RIGHTS) when it is not -1. */
static ssize_t send_some(struct qmp *q, const char *s, size_t len, int *pass_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = { 0 };
	struct iovec iov = { .iov_base = (void *)s, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	ssize_t n;

	if (*pass_fd < 0)
		return send(q->fd, s, len, MSG_NOSIGNAL);
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), pass_fd, sizeof(int));
	n = sendmsg(q->fd, &msg, MSG_NOSIGNAL);
	if (n > 0)
		*pass_fd = -1;
	return n;
}

static int send_all(struct qmp *q, const char *s, size_t len, int *pass_fd, double deadline)
{
	while (len) {
		ssize_t n = send_some(q, s, len, pass_fd);
		struct pollfd p = { .fd = q->fd, .events = POLLOUT };

		if (n > 0) {
			s += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return errmsg(q->error, sizeof(q->error), -EPIPE,
				      "QEMU closed the QMP connection: %s", strerror(errno));
		if (poll(&p, 1, remaining_ms(deadline)) == 0)
			return errmsg(q->error, sizeof(q->error), -ETIMEDOUT,
				      "QEMU does not read its QMP socket");
	}
	return 0;
}

/* The reply's "error" as "Class: description". */
static int reply_error(struct qmp *q, const char *command, json_object *error)
{
	json_object *cls = NULL, *desc = NULL;

	json_object_object_get_ex(error, "class", &cls);
	json_object_object_get_ex(error, "desc", &desc);
	return errmsg(q->error, sizeof(q->error), -EREMOTEIO, "%s: %s: %s", command,
		      cls ? json_object_get_string(cls) : "Error",
		      desc ? json_object_get_string(desc) : "(no description)");
}

static int execute(struct qmp *q, const char *command, json_object *args, int pass_fd,
		   int timeout_ms, json_object **ret)
{
	double deadline = now_s() + timeout_ms / 1000.0;
	json_object *req = json_object_new_object();
	char id[32];
	const char *text;
	int r;

	if (ret)
		*ret = NULL;
	if (!req)
		return errmsg(q->error, sizeof(q->error), -ENOMEM, "out of memory");
	snprintf(id, sizeof(id), "guestcheck-%lu", ++q->next_id);
	json_object_object_add(req, "execute", json_object_new_string(command));
	if (args)
		json_object_object_add(req, "arguments", json_object_get(args));
	json_object_object_add(req, "id", json_object_new_string(id));
	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	r = send_all(q, text, strlen(text), &pass_fd, deadline);
	if (r == 0)
		r = send_all(q, "\n", 1, &pass_fd, deadline);
	json_object_put(req);
	if (r < 0)
		return r;
	for (;;) {
		json_object *msg, *v;

		r = next_message(q, &msg);
		if (r < 0)
			return r;
		if (r == 0) {
			r = fill(q, remaining_ms(deadline));
			if (r == -ETIMEDOUT)
				return errmsg(q->error, sizeof(q->error), r,
					      "%s: no reply within %d ms", command, timeout_ms);
			if (r < 0)
				return r;
			continue;
		}
		if (take_event(q, msg))
			continue;
		if (!json_object_object_get_ex(msg, "id", &v) ||
		    strcmp(json_object_get_string(v) ?: "", id)) {
			json_object_put(msg);
			continue;
		}
		if (json_object_object_get_ex(msg, "error", &v))
			r = reply_error(q, command, v);
		else if (json_object_object_get_ex(msg, "return", &v)) {
			if (ret)
				*ret = json_object_get(v);
			r = 0;
		} else
			r = errmsg(q->error, sizeof(q->error), -EPROTO,
				   "%s: a reply with neither return nor error", command);
		json_object_put(msg);
		return r;
	}
}

int qmp_execute(struct qmp *q, const char *command, json_object *args, int timeout_ms,
		json_object **ret)
{
	return execute(q, command, args, -1, timeout_ms, ret);
}

int qmp_hmp(struct qmp *q, const char *command_line, int timeout_ms, char **text)
{
	json_object *args = json_object_new_object(), *ret = NULL;
	int r;

	*text = NULL;
	if (!args)
		return errmsg(q->error, sizeof(q->error), -ENOMEM, "out of memory");
	json_object_object_add(args, "command-line", json_object_new_string(command_line));
	r = qmp_execute(q, "human-monitor-command", args, timeout_ms, &ret);
	json_object_put(args);
	if (r < 0)
		return r;
	if (!json_object_is_type(ret, json_type_string))
		r = errmsg(q->error, sizeof(q->error), -EPROTO, "`%s`: the answer is not text",
			   command_line);
	else if (!(*text = strdup(json_object_get_string(ret))))
		r = errmsg(q->error, sizeof(q->error), -ENOMEM, "out of memory");
	json_object_put(ret);
	return r;
}

int qmp_send_fd(struct qmp *q, int fd, const char *fdname, int timeout_ms)
{
	json_object *args = json_object_new_object();
	int r;

	if (!args)
		return errmsg(q->error, sizeof(q->error), -ENOMEM, "out of memory");
	json_object_object_add(args, "fdname", json_object_new_string(fdname));
	r = execute(q, "getfd", args, fd, timeout_ms, NULL);
	json_object_put(args);
	return r;
}

static int negotiate(struct qmp *q, int timeout_ms)
{
	double deadline = now_s() + timeout_ms / 1000.0;
	json_object *msg, *v;
	int r;

	for (;;) {
		r = next_message(q, &msg);
		if (r < 0)
			return r;
		if (r == 1)
			break;
		r = fill(q, remaining_ms(deadline));
		if (r == -ETIMEDOUT)
			return errmsg(q->error, sizeof(q->error), r, "no QMP greeting within %d ms",
				      timeout_ms);
		if (r < 0)
			return r;
	}
	r = json_object_object_get_ex(msg, "QMP", &v) ? 0 : -EPROTO;
	json_object_put(msg);
	if (r < 0)
		return errmsg(q->error, sizeof(q->error), r,
			      "the first QMP message is no greeting: not a QMP socket?");
	return qmp_execute(q, "qmp_capabilities", NULL, remaining_ms(deadline), NULL);
}

int qmp_attach(int fd, int timeout_ms, struct qmp **out, char *err, size_t errsize)
{
	struct qmp *q = calloc(1, sizeof(*q));
	int r, flags;

	*out = NULL;
	if (!q) {
		close(fd);
		return errmsg(err, errsize, -ENOMEM, "out of memory");
	}
	q->fd = fd;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		r = errmsg(q->error, sizeof(q->error), -errno,
			   "cannot make the QMP socket non-blocking: %s", strerror(errno));
	} else {
		r = negotiate(q, timeout_ms);
	}
	if (r < 0) {
		errmsg(err, errsize, r, "QMP: %s", q->error);
		qmp_close(q);
		return r;
	}
	*out = q;
	return 0;
}

int qmp_connect(const char *path, int timeout_ms, struct qmp **out, char *err, size_t errsize)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	*out = NULL;
	if (strlen(path) >= sizeof(addr.sun_path))
		return errmsg(err, errsize, -ENAMETOOLONG, "%s: socket path too long (max %zu)",
			      path, sizeof(addr.sun_path) - 1);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int r = -errno;

		errmsg(err, errsize, r,
		       "%s: cannot connect to QMP: %s: is QEMU running with -qmp "
		       "unix:%s,server=on?",
		       path, strerror(-r), path);
		if (fd >= 0)
			close(fd);
		return r;
	}
	return qmp_attach(fd, timeout_ms, out, err, errsize);
}

size_t qmp_event_count(const struct qmp *q)
{
	return q->nevents;
}

const struct qmp_event *qmp_event_at(const struct qmp *q, size_t i)
{
	return i < q->nevents ? &q->events[i] : NULL;
}

const struct qmp_event *qmp_event_find(const struct qmp *q, const char *name)
{
	for (size_t i = 0; i < q->nevents; i++)
		if (!strcmp(q->events[i].name, name))
			return &q->events[i];
	return NULL;
}

size_t qmp_events_dropped(const struct qmp *q)
{
	return q->dropped;
}

int qmp_fd(const struct qmp *q)
{
	return q->fd;
}

const char *qmp_error(const struct qmp *q)
{
	return q->error[0] ? q->error : "no error";
}

void qmp_close(struct qmp *q)
{
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	for (size_t i = 0; i < q->nevents; i++)
		json_object_put(q->events[i].data);
	free(q->buf);
	free(q);
}
