// SPDX-License-Identifier: GPL-2.0-or-later
#include "guestagent/command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

/* Append to *dst (NUL-terminated), at most max bytes in all; *cut when some were dropped. */
static int keep(char **dst, size_t *dstlen, bool *cut, size_t max, const char *buf, size_t n)
{
	size_t room = max - *dstlen;
	char *p;

	if (n > room) {
		*cut = true;
		n = room;
	}
	if (!n)
		return 0;
	p = realloc(*dst, *dstlen + n + 1);
	if (!p)
		return -ENOMEM;
	*dst = p;
	memcpy(p + *dstlen, buf, n);
	*dstlen += n;
	p[*dstlen] = '\0';
	return 0;
}

int command_capture(const char *const *argv, const void *input, size_t len, size_t max_out,
		    uint64_t timeout_ms, struct command_output *o)
{
	return command_capture_term(argv, input, len, max_out, 0, timeout_ms, 0, o);
}

int command_capture_term(const char *const *argv, const void *input, size_t len, size_t max_out,
			 size_t max_err, uint64_t timeout_ms, uint64_t grace_ms,
			 struct command_output *o)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, in[2] = { -1, -1 }, exec_err[2] = { -1, -1 };
	uint64_t deadline = now_ms() + timeout_ms;
	size_t errlen = 0, written = 0;
	bool timed_out = false;
	int status, child_errno = 0, r = 0;
	pid_t pid;

	*o = (struct command_output){ 0 };
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(in, O_CLOEXEC) < 0 ||
	    pipe2(exec_err, O_CLOEXEC) < 0) {
		r = -errno;
		goto close_all;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto close_all;
	}
	if (pid == 0) {
		int e;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(argv[0], (char *const *)argv);
		e = errno;
		if (write(exec_err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(exec_err[1]);
	exec_err[1] = -1;
	if (read(exec_err[0], &child_errno, sizeof(child_errno)) != sizeof(child_errno))
		child_errno = 0;
	close(in[0]);
	in[0] = -1;
	close(out[1]);
	out[1] = -1;
	close(err[1]);
	err[1] = -1;
	if (!input || !len) {
		close(in[1]);
		in[1] = -1;
	} else {
		fcntl(in[1], F_SETFL, O_NONBLOCK);
	}
	while (out[0] >= 0 || err[0] >= 0) {
		struct pollfd p[3] = { { .fd = out[0], .events = POLLIN },
				       { .fd = err[0], .events = POLLIN },
				       { .fd = in[1], .events = POLLOUT } };
		int64_t left = (int64_t)(deadline - now_ms());
		char buf[65536];
		ssize_t n;

		if (left <= 0 && !timed_out && grace_ms) {
			/* SIGTERM first: `incus exec` passes it on to the guest's process. */
			timed_out = true;
			kill(pid, SIGTERM);
			deadline = now_ms() + grace_ms;
			continue;
		}
		if (left <= 0) {
			timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(p, 3, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			kill(pid, SIGKILL);
			break;
		}
		if (p[2].revents) {
			n = write(in[1], (const char *)input + written, len - written);
			if (n > 0)
				written += n;
			if ((n < 0 && errno != EAGAIN) || written == len) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (p[0].revents) {
			n = read(out[0], buf, sizeof(buf));
			if (n <= 0) {
				close(out[0]);
				out[0] = -1;
			} else if (keep(&o->out, &o->outlen, &o->out_cut, max_out, buf, n) < 0) {
				r = -ENOMEM;
				kill(pid, SIGKILL);
				break;
			}
		}
		if (p[1].revents) {
			n = read(err[0], buf, sizeof(buf));
			if (n <= 0) {
				close(err[0]);
				err[0] = -1;
			} else if (max_err &&
				   keep(&o->errout, &o->errlen, &o->err_cut, max_err, buf, n) < 0) {
				r = -ENOMEM;
				kill(pid, SIGKILL);
				break;
			} else if (errlen < sizeof(o->err) - 1) {
				size_t k = sizeof(o->err) - 1 - errlen;

				memcpy(o->err + errlen, buf, (size_t)n < k ? (size_t)n : k);
				errlen += (size_t)n < k ? (size_t)n : k;
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (!r && child_errno)
		r = -child_errno;
	else if (!r && timed_out)
		r = -ETIME;
close_all:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
		if (in[i] >= 0)
			close(in[i]);
		if (exec_err[i] >= 0)
			close(exec_err[i]);
	}
	return r;
}
