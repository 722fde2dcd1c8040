// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vm/unix_socket.h"
#include "devices/device_type.h"
#include "vm/console_tail.h"
#include "session/initrd.h"
#include "usbnet/peer.h"
#include "protocol.h"
#include "vm/qemu_argv.h"
#include "vm/qemu_process.h"
#include "vm/qmp.h"
#include "session/session.h"

#define POWEROFF_WAIT_MS 10000
#define STOP_GRACE_MS    2000
#define QMP_TIMEOUT_MS   5000

enum {
	FD_SIGNAL,
	FD_KTAP_LISTEN,
	FD_CONSOLE_LISTEN,
	FD_QMP_LISTEN,
	FD_KTAP,
	FD_CONSOLE,
	FD_QMP,
	NFDS
};

struct capped_log {
	int fd;
	size_t written, limit, dropped;
};

struct session {
	const struct session_config *c;
	struct run_result *r;
	struct ktap_parser *parser;
	char rundir[64];
	struct pollfd fds[NFDS];
	struct capped_log ktap_log, console_log;
	struct console_tail tail;
	pid_t qemu;
	bool qemu_reaped;
	int qemu_status;
	double start;
	bool hello, end;
	size_t reported; /* results already shown as progress */
	/* QMP is spoken only for an at_end hook; the client owns fds[FD_QMP]. */
	struct qmp *qmp;
	struct peers peers; /* usb-net probe peers and hot-plug (peer.h) */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void log_write(struct capped_log *log, const char *buf, size_t len)
{
	size_t room = log->limit - log->written;

	if (log->fd < 0)
		return;
	if (len > room) {
		log->dropped += len - room;
		len = room;
	}
	if (len && write(log->fd, buf, len) == (ssize_t)len)
		log->written += len;
}

static int open_log(struct session *s, struct capped_log *log, const char *name, size_t limit)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s%s", s->c->results_dir, s->c->log_prefix, name);
	log->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	log->limit = limit;
	return log->fd < 0 ? -errno : 0;
}

static void progress(struct session *s, const char *fmt, ...) __printf(2, 3);
static void progress(struct session *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->c->progress)
		return;
	fprintf(s->c->progress, "[%6.1fs] %s: ", now_s() - s->start, s->c->scenario->name);
	va_start(ap, fmt);
	vfprintf(s->c->progress, fmt, ap);
	va_end(ap);
	fputc('\n', s->c->progress);
	fflush(s->c->progress);
}

static void on_ktap(struct session *s, const char *buf, size_t len)
{
	const struct ktap_run *run;

	log_write(&s->ktap_log, buf, len);
	ktap_parser_feed(s->parser, buf, len);
	run = ktap_parser_run(s->parser);
	if (!s->hello && run->saw_hello) {
		s->hello = true;
		s->r->boot_seconds = now_s() - s->start;
		progress(s, "guest up after %.1f s (kernel %s, agent %s)", s->r->boot_seconds,
			 run->guest_kernel, run->agent_version);
	}
	peers_on_ktap(&s->peers, run);
	for (; s->reported < run->ntests; s->reported++) {
		const struct ktap_test *t = &run->tests[s->reported];

		if (t->status == KTAP_NOT_RUN)
			break;
		progress(s, "%-7s %s", ktap_status_name(t->status), t->name);
	}
	if (!s->end && run->saw_end) {
		s->end = true;
		if (s->c->at_end)
			s->c->at_end(s->qmp, s->c->opaque);
		/* Release the agent: it waits for this before powering off. */
		send(s->fds[FD_KTAP].fd, AGENT_ACK_LINE, strlen(AGENT_ACK_LINE), MSG_NOSIGNAL);
	}
}

static void on_console(struct session *s, const char *buf, size_t len)
{
	log_write(&s->console_log, buf, len);
	console_tail_append(&s->tail, buf, len);
}

/* Read what is there; returns false at EOF or on error. */
static bool pump(struct session *s, int which)
{
	char buf[65536];
	ssize_t n;

	if (which == FD_QMP && s->qmp) {
		/* The client keeps its socket (and the events) until teardown. */
		if (qmp_read_events(s->qmp, 0) < 0)
			s->fds[FD_QMP].fd = -1;
		return s->fds[FD_QMP].fd >= 0;
	}
	n = read(s->fds[which].fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		close(s->fds[which].fd);
		s->fds[which].fd = -1;
		return false;
	}
	if (which == FD_KTAP)
		on_ktap(s, buf, n);
	else if (which == FD_CONSOLE)
		on_console(s, buf, n);
	/* QMP: read and dropped for now; the greeting must not fill the socket. */
	return true;
}

static void accept_on(struct session *s, int listener, int conn)
{
	int fd = accept4(s->fds[listener].fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	s->fds[conn].fd = fd;
	close(s->fds[listener].fd);
	s->fds[listener].fd = -1;
}

/* With an at_end hook QMP is spoken, not drained: the client takes the socket. */
static void qmp_take(struct session *s)
{
	char err[256];

	if (!s->c->at_end || s->fds[FD_QMP].fd < 0 || s->qmp)
		return;
	if (qmp_attach(s->fds[FD_QMP].fd, QMP_TIMEOUT_MS, &s->qmp, err, sizeof(err)) < 0)
		progress(s, "%s", err);
	s->fds[FD_QMP].fd = s->qmp ? qmp_fd(s->qmp) : -1;
}

static int infra(struct session *s, int r, const char *fmt, ...) __printf(3, 4);
static int infra(struct session *s, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->r->infra_error, sizeof(s->r->infra_error), fmt, ap);
	va_end(ap);
	s->r->verdict = VERDICT_INFRA;
	return r;
}

/* First line QEMU wrote to its log, for "QEMU exited" messages. */
static void qemu_first_error(const struct session *s, char *buf, size_t size)
{
	char path[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%sqemu.log", s->c->results_dir, s->c->log_prefix);
	f = fopen(path, "re");
	if (f && fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
}

/* "status 1" or "signal 6": how QEMU ended, for messages. */
static const char *exit_text(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "status %d", WEXITSTATUS(status));
	return buf;
}

static int loop(struct session *s)
{
	double deadline = s->start + s->c->hello_timeout_ms / 1000.0;
	const struct scenario *sc = s->c->scenario;

	bool run_clock = false, poweroff_clock = false;

	for (;;) {
		double now = now_s();
		int timeout = (int)((deadline - now) * 1000) + 1;

		if (s->qemu_reaped) {
			/* Drain what QEMU wrote before it went. */
			for (int i = FD_KTAP; i <= FD_QMP; i++)
				while (s->fds[i].fd >= 0 && pump(s, i))
					;
			break;
		}
		if (now >= deadline)
			break;
		if (poll(s->fds, NFDS, timeout > 100 ? 100 : timeout) < 0 && errno != EINTR)
			return infra(s, -errno, "poll failed: %s", strerror(errno));
		if (s->fds[FD_SIGNAL].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(s->fds[FD_SIGNAL].fd, &si, sizeof(si)) == sizeof(si))
				return infra(s, -EINTR,
					     "interrupted by signal %u: results so far are kept",
					     si.ssi_signo);
		}
		if (s->fds[FD_KTAP_LISTEN].revents & POLLIN)
			accept_on(s, FD_KTAP_LISTEN, FD_KTAP);
		if (s->fds[FD_CONSOLE_LISTEN].revents & POLLIN)
			accept_on(s, FD_CONSOLE_LISTEN, FD_CONSOLE);
		if (s->fds[FD_QMP_LISTEN].revents & POLLIN) {
			accept_on(s, FD_QMP_LISTEN, FD_QMP);
			qmp_take(s);
		}
		for (int i = FD_KTAP; i <= FD_QMP; i++)
			if (s->fds[i].fd >= 0 && s->fds[i].revents & (POLLIN | POLLHUP | POLLERR))
				pump(s, i);
		if (s->ktap_log.dropped)
			return infra(s, -EMSGSIZE,
				     "the guest sent more than %u MiB of KTAP: stopped it; the "
				     "results so far are kept",
				     SESSION_MAX_KTAP_BYTES >> 20);
		/* Boot clock until hello, run clock until end, then power-off grace. */
		if (s->hello && !run_clock) {
			run_clock = true;
			deadline = now_s() + sc->run_timeout_ms / 1000.0;
		}
		if (s->end && !poweroff_clock) {
			poweroff_clock = true;
			deadline = now_s() + POWEROFF_WAIT_MS / 1000.0;
		}
		if (qemu_exited(s->qemu, &s->qemu_status))
			s->qemu_reaped = true;
		peers_tick(&s->peers);
	}

	if (s->end)
		return 0; /* finished; a guest slow to power off is simply stopped */
	if (s->qemu_reaped) {
		char qemu_err[256], how[32];

		qemu_first_error(s, qemu_err, sizeof(qemu_err));
		exit_text(s->qemu_status, how, sizeof(how));
		if (!s->hello)
			return infra(s, -ECHILD, "QEMU exited (%s) before the agent said hello: %s",
				     how,
				     qemu_err[0] ? qemu_err
						 : "the guest stopped during boot: see the console tail");
		return infra(s, -ECHILD,
			     "the guest stopped before the agent finished (QEMU %s): the agent "
			     "crashed or the kernel panicked: see the console tail",
			     how);
	}
	if (!s->hello)
		return infra(s, -ETIMEDOUT,
			     "no hello from the agent within %.0f s under %s: the guest did not "
			     "boot or the agent did not start: see the console tail",
			     s->c->hello_timeout_ms / 1000.0, s->c->accel);
	return infra(s, -ETIME,
		     "run timeout: the agent did not finish within %.0f s of its hello: raise "
		     "[scenario] run_timeout or see which test hung",
		     sc->run_timeout_ms / 1000.0);
}

static int write_text(struct session *s, const char *name, const char *text)
{
	char path[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "%s/%s%s", s->c->results_dir, s->c->log_prefix, name);
	f = fopen(path, "we");
	if (!f || fputs(text, f) < 0)
		return infra(s, -EIO, "%s: cannot write: %s", path, strerror(errno));
	return 0;
}

static int prepare(struct session *s, struct strv *argv)
{
	const struct scenario *sc = s->c->scenario;
	struct qemu_plan plan = { .binary = s->c->qemu_binary, .kernel = s->c->kernel,
				  .accel = s->c->accel, .rundir = s->rundir,
				  .machine_audiodev = s->c->machine_audiodev };
	char initrd[PATH_MAX], err[512];
	_cleanup_free_ char *config = NULL, *cmdline = NULL;
	size_t config_len = 0;
	FILE *mem;
	int r;

	snprintf(initrd, sizeof(initrd), "%s/initrd.img", s->rundir);
	plan.initrd = initrd;
	mem = open_memstream(&config, &config_len);
	if (!mem)
		return infra(s, -ENOMEM, "out of memory");
	agent_config_write(sc, mem);
	peers_agent_config(&s->peers, mem);
	fclose(mem);
	if ((r = write_text(s, "agent.ini", config)) < 0)
		return r;
	if (initrd_write(s->c->base_initrd, config, initrd, err, sizeof(err)) < 0)
		return infra(s, -EIO, "%s", err);
	if (scenario_create_scratch_images(sc, s->rundir, false, err, sizeof(err)) < 0)
		return infra(s, -EIO, "%s", err);
	if (qemu_argv_build(sc, &plan, argv) < 0)
		return infra(s, -ENOMEM, "out of memory");
	cmdline = strv_join_shell(argv);
	if (!cmdline)
		return infra(s, -ENOMEM, "out of memory");
	return write_text(s, "qemu-cmdline.txt", cmdline);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void teardown(struct session *s, sigset_t *old)
{
	if (s->qemu > 0 && !s->qemu_reaped) {
		int st = qemu_stop(s->qemu, STOP_GRACE_MS);

		if (st != -1)
			s->qemu_status = st;
	}
	/* The peers' records live in the run directory: report before it goes. */
	peers_stop(&s->peers);
	peers_report(&s->peers, s->parser ? ktap_parser_run(s->parser) : NULL);
	peers_free(&s->peers);
	if (s->qmp) {
		s->fds[FD_QMP].fd = -1;
		qmp_close(s->qmp);
	}
	for (int i = 0; i < NFDS; i++)
		if (s->fds[i].fd >= 0)
			close(s->fds[i].fd);
	if (s->ktap_log.fd >= 0)
		close(s->ktap_log.fd);
	if (s->console_log.fd >= 0)
		close(s->console_log.fd);
	sigprocmask(SIG_SETMASK, old, NULL);
	if (s->rundir[0] && !s->c->keep_rundir)
		nftw(s->rundir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	else if (s->rundir[0] && s->c->progress)
		fprintf(s->c->progress, "guestcheck: kept the run directory %s\n", s->rundir);
}

int session_run(const struct session_config *c, struct run_result *r,
		struct ktap_parser **parser)
{
	struct session s = { .c = c, .r = r, .ktap_log.fd = -1, .console_log.fd = -1 };
	struct strv argv = { 0 };
	sigset_t stop, old;
	int ret;

	for (int i = 0; i < NFDS; i++)
		s.fds[i] = (struct pollfd){ .fd = -1, .events = POLLIN };
	snprintf(r->accel, sizeof(r->accel), "%s", c->accel);
	r->boot_seconds = -1;
	s.parser = ktap_parser_new();
	*parser = s.parser;
	if (!s.parser)
		return infra(&s, -ENOMEM, "out of memory");

	/* Signals arrive through the poll loop, so teardown always runs. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	s.fds[FD_SIGNAL].fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);

	snprintf(s.rundir, sizeof(s.rundir), "%s/guestcheck-XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 32 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(s.rundir)) {
		ret = infra(&s, -errno, "%s: cannot create the run directory: %s", s.rundir,
			    strerror(errno));
		s.rundir[0] = '\0';
		goto out;
	}
	s.fds[FD_KTAP_LISTEN].fd = listen_unix(s.rundir, RUNDIR_KTAP_SOCKET);
	s.fds[FD_CONSOLE_LISTEN].fd = listen_unix(s.rundir, RUNDIR_CONSOLE_SOCKET);
	s.fds[FD_QMP_LISTEN].fd = listen_unix(s.rundir, RUNDIR_QMP_SOCKET);
	for (int i = FD_KTAP_LISTEN; i <= FD_QMP_LISTEN; i++)
		if (s.fds[i].fd < 0) {
			ret = infra(&s, s.fds[i].fd, "%s: cannot listen on a unix socket: %s",
				    s.rundir, strerror(-s.fds[i].fd));
			s.fds[i].fd = -1;
			goto out;
		}
	if (open_log(&s, &s.ktap_log, "ktap.log", SESSION_MAX_KTAP_BYTES) < 0 ||
	    open_log(&s, &s.console_log, "console.log", SESSION_MAX_CONSOLE_BYTES) < 0) {
		ret = infra(&s, -errno, "%s: cannot write the logs: %s", c->results_dir,
			    strerror(errno));
		goto out;
	}
	{
		char err[512];

		if (peers_start(&s.peers, c->scenario, s.rundir, c->results_dir, c->log_prefix,
				c->progress, err, sizeof(err)) < 0) {
			ret = infra(&s, -EIO, "usb-net: %s", err);
			goto out;
		}
	}
	ret = prepare(&s, &argv);
	if (ret < 0)
		goto out;

	s.start = now_s();
	s.peers.start = s.start;
	{
		char log[PATH_MAX];

		snprintf(log, sizeof(log), "%s/%sqemu.log", c->results_dir, c->log_prefix);
		ret = qemu_spawn(argv.v, log, &s.qemu);
	}
	if (ret < 0) {
		ret = infra(&s, ret, "%s: cannot start: %s", c->qemu_binary, strerror(-ret));
		goto out;
	}
	progress(&s, "booting under %s (kernel %s%s%s)", c->accel, c->kernel,
		 c->qemu_version ? ", QEMU " : "", c->qemu_version ?: "");
	peers_qemu_started(&s.peers);
	ret = loop(&s);
out:
	teardown(&s, &old);
	if (s.parser)
		ktap_parser_finish(s.parser);
	r->console_tail = console_tail_text(&s.tail, SESSION_CONSOLE_TAIL_LINES);
	r->total_seconds = s.start ? now_s() - s.start : 0;
	strv_free(&argv);
	return ret;
}
