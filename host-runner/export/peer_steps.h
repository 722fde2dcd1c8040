/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The usb-net probe's peer for an exported machine. `run` starts one peer
 * per adapter on a free port and tells the agent; an export cannot, so it
 * fixes each port when it writes the guest's initrd (probe_port, or 47100 +
 * the adapter's usb-net index) and says how to start `guestcheck peer` on it.
 * User networking only: the guest reaches the host's 127.0.0.1 at its
 * adapter's gateway.
 */
#ifndef GUESTCHECK_EXPORT_PEER_STEPS_H
#define GUESTCHECK_EXPORT_PEER_STEPS_H

#include <stdio.h>

#include "scenario/scenario.h"

/* The [probe NAME] sections `run` gives the agent, with the fixed ports. */
void export_probe_config(const struct scenario *s, FILE *out);

/*
 * One shell line per probing adapter, each after `indent`: the `guestcheck
 * peer` that answers it, in the background, its files going to dir. The
 * number of lines written.
 */
size_t export_peer_commands(const struct scenario *s, const char *dir, const char *indent,
			    FILE *out);

/* The shell word for s: as it is when it needs no quotes, else in single quotes. */
void shell_quote(const char *s, FILE *out);

#endif
