/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The QEMU command line for a scenario: pure, so it is unit-tested. */
#ifndef GUESTCHECK_QEMU_ARGV_H
#define GUESTCHECK_QEMU_ARGV_H

#include <stdio.h>

#include "strv.h"

#include "scenario/scenario.h"

struct qemu_plan {
	const char *binary; /* qemu-system-x86_64, or $GUESTCHECK_QEMU */
	const char *kernel;
	const char *initrd;    /* base image + the per-run configuration */
	const char *accel;     /* "tcg" or "kvm" */
	const char *rundir;    /* private directory: sockets, scratch images */
	const char *uefi_code; /* [machine] firmware = uefi: OVMF's code (uefi_firmware.h) */
	/* The machine takes audiodev= (qemu_machine_audiodev()): newer QEMUs need it. */
	bool machine_audiodev;
};

/* Socket and file names inside rundir. */
#define RUNDIR_KTAP_SOCKET    "ktap.sock"
#define RUNDIR_CONSOLE_SOCKET "console.sock"
#define RUNDIR_QMP_SOCKET     "qmp.sock"
/*
 * [machine] disk: the throwaway overlay over the user's image, and the QEMU
 * guest agent's socket, where QEMU listens (server=on,wait=off) and the
 * runner, or `guestcheck check --qga`, connects.
 */
#define RUNDIR_DISK_OVERLAY "disk.qcow2"
#define RUNDIR_QGA_SOCKET   "qga.sock"
#define QGA_PORT_NAME	    "org.qemu.guest_agent.0"
#define DISK_DRIVE_ID	    "guestcheck-disk"
/* firmware = uefi: this boot's copy of OVMF's variable store, which it writes. */
#define RUNDIR_UEFI_VARS "uefi-vars.fd"

/* The image QEMU attaches for `dev`: its own file, or a scratch one in rundir. */
void qemu_device_image(const struct scenario_device *dev, const char *rundir, char *buf,
		       size_t size);

/* Does the machine have sound built in (xlnx-zcu102's DisplayPort), so it needs an audiodev? */
bool qemu_machine_has_audio(const char *machine);

/* 0 or -ENOMEM. */
int qemu_argv_build(const struct scenario *s, const struct qemu_plan *plan, struct strv *argv);

/* The agent.ini the guest gets: the scenario's expectations plus [agent]. */
int agent_config_write(const struct scenario *s, FILE *out);

#endif
