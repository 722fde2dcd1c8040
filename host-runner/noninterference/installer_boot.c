// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/installer_boot.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"
#include "strv.h"
#include "write_file.h"

#include "vm/qemu_argv.h"
#include "vm/qmp.h"
#include "vm/vm.h"

#define TAIL_LINES	 30
#define QMP_TIMEOUT_MS	 5000
#define CONSOLE_QUIET_MS 200

struct boot {
	const struct installer_boot *b;
	struct installer_outcome *o;
	struct vm_config vc;
	struct vm *vm;
	double start;
};

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

/* The console: the write monitor's counters ride on it (monitor.h). */
static void on_console(void *opaque, const char *buf, size_t len)
{
	struct boot *t = opaque;

	monitor_feed(&t->o->monitor, buf, len);
}

/* Freeze the guest and read what QEMU counted for each drive. */
static void read_stats(struct boot *t)
{
	struct qmp *qmp = vm_qmp(t->vm);

	qmp_execute(qmp, "stop", NULL, QMP_TIMEOUT_MS, NULL);
	for (size_t i = 0; i < t->b->ndrives && i < SCENARIO_MAX_DEVICES; i++)
		blockstats_query(qmp, t->b->drives[i], &t->o->stats[i]);
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
		struct qmp *qmp = vm_qmp(t->vm);
		int ev;

		if (now_s() >= deadline) {
			t->o->end = INSTALLER_TIMED_OUT;
			if (qmp)
				read_stats(t);
			return 0;
		}
		ev = vm_poll(t->vm, 100);
		if (ev < 0)
			return error(t, ev, "poll failed: %s", strerror(-ev));
		if (ev & VM_SIGNAL) {
			t->o->end = INSTALLER_INTERRUPTED;
			t->o->interrupted = vm_signal(t->vm);
			snprintf(t->o->error, sizeof(t->o->error),
				 "interrupted by signal %d: results so far are kept",
				 t->o->interrupted);
			return 0;
		}
		if (ev & VM_QMP_FAILED)
			return error(t, -EPROTO, "%s: the write counters need QMP",
				     vm_qmp_error(t->vm));
		if (ev & VM_EXITED) {
			t->o->end = INSTALLER_QEMU_EXITED;
			snprintf(t->o->error, sizeof(t->o->error),
				 "QEMU exited without a SHUTDOWN event: it crashed or was killed: "
				 "see "
				 "qemu.log");
			return 0;
		}
		qmp = vm_qmp(t->vm);
		if (qmp && (e = qmp_event_find(qmp, "SHUTDOWN"))) {
			t->o->end = INSTALLER_POWERED_OFF;
			shutdown_reason(t, e);
			read_stats(t);
			/* Whatever the console still held when the guest stopped. */
			vm_drain_console(t->vm, CONSOLE_QUIET_MS);
			return 0;
		}
	}
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
				  .rundir = vm_rundir(t->vm) };
	_cleanup_free_ char *cmdline = NULL;
	int r;

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
	if (!cmdline)
		return error(t, -ENOMEM, "out of memory");
	/* A copy for the reader: its loss costs the exit 0, not the boot. */
	r = write_text_in(t->b->results_dir, "qemu-cmdline.txt", cmdline);
	if (r < 0)
		t->o->file_status = errmsg(t->o->file_error, sizeof(t->o->file_error), r,
					   "%s/qemu-cmdline.txt: cannot write: %s",
					   t->b->results_dir, strerror(-r));
	return 0;
}

int installer_boot_run(const struct installer_boot *b, struct installer_outcome *o)
{
	struct boot t = { .b = b, .o = o };
	struct strv argv = { 0 };
	char err[512];
	int r = 0;

	*o = (struct installer_outcome){ 0 };
	monitor_init(&o->monitor);
	t.start = now_s();
	t.vc = (struct vm_config){ .results_dir = b->results_dir,
				   .log_prefix = "",
				   .qmp = true,
				   .quit_over_qmp = true,
				   .keep_rundir = b->keep_rundir,
				   .on_console = on_console,
				   .opaque = &t };
	if ((r = vm_open(&t.vc, &t.vm, err, sizeof(err))) < 0) {
		r = error(&t, r, "%s", err);
		goto out;
	}
	r = prepare(&t, &argv);
	if (r < 0)
		goto out;
	if ((r = vm_start(t.vm, argv.v, err, sizeof(err))) < 0) {
		r = error(&t, r, "%s", err);
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
	vm_stop(t.vm);
	o->console_tail = t.vm ? vm_console_tail(t.vm, TAIL_LINES) : NULL;
	vm_log_error(t.vm, o->log_error, sizeof(o->log_error));
	vm_close(t.vm);
	monitor_finish(&o->monitor);
	strv_free(&argv);
	return r;
}
