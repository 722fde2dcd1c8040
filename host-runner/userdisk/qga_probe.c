// SPDX-License-Identifier: GPL-2.0-or-later
#include "userdisk/qga_probe.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "clock.h"
#include "errmsg.h"

void qga_probe_init(struct qga_probe *p, const char *socket_path)
{
	*p = (struct qga_probe){ .fd = -1, .id = (unsigned int)getpid() << 8 };
	snprintf(p->path, sizeof(p->path), "%s", socket_path);
}

void qga_probe_free(struct qga_probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->buf);
	p->buf = NULL;
}

long long qga_probe_sync_id(const char *line)
{
	json_object *o = json_tokener_parse(line), *ret;
	long long id = -1;

	if (o && json_object_object_get_ex(o, "return", &ret) &&
	    json_object_is_type(ret, json_type_int))
		id = json_object_get_int64(ret);
	json_object_put(o);
	return id;
}

static int connect_socket(struct qga_probe *p)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", p->path);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	p->fd = fd;
	return 0;
}

static int send_text(struct qga_probe *p, const char *text)
{
	size_t len = strlen(text);

	while (len) {
		ssize_t n = send(p->fd, text, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		text += n;
		len -= n;
	}
	return 0;
}

/* Read what is there within timeout_ms; a whole line moves to line. 1 a line, 0 none, -errno. */
static int read_line(struct qga_probe *p, int timeout_ms, char **line)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	*line = NULL;
	if (!p->buf && !(p->buf = malloc(QGA_PROBE_LINE_MAX + 1)))
		return -ENOMEM;
	for (;;) {
		p->buf[p->len] = '\0';
		nl = memchr(p->buf, '\n', p->len);
		if (nl) {
			*nl = '\0';
			*line = strdup(p->buf);
			p->len -= nl + 1 - p->buf;
			memmove(p->buf, nl + 1, p->len);
			return *line ? 1 : -ENOMEM;
		}
		if (p->len == QGA_PROBE_LINE_MAX)
			return -EMSGSIZE;
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return 0;
		n = recv(p->fd, p->buf + p->len, QGA_PROBE_LINE_MAX - p->len, 0);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		p->len += n;
		timeout_ms = 0;
	}
}

int qga_probe_step(struct qga_probe *p)
{
	char cmd[96], *line;
	int r;

	if (p->fd < 0 && connect_socket(p) < 0)
		return 0; /* QEMU not listening yet */
	if (now_s() - p->sent_at >= QGA_PROBE_RESEND_MS / 1000.0) {
		p->id++;
		snprintf(cmd, sizeof(cmd),
			 "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":%u}}\n", p->id);
		if ((r = send_text(p, cmd)) < 0)
			return r;
		p->sent_at = now_s();
	}
	while ((r = read_line(p, 0, &line)) > 0) {
		bool ours = qga_probe_sync_id(line) == p->id;

		free(line);
		if (ours)
			return 1;
	}
	return r;
}

int qga_probe_version(struct qga_probe *p, int timeout_ms, char *version, size_t size, char *err,
		      size_t errsize)
{
	double deadline = now_s() + timeout_ms / 1000.0;
	char *line;
	int r;

	if ((r = send_text(p, "{\"execute\":\"guest-info\"}\n")) < 0)
		return errmsg(err, errsize, r, "guest-info: cannot send: %s", strerror(-r));
	while (now_s() < deadline) {
		json_object *o, *ret, *v;

		r = read_line(p, 200, &line);
		if (r < 0)
			return errmsg(err, errsize, r, "guest-info: %s", strerror(-r));
		if (!r)
			continue;
		o = json_tokener_parse(line);
		free(line);
		if (o && json_object_object_get_ex(o, "return", &ret) &&
		    json_object_object_get_ex(ret, "version", &v)) {
			snprintf(version, size, "%.40s", json_object_get_string(v) ?: "?");
			for (char *c = version; *c; c++)
				if (*c < 0x20 || *c > 0x7e)
					*c = '?';
			json_object_put(o);
			return 0;
		}
		json_object_put(o);
	}
	return errmsg(err, errsize, -ETIMEDOUT, "guest-info: no answer within %d ms", timeout_ms);
}

int qga_probe_shutdown(struct qga_probe *p)
{
	return p->fd < 0 ? -ENOTCONN
			 : send_text(p, "{\"execute\":\"guest-shutdown\",\"arguments\":"
					"{\"mode\":\"powerdown\"}}\n");
}

int qga_probe_error(struct qga_probe *p, int timeout_ms, char *desc, size_t size)
{
	char *line;
	int r;

	if (p->fd < 0)
		return -ENOTCONN;
	while ((r = read_line(p, timeout_ms, &line)) > 0) {
		json_object *o = json_tokener_parse(line), *e, *d;
		bool error = o && json_object_object_get_ex(o, "error", &e);

		free(line);
		if (error) {
			snprintf(desc, size, "%.200s",
				 json_object_object_get_ex(e, "desc", &d)
					 ? json_object_get_string(d) ?: "?"
					 : "?");
			for (char *c = desc; *c; c++)
				if (*c < 0x20 || *c > 0x7e)
					*c = '?';
		}
		json_object_put(o);
		if (error)
			return 1;
	}
	return r;
}
