/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * usb-net hot-plug steps driven over QMP, and QEMU's view of the network.
 * The runner talks to QEMU through a monitor of its own for this
 * (RUNDIR/usbnet-qmp.sock, QEMU listening), so these steps never interleave
 * with the session's monitor. Every command and every QMP event lands on one
 * timeline (CLOCK_MONOTONIC), the one the loss windows are drawn on.
 *
 * Steps: plug = hot adds the usb-net after the agent's hello; plug = remap
 * does what a script does to move a NIC onto usb-net: netdev_add tap with
 * the old netdev's fds, device_add usb-net, set_link off and device_del of
 * the old virtio-net; link_down = AT:FOR sets the usb-net's link off AT into
 * the probe and on again FOR later. `info network` is read at the start,
 * after the plug steps and when the agent ends.
 */
#ifndef GUESTCHECK_HOTPLUG_H
#define GUESTCHECK_HOTPLUG_H

#include <stdbool.h>
#include <stddef.h>

#include "strv.h"

#include "scenario/scenario.h"

struct peers;
struct hotplug;

#define HOTPLUG_SOCKET "usbnet-qmp.sock"

/* One moment on the timeline: a command the runner sent or an event QEMU sent. */
struct hotplug_mark {
	double t;	 /* CLOCK_MONOTONIC seconds */
	bool event;	 /* a QMP event (else a command of the runner's) */
	bool failed;	 /* a command QEMU refused */
	char device[32]; /* the scenario device it concerns, "" for all */
	char what[200];	 /* "device_add usb-net net0", "DEVICE_DELETED net0-virtio" */
};

/* The monitor's QEMU arguments, when the scenario has a usb-net device. rundir is escaped. */
void hotplug_qemu_args(const struct scenario *s, const char *rundir, struct strv *argv);

int hotplug_new(struct peers *ps, struct hotplug **out, char *err, size_t errsize);
void hotplug_connect(struct hotplug *hp);
void hotplug_on_hello(struct hotplug *hp);
/* The agent finished: read QEMU's final view while it still runs. */
void hotplug_on_end(struct hotplug *hp);
void hotplug_tick(struct hotplug *hp);
void hotplug_disconnect(struct hotplug *hp);
void hotplug_free(struct hotplug *hp);

/* The timeline so far (commands and events in time order). */
size_t hotplug_marks(struct hotplug *hp, const struct hotplug_mark **marks);

/* `info network` as read at each stage ("start", "after-plug", "end"), or NULL. */
const char *hotplug_info_network(const struct hotplug *hp, const char *stage);

/* Why the monitor could not be used, or NULL. */
const char *hotplug_error(const struct hotplug *hp);

struct peer;
/* When the remap of p's device added its new netdev (CLOCK_MONOTONIC s), or 0. */
double hotplug_remap_time(const struct hotplug *hp, const struct peer *p);

#endif
