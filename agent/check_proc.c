// SPDX-License-Identifier: GPL-2.0-or-later
#include "check_proc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "clock.h"
#include "lifetime.h"

/* Written by the child, read by the runner once the child is gone or killed. */
struct check_shared {
	char skip_reason[256];
	char doing[256]; /* check_doing() */
};

/* In the child: run the check, say how it went in the exit status. */
static void __attribute__((noreturn))
child(const struct agent_check *check, const struct check_env *env, int fd,
      struct check_shared *shared, const sigset_t *mask, pid_t runner)
{
	struct check_ctx ctx = { .env = env,
				 .out = stdout,
				 .doing = shared->doing,
				 .doing_size = sizeof(shared->doing) };
	int r;

	setpgid(0, 0);
	sigprocmask(SIG_SETMASK, mask, NULL);
	die_with_parent(runner);
	if (dup2(fd, 1) < 0)
		_exit(CHECK_EXIT_FAIL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = check->fn(&ctx);
	if (r < 0 && !ctx.failed)
		check_fail(&ctx, "check error: %s", strerror(-r));
	fflush(stdout);
	if (ctx.failed)
		_exit(CHECK_EXIT_FAIL);
	if (ctx.skipped) {
		snprintf(shared->skip_reason, sizeof(shared->skip_reason), "%s", ctx.skip_reason);
		_exit(CHECK_EXIT_SKIP);
	}
	_exit(CHECK_EXIT_PASS);
}

static int not_started(struct check_proc *p, int error)
{
	p->ended_ns = now_ns();
	check_outcome_not_started(error, &p->outcome);
	return -error;
}

int check_proc_start(struct check_proc *p, const struct agent_check *check,
		     const struct check_env *env, int live_fd, const sigset_t *child_mask)
{
	void *shared;
	pid_t runner;

	*p = (struct check_proc){ .check = check, .buf = -1, .started_ns = now_ns() };
	p->deadline_ns = p->started_ns + check->timeout_s * 1000000000ull;
	shared = mmap(NULL, sizeof(*p->shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED)
		return not_started(p, errno);
	p->shared = shared;
	if (live_fd < 0 && (p->buf = memfd_create(check->name, MFD_CLOEXEC)) < 0)
		return not_started(p, errno);
	/* Nothing buffered may be written twice, by the child too. */
	fflush(stdout);
	runner = getpid();
	p->pid = fork();
	if (p->pid < 0) {
		p->pid = 0;
		return not_started(p, errno);
	}
	if (p->pid == 0)
		child(check, env, live_fd >= 0 ? live_fd : p->buf, p->shared, child_mask, runner);
	/* Also here: the runner may kill the group before the child has set it. */
	setpgid(p->pid, p->pid);
	return 0;
}

void check_proc_reaped(struct check_proc *p, int status)
{
	p->ended_ns = now_ns();
	p->pid = 0;
	check_outcome_from_wait(status, false, p->shared->skip_reason, &p->outcome);
}

bool check_proc_expire(struct check_proc *p, uint64_t now)
{
	if (p->pid <= 0 || now < p->deadline_ns)
		return false;
	kill(-p->pid, SIGKILL);
	p->ended_ns = now;
	p->pid = 0;
	p->timed_out = true;
	check_outcome_from_wait(0, true, NULL, &p->outcome);
	check_outcome_timed_out((unsigned int)p->check->timeout_s, p->shared->doing, &p->outcome);
	return true;
}

/* All of it, through short writes and signals. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

void check_proc_copy_output(const struct check_proc *p, int fd)
{
	char buf[16384], last = '\n';
	off_t off = 0;
	ssize_t n;

	if (p->buf < 0)
		return;
	while (off < CHECK_OUTPUT_MAX && (n = pread(p->buf, buf, sizeof(buf), off)) > 0) {
		if (off + n > CHECK_OUTPUT_MAX)
			n = CHECK_OUTPUT_MAX - off;
		if (write_all(fd, buf, n) < 0)
			return;
		off += n;
		last = buf[n - 1];
	}
	if (last != '\n')
		dprintf(fd, "\n");
	if (off >= CHECK_OUTPUT_MAX && pread(p->buf, buf, 1, off) > 0)
		dprintf(fd, "# (%s: its output is cut here, at %d KiB)\n", p->check->name,
			CHECK_OUTPUT_MAX / 1024);
}

void check_proc_release(struct check_proc *p)
{
	if (p->buf >= 0)
		close(p->buf);
	p->buf = -1;
	if (p->shared)
		munmap(p->shared, sizeof(*p->shared));
	p->shared = NULL;
}
