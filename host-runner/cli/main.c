// SPDX-License-Identifier: GPL-2.0-or-later
/* guestcheck: boots guests with the devices a scenario names and reports what they saw. */
#include <stdio.h>
#include <string.h>

#include "macro.h"
#include "protocol.h"

#include "cli/commands.h"

static const struct command commands[] = {
	{ "run", cmd_run, "run SCENARIO|DIR... [-o DIR] [-j N] [--accel auto|kvm|tcg] ...",
	  "boot each scenario's guest, run the checks, write the reports" },
	{ "qemu-args", cmd_qemu_args, "qemu-args SCENARIO",
	  "print the QEMU command line `run` would start" },
	{ "preflight", cmd_preflight, "preflight DEVICE [--root DIR]",
	  "check this host can pass DEVICE to a guest with VFIO; name each fix" },
	{ "merge", cmd_merge, "merge -o OUT SETDIR...",
	  "one report from the run sets of several shards" },
	{ "peer", cmd_peer, "peer [--listen ADDR:PORT] [--inject-...] [-o DIR]",
	  "the usb-net probe's peer alone, for an agent in a VM you started" },
	{ "export", cmd_export, "export --libvirt|--incus|--qemu-config|--lava SCENARIO",
	  "the scenario for libvirt, Incus, QEMU -readconfig or LAVA" },
	{ "check", cmd_check, "check --qga SOCKET|--libvirt DOMAIN [options]",
	  "the checks in a running VM, through its guest agent" },
	{ "diagnose", cmd_diagnose, "diagnose --qmp SOCKET [--watch S] [--json FILE]",
	  "usb-net loss findings about a running QEMU, changing nothing" },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: guestcheck COMMAND [options]\n\nCommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-48s %s\n", commands[i].usage, commands[i].help);
	fprintf(out, "\n'guestcheck COMMAND --help' for a command's options.\n"
		     "Exit status: 0 passed, 1 a test failed, 2 bad usage or scenario, "
		     "3 infrastructure error.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("guestcheck %s\n", GUESTCHECK_VERSION);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].handler(argc - 1, argv + 1);
	fprintf(stderr, "guestcheck: unknown command '%s': see 'guestcheck --help'\n", argv[1]);
	return 2;
}
