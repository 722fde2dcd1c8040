/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runner's subcommands: one table drives dispatch and --help (main.c). */
#ifndef GUESTCHECK_COMMANDS_H
#define GUESTCHECK_COMMANDS_H

struct command {
	const char *name;
	int (*handler)(int argc, char **argv); /* argv[0] is the command name */
	const char *usage;
	const char *help;
};

int cmd_run(int argc, char **argv);
int cmd_qemu_args(int argc, char **argv);
int cmd_preflight(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_peer(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
