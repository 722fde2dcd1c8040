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
#include <time.h>
#include <unistd.h>
#include "vm/unix_socket.h"
#include "vm/console_tail.h"
#include "cleanup.h"
#include "noninterference/installer_boot.h"
#include "vm/qemu_argv.h"
#include "vm/qemu_process.h"
#include "vm/qmp.h"
#include "strv.h"

#define CONSOLE_MAX    (16u << 20)
#define TAIL_LINES     30
#define QMP_TIMEOUT_MS 5000
#define STOP_GRACE_MS  2000

enum {
	FD_SIGNAL,
	FD_CONSOLE_LISTEN,
	FD_QMP_LISTEN,
	FD_KTAP_LISTEN,
	FD_CONSOLE,
	FD_QMP,
	FD_KTAP,
	NFDS
};

struct boot {
	const struct installer_boot *b;
	struct installer_outcome *o;
	char rundir[64];
	struct pollfd fds[NFDS];
	struct qmp *qmp;
	int console_log;
	size_t console_written;
	struct console_tail tail;
	pid_t qemu;
	bool reaped;
	double start;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(struct boot *t, const char *fmt, ...) __printf(2, 3);
static void progress(struct boot *t, const char *fmt, ...)
{
	va_list ap;

	if (!t->b->progress)
		return;
	fprintf(t->b->progress, "[%6.1fs] %s: installer: ", now_s() - t->start,
		t->b->scenario->name);
	va_start(ap, fmt);
	vfprintf(t->b->progress, fmt, ap);
	va_end(ap);
	fputc('\n', t->b->progress);
	fflush(t->b->progress);
}

static int error(struct boot *t, int r, const char *fmt, ...) __printf(3, 4);
static int error(struct boot *t, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->o->error, sizeof(t->o->error), fmt, ap);
	va_end(ap);
	t->o->end = INSTALLER_INFRA;
	return r;
}

static void accept_on(struct boot *t, int listener, int conn)
{
	int fd = accept4(t->fds[listener].fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	t->fds[conn].fd = fd;
	close(t->fds[listener].fd);
	t->fds[listener].fd = -1;
}

static void on_console(struct boot *t, const char *buf, size_t len)
{
	size_t room = CONSOLE_MAX - t->console_written;

	if (t->console_log >= 0 && room && write(t->console_log, buf, len < room ? len : room) > 0)
		t->console_written += len < room ? len : room;
	console_tail_append(&t->tail, buf, len);
	monitor_feed(&t->o->monitor, buf, len);
}

/* Drain one socket; false at EOF. */
static bool pump(struct boot *t, int which)
{
	char buf[65536];
	ssize_t n;

	if (which == FD_QMP) {
		if (qmp_read_events(t->qmp, 0) < 0)
			t->fds[FD_QMP].fd = -1; /* the client closes it */
		return t->fds[FD_QMP].fd >= 0;
	}
	n = read(t->fds[which].fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		close(t->fds[which].fd);
		t->fds[which].fd = -1;
		return false;
	}
	if (which == FD_CONSOLE)
		on_console(t, buf, n);
	return true; /* the agent's port: nobody speaks on it in this phase */
}

/* Freeze the guest and read what QEMU counted for each drive. */
static void read_stats(struct boot *t)
{
	qmp_execute(t->qmp, "stop", NULL, QMP_TIMEOUT_MS, NULL);
	for (size_t i = 0; i < t->b->ndrives && i < SCENARIO_MAX_DEVICES; i++)
		blockstats_query(t->qmp, t->b->drives[i], &t->o->stats[i]);
}

static void shutdown_reason(struct boot *t, const struct qmp_event *e)
{
	json_object *v;

	snprintf(t->o->reason, sizeof(t->o->reason), "unknown");
	if (e->data && json_object_object_get_ex(e->data, "reason", &v))
		snprintf(t->o->reason, sizeof(t->o->reason), "%.40s",
			 json_object_get_string(v) ?: "unknown");
	for (char *c = t->o->reason; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
}

static int loop(struct boot *t)
{
	double deadline = t->start + t->b->timeout_ms / 1000.0;

	for (;;) {
		const struct qmp_event *e;

		if (qemu_exited(t->qemu, NULL)) {
			t->reaped = true;
			for (int i = FD_CONSOLE; i <= FD_KTAP; i++)
				while (t->fds[i].fd >= 0 && pump(t, i))
					;
			t->o->end = INSTALLER_QEMU_EXITED;
			snprintf(t->o->error, sizeof(t->o->error),
				 "QEMU exited without a SHUTDOWN event: it crashed or was killed: "
				 "see "
				 "qemu.log");
			return 0;
		}
		if (now_s() >= deadline) {
			t->o->end = INSTALLER_TIMED_OUT;
			if (t->qmp)
				read_stats(t);
			return 0;
		}
		if (poll(t->fds, NFDS, 100) < 0 && errno != EINTR)
			return error(t, -errno, "poll failed: %s", strerror(errno));
		if (t->fds[FD_SIGNAL].revents & POLLIN) {
			t->o->end = INSTALLER_INTERRUPTED;
			snprintf(t->o->error, sizeof(t->o->error), "interrupted by a signal");
			return 0;
		}
		if (t->fds[FD_CONSOLE_LISTEN].revents & POLLIN)
			accept_on(t, FD_CONSOLE_LISTEN, FD_CONSOLE);
		if (t->fds[FD_KTAP_LISTEN].revents & POLLIN)
			accept_on(t, FD_KTAP_LISTEN, FD_KTAP);
		if (t->fds[FD_QMP_LISTEN].revents & POLLIN) {
			char err[256];

			accept_on(t, FD_QMP_LISTEN, FD_QMP);
			if (t->fds[FD_QMP].fd >= 0 && qmp_attach(t->fds[FD_QMP].fd, QMP_TIMEOUT_MS,
								 &t->qmp, err, sizeof(err)) < 0) {
				t->fds[FD_QMP].fd = -1;
				return error(t, -EPROTO, "%s: the write counters need QMP", err);
			}
		}
		for (int i = FD_CONSOLE; i <= FD_KTAP; i++)
			if (t->fds[i].fd >= 0 && t->fds[i].revents & (POLLIN | POLLHUP | POLLERR))
				pump(t, i);
		if (t->qmp && (e = qmp_event_find(t->qmp, "SHUTDOWN"))) {
			t->o->end = INSTALLER_POWERED_OFF;
			shutdown_reason(t, e);
			read_stats(t);
			/* Whatever the console still held when the guest stopped. */
			while (t->fds[FD_CONSOLE].fd >= 0 &&
			       poll(&t->fds[FD_CONSOLE], 1, 200) > 0 && pump(t, FD_CONSOLE))
				;
			return 0;
		}
	}
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	return f && fputs(text, f) >= 0 ? 0 : -EIO;
}

/*
 * A disk-image installer: drop the direct kernel boot qemu_argv_build()
 * wrote, so SeaBIOS boots, and attach the installer's disk first in the boot
 * order on a SATA port of its own, after the hdd devices (their guest names
 * stay as in the final machine).
 */
static void boot_from_disk(const struct installer_boot *b, struct strv *argv)
{
	static const char *const direct[] = { "-kernel", "-initrd", "-append" };
	char file[2 * PATH_MAX];
	size_t out = 0;

	/* QEMU ends an option value at ',': a literal one is written ",,". */
	for (const char *c = b->disk; *c && out + 2 < sizeof(file); c++) {
		if (*c == ',')
			file[out++] = ',';
		file[out++] = *c;
	}
	file[out] = '\0';
	out = 0;
	for (size_t i = 0; i < argv->n; i++) {
		bool drop = false;

		for (size_t j = 0; j < ARRAY_SIZE(direct) && i + 1 < argv->n; j++)
			drop |= !strcmp(argv->v[i], direct[j]);
		if (drop) {
			free(argv->v[i]);
			free(argv->v[i + 1]);
			i++;
			continue;
		}
		argv->v[out++] = argv->v[i];
	}
	argv->n = out;
	if (argv->v)
		argv->v[out] = NULL;
	strv_add(argv, "-drive");
	strv_addf(argv, "if=none,id=guestcheck-installer,file=%s,format=%s", file, b->disk_format);
	strv_add(argv, "-device");
	strv_addf(argv, "ide-hd,drive=guestcheck-installer,bus=ide.%d,bootindex=0", b->disk_port);
}

static int prepare(struct boot *t, struct strv *argv)
{
	struct scenario *sc = malloc(sizeof(*sc));
	struct qemu_plan plan = { .binary = t->b->qemu_binary,
				  .kernel = t->b->kernel,
				  .initrd = t->b->initrd,
				  .accel = t->b->accel,
				  .rundir = t->rundir };
	_cleanup_free_ char *cmdline = NULL;

	if (!sc)
		return error(t, -ENOMEM, "out of memory");
	/* The same machine and devices; the installer's own command line. */
	*sc = *t->b->scenario;
	snprintf(sc->append, sizeof(sc->append), "%s", t->b->append);
	qemu_argv_build(sc, &plan, argv);
	free(sc);
	if (t->b->disk)
		boot_from_disk(t->b, argv);
	strv_add(argv, "-no-shutdown");
	if (argv->error)
		return error(t, -ENOMEM, "out of memory");
	cmdline = strv_join_shell(argv);
	if (!cmdline || write_text(t->b->results_dir, "qemu-cmdline.txt", cmdline) < 0)
		return error(t, -EIO, "%s: cannot write qemu-cmdline.txt", t->b->results_dir);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int installer_boot_run(const struct installer_boot *b, struct installer_outcome *o)
{
	static const struct {
		int fd;
		const char *name;
	} sockets[] = { { FD_CONSOLE_LISTEN, RUNDIR_CONSOLE_SOCKET },
			{ FD_QMP_LISTEN, RUNDIR_QMP_SOCKET },
			{ FD_KTAP_LISTEN, RUNDIR_KTAP_SOCKET } };
	struct boot t = { .b = b, .o = o, .console_log = -1 };
	struct strv argv = { 0 };
	char path[PATH_MAX];
	sigset_t stop, old;
	int r = 0;

	*o = (struct installer_outcome){ 0 };
	monitor_init(&o->monitor);
	for (int i = 0; i < NFDS; i++)
		t.fds[i] = (struct pollfd){ .fd = -1, .events = POLLIN };
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	t.fds[FD_SIGNAL].fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	t.start = now_s();

	snprintf(t.rundir, sizeof(t.rundir), "%s/guestcheck-XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 32 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(t.rundir)) {
		r = error(&t, -errno, "%s: cannot create the run directory: %s", t.rundir,
			  strerror(errno));
		t.rundir[0] = '\0';
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sockets); i++) {
		t.fds[sockets[i].fd].fd = listen_unix(t.rundir, sockets[i].name);
		if (t.fds[sockets[i].fd].fd < 0) {
			r = error(&t, t.fds[sockets[i].fd].fd, "%s: cannot listen: %s", t.rundir,
				  strerror(-t.fds[sockets[i].fd].fd));
			t.fds[sockets[i].fd].fd = -1;
			goto out;
		}
	}
	snprintf(path, sizeof(path), "%s/console.log", b->results_dir);
	t.console_log = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (t.console_log < 0) {
		r = error(&t, -errno, "%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	r = prepare(&t, &argv);
	if (r < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/qemu.log", b->results_dir);
	r = qemu_spawn(argv.v, path, &t.qemu);
	if (r < 0) {
		r = error(&t, r, "%s: cannot start: %s", b->qemu_binary, strerror(-r));
		goto out;
	}
	progress(&t, "booting %s (time limit %.0f s)", b->disk ? b->disk : b->kernel,
		 b->timeout_ms / 1000.0);
	r = loop(&t);
	if (o->end == INSTALLER_POWERED_OFF)
		progress(&t, "powered off (%s) after %.1f s", o->reason, now_s() - t.start);
	else if (o->end == INSTALLER_TIMED_OUT)
		progress(&t, "still running after %.0f s: stopped", b->timeout_ms / 1000.0);
out:
	o->seconds = now_s() - t.start;
	if (t.qmp && !t.reaped)
		qmp_execute(t.qmp, "quit", NULL, QMP_TIMEOUT_MS, NULL);
	if (t.qemu > 0 && !t.reaped)
		qemu_stop(t.qemu, STOP_GRACE_MS);
	if (t.qmp) {
		t.fds[FD_QMP].fd = -1;
		qmp_close(t.qmp);
	}
	for (int i = 0; i < NFDS; i++)
		if (t.fds[i].fd >= 0)
			close(t.fds[i].fd);
	if (t.console_log >= 0)
		close(t.console_log);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (t.rundir[0] && !b->keep_rundir)
		nftw(t.rundir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	monitor_finish(&o->monitor);
	o->console_tail = console_tail_text(&t.tail, TAIL_LINES);
	strv_free(&argv);
	return r;
}
