/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One probe peer serving one probe run (checks/usbnet/probe_proto.h): its
 * UDP socket, the loss it injects and its record of every probe. Two users
 * call the same functions: the session's forked peer (peer_serve() in
 * peer.h, which writes the record to a file for peers_report()) and
 * `guestcheck peer` (cli/cmd_peer.c, which serves in its own process and
 * reports from memory with peer_report_served()).
 *
 * It only ever answers: every datagram it sends goes back to the address
 * and port the datagram it answers came from.
 */
#ifndef GUESTCHECK_PEER_SERVE_H
#define GUESTCHECK_PEER_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "usbnet/peer.h"
#include "usbnet/peer_inject.h"
#include "usbnet/peer_spec.h"

struct peer_server {
	const struct peer_spec *sp;
	int udp;
	struct peer_inject inject;
	struct peer_dump d;	   /* the counts; d.port is where it listens */
	struct peer_probe *probes; /* d.nprobes of them once the first probe came */
	bool have_run;
	int neigh; /* neigh_watch_open(), -1 without a tap */
	int tap_ifindex;
};

/*
 * The namespace and tap (netdev = tap: the queues' descriptors in
 * tap_fds[sp->queues]) and the UDP socket. 0, or -errno with the cause in
 * err ("cannot listen on UDP 127.0.0.1:7000: Address already in use"),
 * without a fix: the caller knows which option or key sets the address.
 */
int peer_server_open(struct peer_server *sv, const struct peer_spec *sp, int *tap_fds, char *err,
		     size_t errsize);

enum peer_server_end {
	PEER_SERVER_STOPPED, /* stop_fd became readable or hung up */
	PEER_SERVER_DONE,    /* the guest's DONE came (until_done) */
	PEER_SERVER_FAILED,  /* poll failed */
};

/* Answer probes until stop_fd says stop or, with until_done, the probe run ends. */
enum peer_server_end peer_server_run(struct peer_server *sv, int stop_fd, bool until_done);

/* The tap's final counters, and the socket closed; the record stays until peer_server_free. */
void peer_server_close(struct peer_server *sv);
void peer_server_free(struct peer_server *sv);

#endif
