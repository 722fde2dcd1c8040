// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guestcheck check --qga SOCKET | --libvirt DOMAIN | --incus INSTANCE: the
 * checks in a VM that is already running, through the channel it already
 * has (guestagent/check_run.h).
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inet_port.h"
#include "units.h"

#include "cli/commands.h"
#include "guestagent/check_run.h"
#include "session/run_result.h"

#define MAX_TIMEOUT_MS (24ull * 3600 * 1000)

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: guestcheck check --qga SOCKET | --libvirt DOMAIN | --incus INSTANCE\n"
		"                        [--config SCENARIO] [-o DIR] [--only NAME]...\n"
		"                        [--timeout DURATION]\n\n"
		"Runs the checks in a VM that is already running, through its QEMU guest agent\n"
		"or Incus: copies the static agent and the scenario's agent.ini into a new\n"
		"folder on a tmpfs of the guest (/dev/shm or /run; never its disks), runs it\n"
		"there (guest-exec, incus exec), judges its KTAP as `run` does, writes the same\n"
		"reports (junit.xml, results.json, results.ktap, ktap.log, report.html) and\n"
		"removes the folder again, checking that it is gone.\n\n"
		"  -g, --qga SOCKET        the unix socket of the VM's guest agent channel\n"
		"                          (-chardev "
		"socket,path=SOCKET,server=on,wait=off,id=qga0\n"
		"                          -device virtserialport,chardev=qga0,\n"
		"                          name=org.qemu.guest_agent.0)\n"
		"  -l, --libvirt DOMAIN    a libvirt domain's agent, through `virsh\n"
		"                          qemu-agent-command` ($GUESTCHECK_VIRSH for another "
		"virsh)\n"
		"  -U, --libvirt-uri URI   libvirt's connection (default: virsh's)\n"
		"  -i, --incus INSTANCE    an Incus VM ([REMOTE:]NAME), through `incus file push`\n"
		"                          and `incus exec` (its incus-agent); not a container\n"
		"                          ($GUESTCHECK_INCUS for another incus client)\n"
		"  -c, --config SCENARIO   the expectations (its devices, [expect]); default: "
		"none,\n"
		"                          each device check skips\n"
		"  -o, --output DIR        results folder (default guestcheck-results/NAME)\n"
		"      --only NAME         a check (devices.present) or an area (zoned); "
		"repeatable\n"
		"  -t, --timeout DURATION  the agent's run in the guest (default: the scenario's\n"
		"                          run_timeout)\n"
		"  -T, --connect-timeout DURATION  the guest agent's first answer (default 10s)\n"
		"      --peer ADDR:PORT    where the usb-net probe finds its peer, as the guest\n"
		"                          reaches it (`guestcheck peer --listen` on the host; "
		"with\n"
		"                          QEMU user networking the host is 10.0.2.2)\n"
		"      --quiet             no progress, no table when everything passed\n"
		"  -h, --help              this text\n\n"
		"Exit status: 0 passed, 1 a check failed, 2 bad usage (no such socket, domain\n"
		"or instance; an Incus container), 3 infrastructure (no agent answers,\n"
		"guest-exec refused, no tmpfs, the VM stopped, incusd not running).\n");
}

static int bad_usage(const char *what)
{
	fprintf(stderr, "guestcheck check: %s: see 'guestcheck check --help'\n", what);
	return VERDICT_USAGE;
}

int cmd_check(int argc, char **argv)
{
	enum { OPT_ONLY = 256, OPT_QUIET, OPT_PEER };
	static const struct option opts[] = {
		{ "qga", required_argument, NULL, 'g' },
		{ "libvirt", required_argument, NULL, 'l' },
		{ "libvirt-uri", required_argument, NULL, 'U' },
		{ "incus", required_argument, NULL, 'i' },
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "timeout", required_argument, NULL, 't' },
		{ "connect-timeout", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "peer", required_argument, NULL, OPT_PEER },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct check_options o = { .connect_ms = CHECK_CONNECT_MS };
	int c, named = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "g:l:U:i:c:o:t:T:h", opts, NULL)) != -1) {
		switch (c) {
		case 'g':
			o.qga_socket = optarg;
			named++;
			break;
		case 'l':
			o.libvirt_domain = optarg;
			named++;
			break;
		case 'U':
			o.libvirt_uri = optarg;
			break;
		case 'i':
			o.incus_instance = optarg;
			named++;
			break;
		case 'c':
			o.scenario_path = optarg;
			break;
		case 'o':
			if (strlen(optarg) >= sizeof(o.results_dir))
				return bad_usage("-o: the path is too long");
			snprintf(o.results_dir, sizeof(o.results_dir), "%s", optarg);
			break;
		case OPT_ONLY:
			if (o.nonly == CHECK_MAX_ONLY)
				return bad_usage("--only: at most 32");
			o.only[o.nonly++] = optarg;
			break;
		case 't':
			if (parse_duration_ms(optarg, &o.timeout_ms) < 0 || !o.timeout_ms ||
			    o.timeout_ms > MAX_TIMEOUT_MS)
				return bad_usage(
					"--timeout takes a duration from 1ms to 24h (30s, 5m)");
			break;
		case 'T':
			if (parse_duration_ms(optarg, &o.connect_ms) < 0 || !o.connect_ms ||
			    o.connect_ms > MAX_TIMEOUT_MS)
				return bad_usage(
					"--connect-timeout takes a duration from 1ms to 24h (10s)");
			break;
		case OPT_PEER: {
			struct in_addr a;
			uint16_t port = 0;

			if (parse_inet_port(optarg, &a, &port, true, false) < 0)
				return bad_usage(
					"--peer takes ADDR:PORT as the guest reaches it, e.g. "
					"10.0.2.2:47000");
			o.peer = optarg;
			break;
		}
		case OPT_QUIET:
			o.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return bad_usage(optopt ? "an option lacks its value or is unknown"
						: "unknown option");
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument (the scenario goes after --config)");
	if (named != 1)
		return bad_usage("name the guest once: --qga SOCKET, --libvirt DOMAIN or --incus "
				 "INSTANCE");
	/*
	 * The test suite's only way to drive the Incus transport here: Incus
	 * makes no VM without /dev/kvm, so its tests run the agent in a
	 * container, which is said on every run (README, "Checks in a running VM").
	 */
	if (o.incus_instance && getenv("GUESTCHECK_TEST_INCUS_CONTAINER")) {
		o.incus_allow_container = true;
		fprintf(stderr, "guestcheck check: GUESTCHECK_TEST_INCUS_CONTAINER is set: a "
				"container is taken as a VM, for guestcheck's own tests only\n");
	}
	return check_run(&o);
}
