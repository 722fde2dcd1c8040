// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guestcheck peer: the usb-net loss probe's peer on its own, for an agent
 * run as a plain command in a VM the user started (`guestcheck-agent --only
 * usbnet` with peer = ADDR:PORT in its agent.ini). It serves one probe run
 * with the session's code (usbnet/peer_serve.h), until the guest says the
 * probe is over or SIGINT/SIGTERM, then writes the files and findings
 * `guestcheck run` writes per device (usbnet/peer_report.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cleanup.h"
#include "inet_port.h"
#include "mkdir_p.h"
#include "units.h"

#include "cli/commands.h"
#include "scenario/scenario.h"
#include "session/run_result.h"
#include "usbnet/peer.h"
#include "usbnet/peer_serve.h"
#include "usbnet/probe_proto.h"

#define PFX "guestcheck peer: "

struct peer_options {
	struct peer_spec spec;
	const char *out_dir;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: guestcheck peer [--listen ADDR:PORT] [--inject-loss PCT]\n"
		"                       [--inject-outage UP/DOWN] [--inject-direction up|down]\n"
		"                       [--inject-seed N] [-o DIR] [--name NAME]\n"
		"\n"
		"Answer one usb-net loss probe of an agent run as a plain command in a VM\n"
		"you started (guestcheck-agent --only usbnet, with peer = ADDR:PORT in the\n"
		"[probe NAME] section of its --config), until the probe ends or SIGINT/SIGTERM;\n"
		"then write usbnet-NAME-timeline.csv, usbnet-NAME.svg and usbnet-NAME.json\n"
		"into DIR and print the findings, as `guestcheck run` does per device.\n"
		"\n"
		"  --listen ADDR:PORT        UDP address to answer on (default 127.0.0.1:%u,\n"
		"                            which a QEMU user-networking guest reaches as\n"
		"                            10.0.2.2:%u); port 0 picks a free one\n"
		"  --inject-loss PCT         drop this share of probes at random, e.g. 12.5%%\n"
		"  --inject-outage UP/DOWN   pass UP, then drop DOWN, repeating, e.g. 20s/120s\n"
		"  --inject-direction DIR    down: withhold the echo (default); up: drop the "
		"probe\n"
		"  --inject-seed N           seed of the random loss, to repeat a run\n"
		"  -o, --output DIR          where the files go (default .)\n"
		"  --name NAME               the device's name in the files (default net0)\n"
		"\n"
		"It only ever sends back to the address a probe came from. Exit status: 0 the\n"
		"probe was answered and its files written, 1 no probe arrived, 2 bad usage,\n"
		"3 cannot listen or cannot write a file.\n",
		PROBE_DEFAULT_PORT, PROBE_DEFAULT_PORT);
}

/* "ADDR:PORT", IPv4, port 0-65535 (0: any free one). */
static int parse_listen(const char *s, struct peer_spec *sp)
{
	uint16_t port = 0;

	if (parse_inet_port(s, &sp->listen, &port, true, true) < 0)
		return -EINVAL;
	sp->listen_set = true;
	sp->port = port;
	return 0;
}

/* It names files: letters, digits, '-', '_' and '.', not first. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	return n && n < sizeof(((struct peer_spec *)0)->name) && s[0] != '.' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

/* One injection option through the scenario's rule for its key. */
static int inject_option(struct peer_spec *sp, const char *opt, const char *key, const char *v)
{
	char why[160];

	if (peer_spec_inject_set(sp, key, v, why, sizeof(why)) < 0) {
		fprintf(stderr, PFX "%s '%s': %s\n", opt, v, why);
		return VERDICT_USAGE;
	}
	return 0;
}

/* 0 with o filled, -1 after --help, or VERDICT_USAGE after its one line. */
static int parse_options(int argc, char **argv, struct peer_options *o)
{
	enum { OPT_LISTEN = 256, OPT_LOSS, OPT_OUTAGE, OPT_DIRECTION, OPT_SEED, OPT_NAME };
	static const struct option options[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "inject-loss", required_argument, NULL, OPT_LOSS },
		{ "inject-outage", required_argument, NULL, OPT_OUTAGE },
		{ "inject-direction", required_argument, NULL, OPT_DIRECTION },
		{ "inject-seed", required_argument, NULL, OPT_SEED },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct peer_spec *sp = &o->spec;
	char why[160];
	int c, r;

	*o = (struct peer_options){ .out_dir = "." };
	*sp = (struct peer_spec){ .netdev = PEER_NETDEV_USER,
				  .queues = 1,
				  .probe = true,
				  .rate = PROBE_DEFAULT_RATE,
				  .duration_ms = PROBE_DEFAULT_DURATION_MS,
				  .port = PROBE_DEFAULT_PORT,
				  .listen = { htonl(INADDR_LOOPBACK) },
				  .listen_set = true };
	snprintf(sp->name, sizeof(sp->name), "net0");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		r = 0;
		switch (c) {
		case OPT_LISTEN:
			if (parse_listen(optarg, sp) < 0) {
				fprintf(stderr,
					PFX "--listen '%s': expected an IPv4 ADDR:PORT, e.g. "
					    "127.0.0.1:%u (port 0: any free one)\n",
					optarg, PROBE_DEFAULT_PORT);
				return VERDICT_USAGE;
			}
			break;
		case OPT_LOSS:
			r = inject_option(sp, "--inject-loss", "inject_loss", optarg);
			break;
		case OPT_OUTAGE:
			r = inject_option(sp, "--inject-outage", "inject_outage", optarg);
			break;
		case OPT_DIRECTION:
			r = inject_option(sp, "--inject-direction", "inject_direction", optarg);
			break;
		case OPT_SEED:
			r = inject_option(sp, "--inject-seed", "inject_seed", optarg);
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case OPT_NAME:
			if (!valid_name(optarg)) {
				fprintf(stderr,
					PFX "--name '%s': it names the files: use 1 to 31 "
					    "letters, digits, '-', '_' or '.', e.g. net0\n",
					optarg);
				return VERDICT_USAGE;
			}
			snprintf(sp->name, sizeof(sp->name), "%s", optarg);
			break;
		case 'h':
			usage(stdout);
			return -1;
		case ':':
			fprintf(stderr, PFX "%s needs a value: see --help\n", argv[optind - 1]);
			return VERDICT_USAGE;
		default:
			fprintf(stderr, PFX "unknown option '%s': see --help\n", argv[optind - 1]);
			return VERDICT_USAGE;
		}
		if (r)
			return r;
	}
	if (optind < argc) {
		fprintf(stderr, PFX "unexpected argument '%s': see --help\n", argv[optind]);
		return VERDICT_USAGE;
	}
	if (peer_spec_inject_check(sp, why, sizeof(why)) < 0) {
		fprintf(stderr, PFX "--inject-loss with --inject-outage: %s\n", why);
		return VERDICT_USAGE;
	}
	return 0;
}

/* What a failed bind means here, and what to do. */
static const char *listen_fix(int r)
{
	switch (r) {
	case -EADDRINUSE:
		return "another program (or another guestcheck peer) uses that port: stop it "
		       "or pick another port with --listen";
	case -EADDRNOTAVAIL:
		return "that address is not one of this host's: use one of them, e.g. "
		       "127.0.0.1 for a QEMU user-networking guest";
	case -EACCES:
		return "ports below 1024 need root: pick a higher port with --listen";
	default:
		return "check the --listen address";
	}
}

/* SIGINT and SIGTERM as a descriptor the serving loop polls. -errno on failure. */
static int stop_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Served: the files and findings. The session's report, with no QEMU and no KTAP. */
static int report(const struct peer_options *o, struct peer_server *sv)
{
	_cleanup_free_ struct scenario *s = calloc(1, sizeof(*s));
	_cleanup_free_ struct peers *ps = calloc(1, sizeof(*ps));
	int r;

	if (!s || !ps) {
		fprintf(stderr, PFX "out of memory for the report\n");
		return VERDICT_INFRA;
	}
	snprintf(s->name, sizeof(s->name), "guestcheck peer");
	*ps = (struct peers){ .scenario = s, .prefix = "", .progress = stdout, .n = 1 };
	snprintf(ps->results_dir, sizeof(ps->results_dir), "%s", o->out_dir);
	ps->p[0] = (struct peer){ .spec = o->spec, .pid = -1, .ctl = -1, .port = sv->d.port };
	r = peer_report_served(ps, &ps->p[0], sv);
	fflush(stdout);
	/* peer_report_served() named each file it could not write. */
	return r < 0 ? VERDICT_INFRA : VERDICT_PASS;
}

int cmd_peer(int argc, char **argv)
{
	_cleanup_close_ int stop = -1;
	struct peer_options o;
	struct peer_server sv;
	enum peer_server_end end;
	char addr[INET_ADDRSTRLEN], why[256];
	int r = parse_options(argc, argv, &o);

	if (r)
		return r < 0 ? VERDICT_PASS : r;
	if ((r = mkdir_p(o.out_dir)) < 0) {
		fprintf(stderr, PFX "%s: cannot create the output folder: %s: pass -o elsewhere\n",
			o.out_dir, strerror(-r));
		return VERDICT_INFRA;
	}
	stop = stop_signals();
	if (stop < 0) {
		fprintf(stderr, PFX "cannot watch SIGINT and SIGTERM (signalfd): %s\n",
			strerror(-stop));
		return VERDICT_INFRA;
	}
	r = peer_server_open(&sv, &o.spec, NULL, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, PFX "%s: %s\n", why, listen_fix(r));
		peer_server_free(&sv);
		return VERDICT_INFRA;
	}
	inet_ntop(AF_INET, &o.spec.listen, addr, sizeof(addr));
	printf(PFX "%s: listening on UDP %s:%u for one probe run, until it ends or "
		   "SIGINT/SIGTERM\n",
	       o.spec.name, addr, sv.d.port);
	fflush(stdout);
	end = peer_server_run(&sv, stop, true);
	peer_server_close(&sv);
	if (!sv.have_run) {
		printf(PFX "%s: stopped before any probe arrived: nothing to report: point "
			   "the agent's peer = at this host, port %u (10.0.2.2:%u from a QEMU "
			   "user-networking guest when listening on 127.0.0.1)\n",
		       o.spec.name, sv.d.port, sv.d.port);
		peer_server_free(&sv);
		return VERDICT_FAIL;
	}
	printf(PFX "%s: %s\n", o.spec.name,
	       end == PEER_SERVER_DONE ? "the guest's probe ended"
	       : end == PEER_SERVER_STOPPED
		       ? "stopped by a signal before the guest said its probe ended"
		       : "stopped: poll failed");
	r = report(&o, &sv);
	peer_server_free(&sv);
	return r;
}
