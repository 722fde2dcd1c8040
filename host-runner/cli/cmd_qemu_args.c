// SPDX-License-Identifier: GPL-2.0-or-later
/* guestcheck qemu-args SCENARIO: the QEMU command line `run` would start. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/run_options.h"
#include "vm/qemu_argv.h"
#include "vm/uefi_firmware.h"

int cmd_qemu_args(int argc, char **argv)
{
	struct run_options o = { .accel = ACCEL_TCG };
	struct qemu_plan plan = { .initrd = "RUNDIR/initrd.img", .rundir = "RUNDIR" };
	struct strv args = { 0 };
	struct guest g;
	struct uefi_firmware fw;
	char err[PATH_MAX + 256];
	char *line;
	int ret = run_options_parse(&o, argc, argv, false);

	if (ret <= 0)
		return -ret;
	ret = guest_resolve_no_image(&g, &o);
	if (ret)
		return ret;
	plan.binary = g.qemu;
	plan.kernel = g.kernel;
	plan.accel = o.accel == ACCEL_KVM ? "kvm" : "tcg";
	/* Without OVMF installed the line names the file run would look for first. */
	if (g.scenario.firmware_uefi) {
		uefi_firmware_find(&fw, err, sizeof(err));
		plan.uefi_code = fw.code;
	}
	qemu_argv_build(&g.scenario, &plan, &args);
	line = strv_join_shell(&args);
	if (!line) {
		fprintf(stderr, "guestcheck: out of memory\n");
		ret = 3;
	} else {
		printf("# RUNDIR is the private directory `guestcheck run` creates for each run:\n"
		       "# the runner listens on its sockets and writes initrd.img (the base image\n"
		       "# %s plus the scenario) and scratch images there%s.\n%s\n",
		       g.initramfs,
		       g.scenario.firmware_uefi ? ", and " RUNDIR_UEFI_VARS
						  ", a copy of OVMF's variable store"
						: "",
		       line);
	}
	free(line);
	strv_free(&args);
	guest_free(&g);
	return ret;
}
