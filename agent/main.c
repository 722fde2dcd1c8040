// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guestcheck-agent: runs the checks inside a guest. As the kernel's /init it
 * sets the system up, reports over virtio-serial and powers off; as a plain
 * command it runs the checks in any Linux guest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checklist.h"
#include "pid1.h"
#include "protocol.h"
#include "run.h"

#define MAX_ONLY 64

static const struct option long_options[] = {
	{ "list", no_argument, NULL, 'l' },
	{ "only", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, 'c' },
	{ "output", required_argument, NULL, 'O' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: guestcheck-agent [--list] [--only NAME...] [--config FILE] [--output "
		"PORT|FILE|-]\n"
		"\n"
		"Runs guestcheck's checks in this Linux guest and writes KTAP.\n"
		"\n"
		"  -l, --list           list the checks and exit\n"
		"  -o, --only NAME      run only this check (area.name) or area; repeatable\n"
		"  -c, --config FILE    scenario or agent.ini with the expectations\n"
		"                       (default: %s when present)\n"
		"  -O, --output DEST    '-' for stdout (default), a virtio-serial port name\n"
		"                       (e.g. %s), or a file\n"
		"  -h, --help           this help\n"
		"  -V, --version        the version\n"
		"\n"
		"Started by the kernel as /init (PID 1) it also mounts /proc, /sys and /dev,\n"
		"loads the scenario's modules, writes to the %s port and powers off.\n",
		AGENT_CONFIG_PATH, AGENT_PORT_NAME, AGENT_PORT_NAME);
}

static void list_tests(void)
{
	size_t n;
	const struct agent_check *t = checklist_all(&n);

	for (size_t i = 0; i < n; i++)
		printf("%-24s %3ds%s  %s\n", t[i].name, t[i].timeout_s,
		       t[i].flags & CHECK_ALONE ? " alone" : "      ", t[i].summary);
}

static bool known_filter(const char *name)
{
	size_t n;
	const struct agent_check *t = checklist_all(&n);
	char *one[] = { (char *)name };

	for (size_t i = 0; i < n; i++)
		if (checklist_selected(t[i].name, one, 1))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct agent_options opt = { .pid1 = getpid() == 1 };
	char *only[MAX_ONLY];
	int c;

	if (opt.pid1) {
		/* Init gets the kernel's leftover arguments: ignore them, never exit. */
		pid1_setup();
		agent_run(&opt);
		pid1_poweroff();
	}
	opt.only = only;
	while ((c = getopt_long(argc, argv, "lo:c:O:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'l':
			list_tests();
			return 0;
		case 'o':
			if (!known_filter(optarg)) {
				fprintf(stderr,
					"guestcheck-agent: --only %s: no such check or area: "
					"see --list\n",
					optarg);
				return 2;
			}
			if (opt.nonly == MAX_ONLY) {
				fprintf(stderr, "guestcheck-agent: more than %d --only\n",
					MAX_ONLY);
				return 2;
			}
			only[opt.nonly++] = optarg;
			break;
		case 'c':
			opt.config_path = optarg;
			break;
		case 'O':
			opt.output = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("guestcheck-agent %s\n", GUESTCHECK_VERSION);
			return 0;
		default:
			fprintf(stderr, "guestcheck-agent: unknown option: see --help\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "guestcheck-agent: unexpected argument '%s': see --help\n",
			argv[optind]);
		return 2;
	}
	return agent_run(&opt);
}
