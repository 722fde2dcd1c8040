/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The probe peers: for each usb-net device the session starts a peer in its
 * own forked process (PR_SET_PDEATHSIG, so it never outlives the runner)
 * that answers the guest's loss probe (checks/usbnet/probe_proto.h) and
 * injects the loss the scenario asks for. With QEMU user networking it
 * listens on 127.0.0.1, which the guest reaches as its gateway (10.0.2.2);
 * with netdev = tap (root) it first moves into a private network namespace,
 * creates the tap there with the gateway's address and hands the tap's
 * descriptors to the runner for QEMU.
 *
 * The area's operations (usbnet/area.c, session/area.h) call, in order:
 * peers_start (before the QEMU command line), peers_agent_config (into
 * agent.ini), peers_qemu_started, peers_on_ktap (every KTAP read: the
 * probe's live lines go to the progress output), peers_tick (every loop
 * turn: hot-plug steps over QMP), peers_stop (QEMU stopped), peers_report
 * (the timeline, the plot and the host's findings in the results
 * directory), peers_free.
 */
#ifndef GUESTCHECK_PEER_H
#define GUESTCHECK_PEER_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "macro.h"

#include "scenario/scenario.h"
#include "session/ktap_parse.h"
#include "usbnet/neigh_watch.h"
#include "usbnet/netns.h"
#include "usbnet/peer_spec.h"

struct hotplug;

/* ---- what a peer process leaves behind: RUNDIR/peer-NAME.bin ---- */

#define PEER_DUMP_MAGIC 0x47435044u /* "GCPD" */
#define PEER_MAX_NEIGH	512	    /* neighbour changes kept; the rest are counted */

enum peer_probe_flags {
	PEER_PROBE_RX = 1 << 0,	       /* arrived */
	PEER_PROBE_DROP_UP = 1 << 1,   /* dropped on purpose as upstream loss */
	PEER_PROBE_DROP_DOWN = 1 << 2, /* received, echo withheld on purpose */
	PEER_PROBE_ECHOED = 1 << 3,
	PEER_PROBE_ACKED = 1 << 4, /* the guest reported the echo's arrival and RTT */
};

struct peer_probe {
	uint64_t rx_ns;	    /* CLOCK_MONOTONIC of the first arrival */
	uint64_t t_send_ns; /* the guest's send time since its probe started */
	uint32_t rtt_us;    /* from the guest's acks */
	uint8_t flags;
	uint8_t copies; /* arrivals, saturating: above 1 the network duplicated it */
	uint16_t pad;
};

struct peer_dump {
	uint32_t magic;
	uint32_t nprobes; /* records following: the guest's planned count */
	uint32_t run_id, rate;
	uint64_t first_rx_ns; /* the first probe's arrival */
	uint32_t received; /* distinct probes that arrived and were not dropped as upstream loss */
	uint32_t dropped_up, dropped_down, echoed, duplicates, stray, other_runs, queries;
	uint32_t done_sent; /* the guest's own count of probes sent, from DONE */
	uint8_t done, have_tap, pad[2];
	uint16_t port;
	struct link_counters tap_before, tap_after;
	char tap_name[16];
	char error[160]; /* why the peer stopped serving, "" when it did not */
	/* The tap's IPv4 neighbour entries as they changed (neigh_watch.h); with a tap only. */
	uint8_t have_neigh, pad2[3];
	uint32_t nneigh, neigh_dropped;
	struct neigh_change neigh[PEER_MAX_NEIGH];
	char neigh_error[96]; /* why there is no record of them, "" when there is */
};

/* ---- the session's side ---- */

struct peer {
	struct peer_spec spec;
	pid_t pid;
	int ctl;       /* socketpair to the peer: closing it tells the peer to finish */
	uint16_t port; /* where it listens */
	int tap_fds[PEER_MAX_QUEUES];
	unsigned int ntap;
	char dump_path[PATH_MAX];
	double probe_start; /* CLOCK_MONOTONIC s when the guest said it starts probing; 0 before */
	/* Tap queues as the agent ended, by TUNGETIFF on the runner's copies: 0 unknown, 1
	 * attached, 2 detached. */
	uint8_t queue_state[PEER_MAX_QUEUES];
	double live_cause; /* CLOCK_MONOTONIC s the first live cause was said; 0 none */
	double live_said;  /* ...and the last, and what it was about (enum readers_what) */
	int live_what;
	int live_hdr;	   /* the tap's header size as last said live; 0 before any */
	int vnet_hdr_size; /* the tap's, as the agent ended (TUNGETVNETHDRSZ); -errno unknown */
};

struct peers {
	struct peer p[PEER_MAX_SPECS];
	size_t n;
	const struct scenario *scenario;
	char rundir[PATH_MAX];
	char results_dir[PATH_MAX];
	const char *prefix; /* "" or "kvm-attempt-" */
	FILE *progress;
	double start;		    /* CLOCK_MONOTONIC s of the session start, for progress lines */
	size_t live_test, live_off; /* the diagnostics already shown */
	bool hello, ended;
	struct hotplug *hp;
	struct readers *readers; /* who reads each tap descriptor (uprobes), or NULL: */
	char readers_why[256];	 /* ...why not */
	size_t readers_seen;	 /* changes already said live (peer_live.c) */
};

/*
 * Start one peer per usb-net device. 0, or -errno with a one-line message
 * naming the device and the fix in err (an infrastructure error).
 */
int peers_start(struct peers *ps, const struct scenario *s, const char *rundir,
		const char *results_dir, const char *prefix, FILE *progress, char *err,
		size_t errsize);

/* [probe NAME] sections: the resolved address, gateway and the peer's port. */
void peers_agent_config(const struct peers *ps, FILE *out);
/* One device's section, for a peer on `port` (`guestcheck export` fixes it in advance). */
void peer_spec_agent_config(const struct peer_spec *sp, uint16_t port, FILE *out);

/* QEMU is running: connect what the hot-plug steps need. */
/*
 * QEMU runs (pid, version "7.2.22"): connect to its monitor, and watch which
 * netdev reads each tap descriptor (readers.h) when a device is on a tap.
 */
void peers_qemu_started(struct peers *ps, pid_t qemu_pid, const char *qemu_version);

/*
 * peer_live.c: say at once, on the progress output, each change QEMU makes
 * that takes frames away from a usb-net (uprobes, readers.h): another netdev
 * taking one of its descriptors' read handler, or the tap's virtio-net header
 * set to other than QEMU's 10. The first such moment per device is kept
 * (live_cause) for the report.
 */
void peers_live_causes(struct peers *ps);

/* "[  9.9s] SCENARIO: ..." on the progress output, if any. */
void peers_progress(const struct peers *ps, const char *fmt, ...) __printf(2, 3);

/* After each KTAP read: live lines to the progress output, the probe's start, the hello. */
void peers_on_ktap(struct peers *ps, const struct ktap_run *run);

/* Every loop turn: due hot-plug steps over QMP. */
void peers_tick(struct peers *ps);

/* Tell every peer to finish and wait for it (bounded). */
void peers_stop(struct peers *ps);

/*
 * The per-probe timeline, plot and findings of each device; run may be NULL.
 * Every file is attempted, and each one that cannot be written is said on
 * stderr, naming it. 0, or the first failure's -errno.
 */
int peers_report(struct peers *ps, const struct ktap_run *run);

void peers_free(struct peers *ps);

struct peer_server;
/*
 * The same files and findings for a peer served in this process (guestcheck
 * peer): p's record is sv's, there is no KTAP and no QEMU (ps->hp NULL).
 * 0, or the first failure's -errno, each failure said on stderr.
 */
int peer_report_served(struct peers *ps, struct peer *p, const struct peer_server *sv);

/* The peer process itself (peer_serve.c): never returns. */
void peer_serve(const struct peer_spec *sp, int ctl, const char *dump_path)
	__attribute__((noreturn));

#endif
