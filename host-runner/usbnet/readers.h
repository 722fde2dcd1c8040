/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which netdev reads each tap descriptor, at each moment, from QEMU itself.
 *
 * QEMU's main loop keeps one read handler per descriptor: when two netdevs
 * share a tap's descriptors (the users' remap), the one that registered
 * last reads every frame of that queue. `info network` shows the sharing,
 * not who reads. This watches QEMU with uprobes (bpftrace, root only) on two
 * functions Debian's QEMU exports:
 *   aio_set_fd_handler(ctx, fd, ..., io_read, ..., opaque)  every (de)registration:
 *       the opaque of a tap's handler is its TAPState, whose first member is
 *       the netdev's NetClientState (name at offset 56)
 *   qemu_send_packet_async(sender, ...)  every frame a tap netdev read, by
 *       netdev (sender->name) and queue (sender->queue_index), counted per second
 * and three that change what the whole tap shares, whichever descriptor
 * they go through: qemu_set_vnet_hdr_len, qemu_using_vnet_hdr, qemu_set_offload.
 * Evidence, not a guess: when bpftrace is missing, the runner is not root
 * or QEMU lacks the symbols, readers_why_not() says so and the findings say
 * what they only suspect.
 */
#ifndef GUESTCHECK_READERS_H
#define GUESTCHECK_READERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define READERS_MAX_CHANGES 4096
/* The header QEMU gives a tap netdev that never negotiated one: sizeof(struct virtio_net_hdr). */
#define QEMU_DEFAULT_HDR   10
#define READERS_MAX_COUNTS 65536

enum readers_what {
	READERS_HANDLER,   /* fd: the netdev registered (value 1) or dropped (0) its read handler */
	READERS_HDR_LEN,   /* qemu_set_vnet_hdr_len(netdev, value): the tap's header size */
	READERS_USING_HDR, /* qemu_using_vnet_hdr(netdev, value): frames carry the header */
	READERS_OFFLOAD	   /* qemu_set_offload(netdev, csum, tso4, ...): value bit 0 csum, 1 tso4 */
};

/* One change QEMU made, as it made it. */
struct readers_change {
	double t; /* CLOCK_MONOTONIC s */
	enum readers_what what;
	int fd;
	bool reads; /* READERS_HANDLER */
	int value;  /* READERS_HDR_LEN, READERS_USING_HDR */
	char netdev[32];
};

/* Frames one netdev read from one tap queue between t_from and t (about a second). */
struct readers_count {
	double t;
	double t_from; /* the tracer's previous count: 0 for its first (since it attached) */
	char netdev[32];
	unsigned int queue;
	uint64_t frames;
};

struct readers;

/*
 * Start watching QEMU pid (its binary is /proc/PID/exe; version "7.2.22"
 * picks aio_set_fd_handler's arguments). netdevs: the names worth keeping
 * (a netdev whose name starts with one of them); n of them. NULL with the
 * reason in why when the evidence cannot be had (not an error: the run
 * goes on).
 */
struct readers *readers_start(pid_t pid, const char *qemu_version, const char *const *netdevs,
			      size_t n, char *why, size_t whysize);

/* Read what the tracer printed; never blocks. */
void readers_poll(struct readers *r);

/* Whether the probes are attached (the tracer said so). */
bool readers_attached(const struct readers *r);

/* Stop the tracer and read its last lines. */
void readers_stop(struct readers *r);

size_t readers_changes(const struct readers *r, const struct readers_change **out);
size_t readers_counts(const struct readers *r, const struct readers_count **out);
/* Lines that did not parse or did not fit: counted, not kept. */
size_t readers_dropped(const struct readers *r);
/* What the tracer said on stderr when it failed, or "". */
const char *readers_error(const struct readers *r);

void readers_free(struct readers *r);

#endif
