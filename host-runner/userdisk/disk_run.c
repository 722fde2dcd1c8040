// SPDX-License-Identifier: GPL-2.0-or-later
#include "userdisk/disk_run.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"
#include "strv.h"
#include "write_file.h"

#include "cli/run_options.h"
#include "devices/device_type.h"
#include "noninterference/overlay.h"
#include "report/report.h"
#include "session/run_result.h"
#include "userdisk/firmware_shell.h"
#include "userdisk/qga_probe.h"
#include "vm/accel.h"
#include "vm/qemu_argv.h"
#include "vm/qemu_probe.h"
#include "vm/uefi_firmware.h"
#include "vm/vm.h"

/* The guest's own shutdown under TCG: systemd stops its units, then powers off. */
#define SHUTDOWN_MS	   60000
#define GUEST_INFO_MS	   10000
#define CONSOLE_TAIL_LINES 20

struct disk_boot {
	const struct run_options *o;
	const struct guest *g;
	struct vm_config vc;
	struct vm *vm;
	struct qga_probe qga;
	double start;
	bool answered; /* the guest agent gave its version */
	bool checked;  /* disk_run_checks() ran: it said where the results are */
	char qga_path[PATH_MAX];
	int file_status; /* the first copy for the reader that could not be written */
	char file_error[PATH_MAX + 256];
};

static void progress(struct disk_boot *b, const char *fmt, ...) __printf(2, 3);
static void progress(struct disk_boot *b, const char *fmt, ...)
{
	va_list ap;

	if (b->o->quiet)
		return;
	fprintf(stderr, "[%6.1fs] %s: ", b->start ? now_s() - b->start : 0.0, b->g->scenario.name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int infra(struct disk_boot *b, const char *fmt, ...) __printf(2, 3);
static int infra(struct disk_boot *b, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "guestcheck: %s: ERROR: ", b->g->scenario.name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return VERDICT_INFRA;
}

/* qemu-cmdline.txt, guest-agent.txt: their loss costs the exit 0, not the checks. */
static void write_copy(struct disk_boot *b, const char *name, const char *text)
{
	int r = write_text_in(b->o->results_dir, name, text);

	if (r >= 0 || b->file_status)
		return;
	b->file_status = errmsg(b->file_error, sizeof(b->file_error), r, "%s/%s: cannot write: %s",
				b->o->results_dir, name, strerror(-r));
	report_write_fix(b->file_error, sizeof(b->file_error), r, b->o->results_dir);
}

static const char *accel_of(const struct run_options *o)
{
	char why[256];

	if (o->accel == ACCEL_TCG)
		return "tcg";
	return o->accel == ACCEL_KVM || accel_kvm_usable(why, sizeof(why)) ? "kvm" : "tcg";
}

/* The overlay, the scratch images, the command line: everything before QEMU. */
static int prepare(struct disk_boot *b, const char *accel, struct strv *argv)
{
	const struct scenario *s = &b->g->scenario;
	const char *rundir = vm_rundir(b->vm);
	struct qemu_plan plan = {
		.binary = b->g->qemu_info ? b->g->qemu_info->path : b->g->qemu,
		.accel = accel,
		.rundir = rundir,
		.machine_audiodev = false,
	};
	char overlay[PATH_MAX], vars[PATH_MAX], err[2 * PATH_MAX + 256];
	struct uefi_firmware fw;
	_cleanup_free_ char *cmdline = NULL;

	snprintf(overlay, sizeof(overlay), "%s/" RUNDIR_DISK_OVERLAY, rundir);
	if (overlay_create(s->disk, s->disk_format, overlay, OVERLAY_FAST, err, sizeof(err)) < 0)
		return infra(b, "%s", err);
	if (scenario_create_scratch_images(s, rundir, false, err, sizeof(err)) < 0)
		return infra(b, "%s", err);
	if (s->firmware_uefi) {
		snprintf(vars, sizeof(vars), "%s/" RUNDIR_UEFI_VARS, rundir);
		if (uefi_firmware_find(&fw, err, sizeof(err)) < 0 ||
		    uefi_vars_copy(&fw, vars, err, sizeof(err)) < 0)
			return infra(b, "%s", err);
		plan.uefi_code = fw.code;
	}
	if (qemu_argv_build(s, &plan, argv) < 0)
		return infra(b, "out of memory");
	cmdline = strv_join_shell(argv);
	if (!cmdline)
		return infra(b, "out of memory");
	write_copy(b, "qemu-cmdline.txt", cmdline);
	snprintf(b->qga_path, sizeof(b->qga_path), "%s/" RUNDIR_QGA_SOCKET, rundir);
	return 0;
}

/* firmware = uefi: OVMF found nothing to boot and waits in its shell. Said once. */
static bool firmware_gave_up(struct disk_boot *b)
{
	_cleanup_free_ char *tail = vm_console_tail(b->vm, CONSOLE_TAIL_LINES);
	char why[256];

	if (!ovmf_in_shell(tail, why, sizeof(why)))
		return false;
	infra(b,
	      "OVMF found no EFI boot loader on %s and started its shell%s%s%s: the image "
	      "boots by BIOS only, or its boot entry lives in firmware variables it was "
	      "installed with: remove firmware = uefi (SeaBIOS boots it), or give the image "
	      "EFI/BOOT/BOOTX64.EFI on a FAT partition; see %s/console.log",
	      b->g->scenario.disk, why[0] ? " (" : "", why, why[0] ? ")" : "", b->o->results_dir);
	return true;
}

/* Until the guest's agent answers, QEMU exits, a signal, OVMF's shell, or the boot timeout. */
static int wait_for_agent(struct disk_boot *b)
{
	const struct scenario *s = &b->g->scenario;
	double deadline = b->start + s->boot_timeout_ms / 1000.0;
	char buf[64];

	qga_probe_init(&b->qga, b->qga_path);
	for (;;) {
		int ev = vm_poll(b->vm, 200), r;

		if (ev < 0)
			return infra(b, "poll failed: %s", strerror(-ev));
		if (ev & VM_SIGNAL)
			return infra(b, "interrupted by a signal");
		if (ev & VM_EXITED)
			return infra(
				b,
				"QEMU exited (%s) before the guest agent answered: see %s/qemu.log",
				vm_exit_text(b->vm, buf, sizeof(buf)), b->o->results_dir);
		r = qga_probe_step(&b->qga);
		if (r > 0)
			return 0;
		if (s->firmware_uefi && firmware_gave_up(b))
			return VERDICT_INFRA;
		if (r < 0) {
			/* QEMU drops the connection when the guest closes the port: again. */
			qga_probe_free(&b->qga);
			qga_probe_init(&b->qga, b->qga_path);
		}
		if (now_s() >= deadline)
			return infra(
				b,
				"no answer from the guest's QEMU guest agent within %.0f s: the "
				"image did not boot, or has no qemu-guest-agent listening on "
				"virtio-serial port " QGA_PORT_NAME
				" (install and enable it in the image), or it boots slower: "
				"raise [scenario] boot_timeout; see %s/console.log",
				s->boot_timeout_ms / 1000.0, b->o->results_dir);
	}
}

/* Power the guest off through its agent; QEMU (-no-reboot) then exits. */
static void shut_down(struct disk_boot *b)
{
	double deadline = now_s() + SHUTDOWN_MS / 1000.0;
	char desc[256];

	if (qga_probe_shutdown(&b->qga) < 0)
		return;
	while (now_s() < deadline) {
		int ev = vm_poll(b->vm, 200);

		/* The overlay is thrown away: a refused shutdown only costs the guest's own. */
		if (qga_probe_error(&b->qga, 0, desc, sizeof(desc)) > 0) {
			progress(b, "guest-shutdown refused (%s): QEMU stopped instead", desc);
			return;
		}
		if (ev < 0 || ev & (VM_SIGNAL | VM_EXITED)) {
			if (ev > 0 && ev & VM_EXITED)
				progress(b, "powered off");
			return;
		}
	}
	progress(b, "still running %d s after guest-shutdown: stopped", SHUTDOWN_MS / 1000);
}

static int boot(struct disk_boot *b)
{
	const struct scenario *s = &b->g->scenario;
	const char *accel = accel_of(b->o);
	struct strv argv = { 0 };
	char err[512], version[48], line[PATH_MAX + 128];
	int ret;

	b->vc = (struct vm_config){ .results_dir = b->o->results_dir,
				    .log_prefix = "",
				    .qmp = true,
				    .quit_over_qmp = true,
				    .keep_rundir = b->o->keep_rundir,
				    .kept_note = b->o->quiet ? NULL : stderr };
	if ((ret = vm_open(&b->vc, &b->vm, err, sizeof(err))) < 0) {
		ret = infra(b, "%s", err);
		goto out;
	}
	if ((ret = prepare(b, accel, &argv)))
		goto out;
	b->start = now_s();
	if (vm_start(b->vm, argv.v, err, sizeof(err)) < 0) {
		ret = infra(b, "%s", err);
		goto out;
	}
	progress(b, "booting %s (%s) by the firmware under %s, through a throwaway overlay",
		 s->disk, s->disk_format, accel);
	if ((ret = wait_for_agent(b)))
		goto out;
	if (qga_probe_version(&b->qga, GUEST_INFO_MS, version, sizeof(version), err, sizeof(err)) <
	    0) {
		ret = infra(b, "the guest agent answered guest-sync, then: %s", err);
		goto out;
	}
	b->answered = true;
	progress(b, "guest agent %s answered after %.1f s", version, now_s() - b->start);
	snprintf(line, sizeof(line),
		 "disk = %s (%s)\naccel = %s\nguest_agent_version = %s\nboot_to_agent_s = %.1f\n",
		 s->disk, s->disk_format, accel, version, now_s() - b->start);
	write_copy(b, "guest-agent.txt", line);
	/* The socket takes one client: let go of it for the checks. */
	close(b->qga.fd);
	b->qga.fd = -1;
	ret = disk_run_checks(b->o, b->g, b->qga_path);
	b->checked = true;
	/* A fresh connection for the shutdown, whatever the checks left behind. */
	qga_probe_free(&b->qga);
	qga_probe_init(&b->qga, b->qga_path);
	for (double until = now_s() + 5; now_s() < until && qga_probe_step(&b->qga) == 0;)
		vm_poll(b->vm, 200);
	shut_down(b);
out:
	qga_probe_free(&b->qga);
	/* The guest's own words on why it never answered. */
	if (ret && !b->answered) {
		_cleanup_free_ char *tail =
			b->vm ? vm_console_tail(b->vm, CONSOLE_TAIL_LINES) : NULL;

		if (tail && *tail)
			fprintf(stderr, "--- console (last lines)\n%s\n", tail);
	}
	/* What was lost is said last, under the checks' own lines, and fails the run. */
	if (vm_log_error(b->vm, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		ret = VERDICT_INFRA;
	}
	if (b->file_status) {
		fprintf(stderr, "guestcheck: %s\n", b->file_error);
		ret = VERDICT_INFRA;
	}
	vm_close(b->vm);
	strv_free(&argv);
	return ret;
}

int disk_run(const struct run_options *o, const struct guest *g)
{
	struct disk_boot b = { .o = o, .g = g };
	int ret = boot(&b);

	if (!b.checked)
		printf("results: %s\n", o->results_dir);
	return ret;
}
