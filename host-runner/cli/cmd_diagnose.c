// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guestcheck diagnose --qmp SOCKET: the usb-net findings of `run` about a
 * QEMU that guestcheck did not start (a user's Incus or libvirt VM),
 * changing nothing (usbnet/diagnose.h).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

#include "cli/commands.h"
#include "session/run_result.h"
#include "usbnet/diagnose.h"

#define MAX_WATCH_MS 3600000

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: guestcheck diagnose --qmp SOCKET [--watch SECONDS] [--json FILE] [--pid "
		"PID]\n\n"
		"Reads a running QEMU, changing nothing: its version and state, `info network`\n"
		"and its NICs over QMP (queries only), then, for each tap descriptor QEMU holds,\n"
		"a copy of it (pidfd_getfd: root, or ptrace rights over QEMU) asked for its tap\n"
		"and queue state (TUNGETIFF), and the tap's counters (libnl, in the tap's own\n"
		"network namespace). Prints the findings `guestcheck run` prints about usb-net\n"
		"loss: netdevs sharing a tap descriptor, netdevs without a frontend, detached\n"
		"queues, a tap that drops frames toward the guest.\n\n"
		"  -q, --qmp SOCKET     QEMU's QMP socket. Incus "
		"(/run/incus/INSTANCE/qemu.monitor)\n"
		"                       and libvirt "
		"(/var/lib/libvirt/qemu/domain-ID-NAME/monitor.sock)\n"
		"                       keep their monitor connected, and QEMU serves one client\n"
		"                       per monitor: give the VM one of its own, -qmp\n"
		"                       unix:PATH,server=on,wait=off (Incus: raw.qemu; libvirt:\n"
		"                       <qemu:commandline>), and name PATH\n"
		"  -w, --watch SECONDS  watch for SECONDS: each tap's virtio-net header size "
		"every\n"
		"                       50 ms (it changes when a guest driver takes or lets go\n"
		"                       of a NIC on that tap), its counters before and after\n"
		"  -j, --json FILE      the findings and everything read, as JSON\n"
		"  -p, --pid PID        QEMU's pid, when the socket's listener is not QEMU\n"
		"  -h, --help           this text\n\n"
		"Exit status: 0 no loss finding, 1 a loss finding, 2 bad usage, 3 cannot read\n"
		"(no socket, not QMP, no permission).\n");
}

static int bad_usage(const char *what)
{
	fprintf(stderr, "guestcheck diagnose: %s: see 'guestcheck diagnose --help'\n", what);
	return VERDICT_USAGE;
}

int cmd_diagnose(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "qmp", required_argument, NULL, 'q' },  { "watch", required_argument, NULL, 'w' },
		{ "json", required_argument, NULL, 'j' }, { "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },	  { 0 },
	};
	const char *socket = NULL, *json = NULL;
	uint64_t watch_ms = 0, pid = 0;
	struct diagnosis *d;
	char err[1024];
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "q:w:j:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			socket = optarg;
			break;
		case 'w':
			if (parse_duration_ms(optarg, &watch_ms) < 0 || !watch_ms ||
			    watch_ms > MAX_WATCH_MS)
				return bad_usage("--watch takes seconds from 0.001 to 3600");
			break;
		case 'j':
			json = optarg;
			break;
		case 'p':
			if (parse_u64(optarg, &pid) < 0 || !pid || pid > INT32_MAX)
				return bad_usage("--pid takes a process id");
			break;
		case 'h':
			usage(stdout);
			return VERDICT_PASS;
		default:
			return bad_usage("unknown option or missing value");
		}
	}
	if (!socket || optind != argc)
		return bad_usage("name QEMU's QMP socket with --qmp SOCKET, nothing else");
	d = calloc(1, sizeof(*d));
	if (!d)
		return VERDICT_INFRA;
	if (diagnose_read(socket, (pid_t)pid, d, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck diagnose: %s\n", err);
		diagnose_free(d);
		free(d);
		return VERDICT_INFRA;
	}
	if (watch_ms)
		diagnose_watch(d, watch_ms / 1000.0);
	if (diagnose_findings(d) < 0) {
		fprintf(stderr, "guestcheck diagnose: out of memory\n");
		diagnose_free(d);
		free(d);
		return VERDICT_INFRA;
	}
	diagnose_print(d, stdout);
	fflush(stdout);
	/* A loss found is the answer; short of one, a part unread leaves the question open. */
	rc = diagnose_losses(d) ? VERDICT_FAIL : d->cannot[0] ? VERDICT_INFRA : VERDICT_PASS;
	if (d->cannot[0])
		fprintf(stderr, "guestcheck diagnose: %s\n", d->cannot);
	if (json && diagnose_write_json(d, json, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck diagnose: %s\n", err);
		rc = VERDICT_INFRA;
	}
	diagnose_free(d);
	free(d);
	return rc;
}
