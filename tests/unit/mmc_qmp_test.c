// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host-runner/vm/qmp.c against a scripted fake QEMU in a child process:
 * negotiation, replies matched by id, events kept with timestamps, errors,
 * timeouts, garbage and oversized lines, a peer that goes away, and
 * connecting to a server socket.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "vm/qmp.h"

#define GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"major\": 7}}, \"capabilities\": []}}\r\n"

/*
 * The fake's script, one step per string: "<REPLY" reads one request and
 * answers REPLY with @ID@ replaced by the request's id; ">LINE" sends a
 * line; "!N" sends N bytes without a newline; "~MS" sleeps; "." waits for
 * the peer to close.
 */
static void fake_qemu(int fd, const char *const *script)
{
	char req[4096];

	for (; *script; script++) {
		const char *s = *script;

		if (s[0] == '>') {
			if (write(fd, s + 1, strlen(s + 1)) < 0)
				_exit(1);
		} else if (s[0] == '!') {
			size_t n = strtoul(s + 1, NULL, 10);
			char *junk = malloc(n);

			memset(junk, 'x', n);
			if (write(fd, junk, n) < 0)
				_exit(1);
			free(junk);
		} else if (s[0] == '<') {
			size_t len = 0;
			char *id, *end, out[8192];
			const char *at;

			while (len < sizeof(req) - 1 && read(fd, req + len, 1) == 1 &&
			       req[len] != '\n')
				len++;
			req[len] = '\0';
			id = strstr(req, "\"id\":\"");
			if (!id)
				_exit(2);
			id += 6;
			end = strchr(id, '"');
			*end = '\0';
			at = strstr(s + 1, "@ID@");
			if (at)
				snprintf(out, sizeof(out), "%.*s%s%s\r\n", (int)(at - s - 1), s + 1,
					 id, at + 4);
			else
				snprintf(out, sizeof(out), "%s\r\n", s + 1);
			if (write(fd, out, strlen(out)) < 0)
				_exit(1);
		} else if (s[0] == '~') {
			usleep(strtoul(s + 1, NULL, 10) * 1000);
		} else if (s[0] == '.') {
			char c;

			while (read(fd, &c, 1) > 0)
				;
		}
	}
	_exit(0);
}

static pid_t start_fake(int *fd, const char *const *script)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		fake_qemu(sv[1], script);
	}
	close(sv[1]);
	*fd = sv[0];
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST(negotiates_executes_and_keeps_events)
{
	static const char *const script[] = {
		">" GREETING,
		"<{\"return\": {}, \"id\": \"@ID@\"}",
		">{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 500000}, "
		"\"event\": \"STOP\"}\r\n",
		"<{\"return\": {}, \"id\": \"someone-else\"}\r\n"
		"{\"event\": \"RESUME\", \"data\": {\"x\": 1}}\r\n"
		"{\"return\": [{\"device\": \"emmc\", \"stats\": {\"wr_operations\": 3, "
		"\"wr_bytes\": 1536, \"wr_highest_offset\": 4096}}], \"id\": \"@ID@\"}",
		".",
		NULL,
	};
	struct qmp *q;
	json_object *ret, *stats, *v;
	const struct qmp_event *e;
	char err[256];
	int fd;
	pid_t pid = start_fake(&fd, script);

	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, qmp_attach(fd, 2000, &q, err, sizeof(err)));
	ASSERT_EQ(0, qmp_read_events(q, 500));
	ASSERT_EQ(0, qmp_execute(q, "query-blockstats", NULL, 2000, &ret));
	ASSERT_TRUE(json_object_is_type(ret, json_type_array));
	ASSERT_TRUE(json_object_object_get_ex(json_object_array_get_idx(ret, 0), "stats", &stats));
	ASSERT_TRUE(json_object_object_get_ex(stats, "wr_highest_offset", &v));
	EXPECT_EQ(4096, json_object_get_int64(v));
	json_object_put(ret);
	ASSERT_EQ(2U, qmp_event_count(q));
	e = qmp_event_find(q, "STOP");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1700000000.5, e->qemu_time);
	EXPECT_GT(e->host_time, 0);
	e = qmp_event_find(q, "RESUME");
	ASSERT_NE(NULL, e);
	EXPECT_NE(NULL, e->data);
	EXPECT_EQ(NULL, qmp_event_find(q, "SHUTDOWN"));
	qmp_close(q);
	reap(pid);
}

TEST(errors_timeouts_and_garbage)
{
	static const char *const script[] = {
		">" GREETING,
		"<{\"return\": {}, \"id\": \"@ID@\"}",
		"<{\"error\": {\"class\": \"GenericError\", \"desc\": \"no such thing\"}, "
		"\"id\": \"@ID@\"}",
		"<{\"return\": {}, \"id\": \"not-this-one\"}", /* the next command times out */
		"~700",
		">[1, 2, 3]\r\n",
		"!2000000",
		".",
		NULL,
	};
	struct qmp *q;
	char err[256];
	int fd, r;
	pid_t pid = start_fake(&fd, script);

	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, qmp_attach(fd, 2000, &q, err, sizeof(err)));
	EXPECT_EQ(-EREMOTEIO, qmp_execute(q, "frobnicate", NULL, 2000, NULL));
	EXPECT_STREQ("frobnicate: GenericError: no such thing", qmp_error(q));
	EXPECT_EQ(-ETIMEDOUT, qmp_execute(q, "stop", NULL, 300, NULL));
	EXPECT_NE(NULL, strstr(qmp_error(q), "no reply within 300 ms"));
	EXPECT_EQ(-EPROTO, qmp_read_events(q, 1000));
	/* An endless line: cut off at QMP_MAX_MESSAGE, however it arrives. */
	for (int i = 0; i < 1000 && (r = qmp_read_events(q, 2000)) == 0; i++)
		;
	EXPECT_EQ(-EMSGSIZE, r);
	qmp_close(q);
	reap(pid);
}

TEST(no_greeting_and_a_vanishing_peer)
{
	static const char *const not_qmp[] = { ">{\"hello\": 1}\r\n", ".", NULL };
	static const char *const silent[] = { ".", NULL };
	static const char *const gone[] = { ">" GREETING, "<{\"return\": {}, \"id\": \"@ID@\"}",
					    NULL };
	struct qmp *q;
	char err[256];
	int fd;
	pid_t pid = start_fake(&fd, not_qmp);

	EXPECT_EQ(-EPROTO, qmp_attach(fd, 2000, &q, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no greeting"));
	EXPECT_EQ(NULL, q);
	reap(pid);

	pid = start_fake(&fd, silent);
	EXPECT_EQ(-ETIMEDOUT, qmp_attach(fd, 200, &q, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no QMP greeting within 200 ms"));
	reap(pid);

	pid = start_fake(&fd, gone);
	ASSERT_EQ(0, qmp_attach(fd, 2000, &q, err, sizeof(err)));
	waitpid(pid, NULL, 0);
	EXPECT_EQ(-EPIPE, qmp_read_events(q, 1000));
	EXPECT_EQ(-EPIPE, qmp_execute(q, "quit", NULL, 1000, NULL));
	qmp_close(q);
}

TEST(connects_to_a_server_socket)
{
	static const char *const script[] = { ">" GREETING, "<{\"return\": {}, \"id\": \"@ID@\"}",
					      "<{\"return\": {\"status\": \"running\"}, \"id\": "
					      "\"@ID@\"}",
					      ".", NULL };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/qmp-test-XXXXXX", err[256];
	json_object *ret, *status;
	struct qmp *q;
	int lfd;
	pid_t pid;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/qmp.sock", dir);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_EQ(0, listen(lfd, 1));
	pid = fork();
	if (pid == 0)
		fake_qemu(accept(lfd, NULL, NULL), script);
	close(lfd);
	ASSERT_EQ(0, qmp_connect(addr.sun_path, 2000, &q, err, sizeof(err)));
	ASSERT_EQ(0, qmp_execute(q, "query-status", NULL, 2000, &ret));
	ASSERT_TRUE(json_object_object_get_ex(ret, "status", &status));
	EXPECT_STREQ("running", json_object_get_string(status));
	json_object_put(ret);
	qmp_close(q);
	reap(pid);
	unlink(addr.sun_path);
	rmdir(dir);
	EXPECT_EQ(-ENOENT, qmp_connect(addr.sun_path, 100, &q, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "cannot connect to QMP"));
}

TEST_HARNESS_MAIN
