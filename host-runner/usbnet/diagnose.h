/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `guestcheck diagnose`: the usb-net area's host findings about a QEMU that
 * guestcheck did not start (a user's Incus or libvirt VM), read through its
 * QMP socket and the kernel, changing nothing:
 *
 *   diagnose.c         QMP: version, status, `info network`, the NICs, QEMU's
 *                      pid (SO_PEERCRED); only the read-only commands of its
 *                      allow-list ever leave it; the findings
 *   diagnose_tap.c     one of QEMU's tap descriptors: a copy (pidfd_getfd),
 *                      its tap (fdinfo), queue state (TUNGETIFF), counters
 *                      (libnl, in the tap's network namespace)
 *   diagnose_header.c  the tap's virtio-net header size over the watch, and
 *                      what it means for a usb-net on that tap
 *   diagnose_report.c  the terminal lines and the JSON file
 *
 * The findings are the runner's own: netinfo_findings() and
 * tap_queue_finding(), plus the tap's counters and, with a watch, its rates.
 */
#ifndef GUESTCHECK_DIAGNOSE_H
#define GUESTCHECK_DIAGNOSE_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "nl_route.h"

#include "usbnet/netinfo.h"

#define DIAG_MAX_FDS	     64
#define DIAG_MAX_TAPS	     16
#define DIAG_MAX_QUEUES	     16
#define DIAG_MAX_NICS	     32
#define DIAG_ERR_LEN	     512
#define DIAG_MAX_HDR_CHANGES 64
#define DIAG_HDR_EVERY_MS    50 /* how often --watch reads each tap's header size */

/* One descriptor of QEMU's that `info network` names (fd=N). */
struct diag_fd {
	int fd;		 /* QEMU's number */
	char netdev[64]; /* the first netdev naming it, and its queue there */
	int queue;
	int state;		  /* enum tap_queue_state, from TUNGETIFF on the copy */
	char tap[IFNAMSIZ];	  /* fdinfo's iff: line; "" when unknown or not a tap */
	bool not_tap;		  /* fdinfo read, and it is no tun/tap file */
	char error[DIAG_ERR_LEN]; /* why it could not be read; "" */
};

/* The tap's virtio-net header size changed, seen by --watch. */
struct diag_hdr_change {
	double t; /* seconds into the watch */
	int size; /* TUNGETVNETHDRSZ from then */
};

/* One tap behind those descriptors. */
struct diag_tap {
	char name[IFNAMSIZ];
	uint8_t state[DIAG_MAX_QUEUES]; /* per queue index of `info network` */
	unsigned int queues;		/* the highest queue index seen, plus one */
	int netns_fd;			/* its network namespace, held for the watch; -1 */
	bool netns_from_tap;		/* TUNGETDEVNETNS, else QEMU's /proc/PID/ns/net */
	bool netns_ours;		/* the same namespace as guestcheck's */
	unsigned long long netns_ino;
	bool have_before, have_after;
	struct link_counters before, after;
	double t_before, t_after; /* CLOCK_MONOTONIC seconds of the reads */
	/*
	 * The virtio-net header the tap puts before each frame (TUNGETVNETHDRSZ,
	 * one setting for the whole tap): when first read, then every change
	 * --watch saw and how long it spent at QEMU's 10 bytes or less ([0])
	 * and above ([1]). hdr_fd is a copy of one of its descriptors, held
	 * for the watch; -1.
	 */
	int hdr;
	int hdr_fd;
	struct diag_hdr_change hdr_changes[DIAG_MAX_HDR_CHANGES];
	size_t nhdr_changes, hdr_dropped;
	double hdr_seconds[2];
	char error[DIAG_ERR_LEN];
};

/* A NIC of /machine/peripheral (qom-get of netdev and mac). */
struct diag_nic {
	char id[64], type[64], netdev[64], mac[18];
};

struct diagnosis {
	char socket[PATH_MAX];
	pid_t pid;	    /* QEMU's: SO_PEERCRED, or --pid */
	char comm[32];	    /* /proc/PID/comm */
	char version[32];   /* "7.2.22" */
	char package[128];  /* "Debian 1:7.2+dfsg-..." */
	char status[32];    /* query-status: "running", "paused", ... */
	char *info_network; /* as QEMU printed it; NULL when it could not */
	struct netinfo_client clients[NETINFO_MAX_CLIENTS];
	size_t nclients;
	struct diag_nic nics[DIAG_MAX_NICS];
	size_t nnics;
	struct diag_fd fds[DIAG_MAX_FDS];
	size_t nfds;
	struct diag_tap taps[DIAG_MAX_TAPS];
	size_t ntaps;
	double watch_s;	 /* 0: counters read once */
	char **findings; /* "loss: ...", "note: ...", malloc'd */
	size_t nfindings;
	char cannot[DIAG_ERR_LEN]; /* the first part that could not be read, with its fix; "" */
};

/*
 * Read a running QEMU through the QMP socket at path (the monitor is left as
 * soon as it is read). pid > 0 names QEMU's process instead of the socket's
 * peer. 0, or -errno with one sentence in err when the socket cannot be read
 * at all (not there, not a socket, not QMP, no answer). A tap descriptor that
 * cannot be read (permissions) is said in d->cannot, with the rest read.
 */
int diagnose_read(const char *path, pid_t pid, struct diagnosis *d, char *err, size_t errsize);

/*
 * Whether diagnose may send command with args: the queries it needs, and of
 * HMP only `info` commands. Every command goes through this check.
 */
bool diagnose_command_allowed(const char *command, json_object *args);

/*
 * Watch for seconds: each tap's header size every DIAG_HDR_EVERY_MS, then
 * its counters again (the rates).
 */
void diagnose_watch(struct diagnosis *d, double seconds);

/* The findings into d->findings. 0 or -ENOMEM. */
int diagnose_findings(struct diagnosis *d);

/* How many findings start "loss:". */
size_t diagnose_losses(const struct diagnosis *d);

/* Closes what d holds (the namespaces) and frees it; d can be read again. */
void diagnose_free(struct diagnosis *d);

/* diagnose_tap.c: QEMU's descriptor fd (d->fds[i]) read into it and its tap. */
void diagnose_tap_read(struct diagnosis *d, int pidfd, struct diag_fd *f);
/* One tap's counters in its namespace: 0 or -errno with why in t->error. */
int diagnose_tap_counters(struct diag_tap *t, struct link_counters *c);

/*
 * diagnose_header.c: one read of t's header size at seconds into the
 * watch, step seconds after the last; and the finding about a usb-net on a
 * tap whose header is not its own (malloc'd, or NULL when there is none).
 */
void diagnose_header_sample(struct diag_tap *t, double at, double step);
char *diagnose_header_finding(const struct diagnosis *d, const struct diag_tap *t);

/* diagnose_report.c */
void diagnose_print(const struct diagnosis *d, FILE *out);
int diagnose_write_json(const struct diagnosis *d, const char *path, char *err, size_t errsize);

#endif
