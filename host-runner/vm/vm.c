// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "errmsg.h"

#include "vm/console_tail.h"
#include "vm/qemu_argv.h"
#include "vm/qemu_process.h"
#include "vm/qmp.h"
#include "vm/run_dir.h"
#include "vm/unix_socket.h"

#define STOP_GRACE_MS  2000
#define QMP_TIMEOUT_MS 5000
/*
 * QEMU greets on QMP once its machine is built: an aarch64 zcu102 under TCG
 * took over 5 s to get there at a load average of 6-7 (sdhci_zcu102 failed
 * so). The wait is bounded by the boot timeout's order, not by a command's.
 */
#define QMP_GREETING_TIMEOUT_MS 30000

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

/* The listening sockets in rundir, and where each one's connection goes. */
static const struct {
	int listener, conn;
	const char *name;
} sockets[] = {
	{ FD_KTAP_LISTEN, FD_KTAP, RUNDIR_KTAP_SOCKET },
	{ FD_CONSOLE_LISTEN, FD_CONSOLE, RUNDIR_CONSOLE_SOCKET },
	{ FD_QMP_LISTEN, FD_QMP, RUNDIR_QMP_SOCKET },
};

struct capped_log {
	int fd;
	size_t written, limit, dropped;
	int error; /* the first write's errno: the log is cut there */
	char path[PATH_MAX];
};

struct vm {
	const struct vm_config *c;
	sigset_t old_mask;
	bool masked;
	char rundir[64];
	int rundir_owner; /* run_dir.h: held while this runner lives */
	struct pollfd fds[NFDS];
	struct capped_log ktap_log, console_log;
	struct console_tail tail;
	struct qmp *qmp; /* owns fds[FD_QMP] once negotiated */
	char qmp_error[256];
	pid_t pid;
	bool reaped;
	int status;
	int signo;
};

static void log_write(struct capped_log *log, const char *buf, size_t len)
{
	size_t room = log->limit - log->written;

	if (log->fd < 0)
		return;
	if (len > room) {
		log->dropped += len - room;
		len = room;
	}
	if (!len || log->error)
		return;
	if (write(log->fd, buf, len) == (ssize_t)len)
		log->written += len;
	else
		log->error = errno ? errno : ENOSPC; /* a short write: the disk filled */
}

static int log_open(struct vm *vm, struct capped_log *log, const char *name, size_t limit)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s%s", vm->c->results_dir, vm->c->log_prefix, name);
	snprintf(log->path, sizeof(log->path), "%s", path);
	log->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	log->limit = limit;
	return log->fd < 0 ? -errno : 0;
}

void vm_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

int vm_open(const struct vm_config *c, struct vm **out, char *err, size_t errsize)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	const char *tmp = getenv("TMPDIR");
	sigset_t stop;

	*out = vm;
	if (!vm)
		return errmsg(err, errsize, -ENOMEM, "out of memory");
	vm->c = c;
	vm->ktap_log.fd = vm->console_log.fd = vm->rundir_owner = -1;
	for (int i = 0; i < NFDS; i++)
		vm->fds[i] = (struct pollfd){ .fd = -1, .events = POLLIN };

	/* Signals arrive through vm_poll(), so teardown always runs. */
	vm_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, &vm->old_mask);
	vm->masked = true;
	vm->fds[FD_SIGNAL].fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);

	/* A socket's path has 108 bytes: a long TMPDIR is passed over. */
	snprintf(vm->rundir, sizeof(vm->rundir), "%s/guestcheck-XXXXXX",
		 tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	vm->rundir_owner = run_dir_create(vm->rundir, c->kept_note, err, errsize);
	if (vm->rundir_owner < 0) {
		int r = vm->rundir_owner;

		vm->rundir[0] = '\0';
		return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sockets); i++) {
		int fd = listen_unix(vm->rundir, sockets[i].name);

		if (fd < 0)
			return errmsg(err, errsize, fd, "%s: cannot listen on a unix socket: %s",
				      vm->rundir, strerror(-fd));
		vm->fds[sockets[i].listener].fd = fd;
	}
	if ((c->ktap_log_max && log_open(vm, &vm->ktap_log, "ktap.log", c->ktap_log_max) < 0) ||
	    log_open(vm, &vm->console_log, "console.log", VM_MAX_CONSOLE_BYTES) < 0)
		return errmsg(err, errsize, -errno, "%s: cannot write the logs: %s", c->results_dir,
			      strerror(errno));
	return 0;
}

pid_t vm_pid(const struct vm *vm)
{
	return vm ? vm->pid : 0;
}

const char *vm_rundir(const struct vm *vm)
{
	return vm->rundir;
}

int vm_start(struct vm *vm, char *const argv[], char *err, size_t errsize)
{
	char log[PATH_MAX];
	int r;

	snprintf(log, sizeof(log), "%s/%sqemu.log", vm->c->results_dir, vm->c->log_prefix);
	r = qemu_spawn(argv, log, &vm->pid);
	if (r < 0)
		return errmsg(err, errsize, r, "%s: cannot start: %s", argv[0], strerror(-r));
	return 0;
}

/* QEMU connected: the listener has done its job. */
static void accept_on(struct vm *vm, int listener, int conn)
{
	int fd = accept4(vm->fds[listener].fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	vm->fds[conn].fd = fd;
	close(vm->fds[listener].fd);
	vm->fds[listener].fd = -1;
}

/* With c->qmp, QMP is spoken, not drained: the client takes the socket. */
static int qmp_take(struct vm *vm)
{
	int fd = vm->fds[FD_QMP].fd;

	if (!vm->c->qmp || fd < 0 || vm->qmp)
		return 0;
	if (qmp_attach(fd, QMP_GREETING_TIMEOUT_MS, &vm->qmp, vm->qmp_error,
		       sizeof(vm->qmp_error)) < 0) {
		vm->fds[FD_QMP].fd = -1; /* the client closed it */
		return VM_QMP_FAILED;
	}
	vm->fds[FD_QMP].fd = qmp_fd(vm->qmp);
	return 0;
}

/* Read what is there; false at EOF or on error. */
static bool pump(struct vm *vm, int which)
{
	char buf[65536];
	ssize_t n;

	if (which == FD_QMP && vm->qmp) {
		/* The client keeps its socket (and the events) until vm_close(). */
		if (qmp_read_events(vm->qmp, 0) < 0)
			vm->fds[FD_QMP].fd = -1;
		return vm->fds[FD_QMP].fd >= 0;
	}
	n = read(vm->fds[which].fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		close(vm->fds[which].fd);
		vm->fds[which].fd = -1;
		return false;
	}
	if (which == FD_KTAP) {
		log_write(&vm->ktap_log, buf, n);
		if (vm->c->on_ktap)
			vm->c->on_ktap(vm->c->opaque, buf, n);
	} else if (which == FD_CONSOLE) {
		log_write(&vm->console_log, buf, n);
		console_tail_append(&vm->tail, buf, n);
		if (vm->c->on_console)
			vm->c->on_console(vm->c->opaque, buf, n);
	}
	/* QMP nobody speaks: read and dropped, so the greeting cannot fill the socket. */
	return true;
}

int vm_poll(struct vm *vm, int timeout_ms)
{
	int events = 0;

	if (vm->reaped)
		return VM_EXITED;
	if (poll(vm->fds, NFDS, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	if (vm->fds[FD_SIGNAL].revents & POLLIN) {
		struct signalfd_siginfo si;

		if (read(vm->fds[FD_SIGNAL].fd, &si, sizeof(si)) == sizeof(si)) {
			vm->signo = si.ssi_signo;
			return VM_SIGNAL;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(sockets); i++)
		if (vm->fds[sockets[i].listener].revents & POLLIN) {
			accept_on(vm, sockets[i].listener, sockets[i].conn);
			if (sockets[i].conn == FD_QMP)
				events |= qmp_take(vm);
		}
	for (int i = FD_KTAP; i <= FD_QMP; i++)
		if (vm->fds[i].fd >= 0 && vm->fds[i].revents & (POLLIN | POLLHUP | POLLERR))
			pump(vm, i);
	if (vm->pid > 0 && qemu_exited(vm->pid, &vm->status)) {
		vm->reaped = true;
		/* Everything QEMU wrote before it went. */
		for (int i = FD_KTAP; i <= FD_QMP; i++)
			while (vm->fds[i].fd >= 0 && pump(vm, i))
				;
		events |= VM_EXITED;
	}
	return events;
}

void vm_drain_console(struct vm *vm, int quiet_ms)
{
	for (;;) {
		struct pollfd one = { .fd = vm->fds[FD_CONSOLE].fd, .events = POLLIN };

		if (one.fd < 0 || poll(&one, 1, quiet_ms) <= 0 || !pump(vm, FD_CONSOLE))
			return;
	}
}

int vm_send_ktap(struct vm *vm, const char *buf, size_t len)
{
	if (vm->fds[FD_KTAP].fd < 0)
		return -ENOTCONN;
	return send(vm->fds[FD_KTAP].fd, buf, len, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

struct qmp *vm_qmp(const struct vm *vm)
{
	return vm->qmp;
}

const char *vm_qmp_error(const struct vm *vm)
{
	return vm->qmp_error;
}

int vm_signal(const struct vm *vm)
{
	return vm->signo;
}

int vm_log_error(const struct vm *vm, char *err, size_t errsize)
{
	const struct capped_log *logs[2];

	err[0] = '\0';
	if (!vm)
		return 0;
	logs[0] = &vm->ktap_log;
	logs[1] = &vm->console_log;
	for (size_t i = 0; i < ARRAY_SIZE(logs); i++)
		if (logs[i]->error)
			return errmsg(err, errsize, -logs[i]->error,
				      "%s: cut after %zu bytes: %s: free space there or give "
				      "another -o",
				      logs[i]->path, logs[i]->written, strerror(logs[i]->error));
	return 0;
}

size_t vm_ktap_dropped(const struct vm *vm)
{
	return vm->ktap_log.dropped;
}

const char *vm_exit_text(const struct vm *vm, char *buf, size_t size)
{
	if (WIFSIGNALED(vm->status))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(vm->status));
	else
		snprintf(buf, size, "status %d", WEXITSTATUS(vm->status));
	return buf;
}

void vm_first_log_line(const struct vm *vm, char *buf, size_t size)
{
	char path[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%sqemu.log", vm->c->results_dir, vm->c->log_prefix);
	f = fopen(path, "re");
	if (f && fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
}

char *vm_console_tail(const struct vm *vm, size_t max_lines)
{
	return console_tail_text(&vm->tail, max_lines);
}

static void stop(struct vm *vm, unsigned int grace_ms)
{
	int status;

	if (!vm || vm->pid <= 0 || vm->reaped)
		return;
	if (grace_ms && vm->c->quit_over_qmp && vm->qmp)
		qmp_execute(vm->qmp, "quit", NULL, QMP_TIMEOUT_MS, NULL);
	status = qemu_stop(vm->pid, grace_ms);
	if (status != -1)
		vm->status = status;
	vm->reaped = true;
}

void vm_stop(struct vm *vm)
{
	stop(vm, STOP_GRACE_MS);
}

void vm_stop_now(struct vm *vm)
{
	stop(vm, 0);
}

void vm_close(struct vm *vm)
{
	if (!vm)
		return;
	vm_stop(vm);
	if (vm->qmp) {
		vm->fds[FD_QMP].fd = -1;
		qmp_close(vm->qmp);
	}
	for (int i = 0; i < NFDS; i++)
		if (vm->fds[i].fd >= 0)
			close(vm->fds[i].fd);
	if (vm->ktap_log.fd >= 0)
		close(vm->ktap_log.fd);
	if (vm->console_log.fd >= 0)
		close(vm->console_log.fd);
	if (vm->masked)
		sigprocmask(SIG_SETMASK, &vm->old_mask, NULL);
	run_dir_remove(vm->rundir, vm->rundir_owner, vm->c->keep_rundir);
	if (vm->rundir[0] && vm->c->keep_rundir && vm->c->kept_note)
		fprintf(vm->c->kept_note, "guestcheck: kept the run directory %s\n", vm->rundir);
	free(vm);
}
