/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio_release = RELEASED/BOUND: while the loss probe runs, the guest's
 * virtio_net driver lets go of its NICs for RELEASED, then takes them again
 * for BOUND, repeating from the probe's start. After a remap the old
 * virtio-net is still in the guest; when its driver lets go, QEMU resets the
 * device (the tap's virtio-net header back to 10 bytes, queues 1-N
 * detached), and when it binds again the driver negotiates it (12 bytes).
 * A guest that does this from time to time is one condition that turns the
 * remap's loss into an on/off pattern (README, "The users' remap").
 *
 * A child process does the unbinding and binding (each write can take
 * a while: the driver's remove and probe run in it), stamping each on the
 * probe's clock in memory it shares with the check.
 */
#ifndef GUESTCHECK_USBNET_VIRTIO_RELEASE_H
#define GUESTCHECK_USBNET_VIRTIO_RELEASE_H

#include <stdint.h>
#include <sys/types.h>

#include "probe.h"

#define VIRTIO_RELEASE_MAX_DEVS	  4
#define VIRTIO_RELEASE_MAX_EVENTS 128

struct virtio_release_event {
	uint64_t t_ns; /* when the write returned, on CLOCK_MONOTONIC */
	uint8_t bound; /* 1: bound again; 0: released */
	uint8_t dev;   /* index into devs */
	int16_t error; /* 0, or the write's errno */
};

/* What the child did: written by it, read by the check after it ended. */
struct virtio_release_log {
	char devs[VIRTIO_RELEASE_MAX_DEVS][16]; /* "virtio1" */
	uint32_t ndevs;
	uint32_t nevents;
	uint32_t dropped; /* events past VIRTIO_RELEASE_MAX_EVENTS */
	struct virtio_release_event ev[VIRTIO_RELEASE_MAX_EVENTS];
};

struct virtio_release {
	pid_t pid; /* the child, 0 when none */
	struct virtio_release_log *log;
};

/*
 * Find the devices virtio_net drives (through root) and start the child,
 * whose first release comes at t0 (the probe's start, CLOCK_MONOTONIC ns);
 * at end (the probe's last send) it binds what it released and waits.
 * 0, -ENODEV when virtio_net drives nothing, or -errno.
 */
int virtio_release_start(struct virtio_release *vr, const struct sysroot *root,
			 uint32_t released_ms, uint32_t bound_ms, uint64_t t0, uint64_t end);

/* Stop the child: it binds what it released and ends. Keeps the log. */
void virtio_release_stop(struct virtio_release *vr);

/*
 * The probes sent while the driver held the NICs and while it did not,
 * and how many of each were answered (pure: the unit test's).
 * A probe sent before the first event counts as bound (the boot's state).
 */
struct virtio_release_split {
	uint32_t released_sent, released_answered;
	uint32_t bound_sent, bound_answered;
};
void virtio_release_split(const struct virtio_release_log *log, uint64_t probe_t0,
			  const struct probe_result *res, struct virtio_release_split *out);

/* Free the log. */
void virtio_release_free(struct virtio_release *vr);

#endif
