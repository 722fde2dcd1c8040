/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One boot of the user's installer, unattended: the scenario's machine and
 * devices, the installer's kernel, initrd and command line (or, for a
 * disk-image installer, no -kernel: the firmware boots its disk), QEMU with
 * -no-shutdown so that when the installer powers off (or reboots) QEMU
 * stays up long enough to be asked, over QMP, what was written.
 *
 * Unlike an agent boot there is no hello and no KTAP: the phase ends when
 * QEMU reports SHUTDOWN, or at the time limit.
 */
#ifndef GUESTCHECK_INSTALLER_BOOT_H
#define GUESTCHECK_INSTALLER_BOOT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "noninterference/blockstats.h"
#include "noninterference/monitor.h"
#include "scenario/scenario.h"

struct installer_boot {
	const struct scenario *scenario; /* the devices as attached (overlays in place) */
	const char *qemu_binary;
	const char *kernel;
	const char *initrd; /* as the guest gets it, wrapped or not */
	const char *append; /* the installer's command line */
	/* A disk-image installer: kernel, initrd and append are unused. */
	const char *disk;	   /* its overlay, or NULL for kernel + initrd */
	const char *disk_format;   /* "qcow2" */
	int disk_port;		   /* the AHCI port it goes on: ide.N */
	const char *accel;	   /* "tcg" or "kvm" */
	uint64_t timeout_ms;	   /* QEMU start to power-off */
	const char *results_dir;   /* exists: console.log, qemu.log, qemu-cmdline.txt */
	const char *const *drives; /* -drive ids whose blockstats are read at the end */
	size_t ndrives;
	FILE *progress; /* live progress lines, or NULL */
	bool keep_rundir;
};

enum installer_end {
	INSTALLER_POWERED_OFF, /* SHUTDOWN from the guest: powered off or rebooted */
	INSTALLER_TIMED_OUT,   /* still running at the time limit: stopped */
	INSTALLER_QEMU_EXITED, /* QEMU went away without a SHUTDOWN event */
	INSTALLER_INFRA,       /* could not start: error says why */
	INSTALLER_INTERRUPTED, /* SIGINT/SIGTERM to guestcheck */
};

struct installer_outcome {
	enum installer_end end;
	char reason[64]; /* SHUTDOWN's reason: "guest-shutdown", "guest-reset", ... */
	double seconds;	 /* QEMU start to the end */
	char error[512];
	int interrupted;			       /* INSTALLER_INTERRUPTED: the signal */
	struct blockstats stats[SCENARIO_MAX_DEVICES]; /* one per drives[] entry */
	struct monitor_state monitor;		       /* the guest's own counters */
	char *console_tail; /* last console lines, printable; free() it */
	/* qemu-cmdline.txt not written: a report failure, the run exits 3. */
	int file_status;
	char file_error[PATH_MAX + 128];
	char log_error[PATH_MAX + 128]; /* console.log cut (vm_log_error()): exits 3 too */
};

/* Fills o; returns 0 when the boot ran (whatever its end), or -errno for INSTALLER_INFRA. */
int installer_boot_run(const struct installer_boot *b, struct installer_outcome *o);

#endif
