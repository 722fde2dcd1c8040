/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A usb-net device's network plumbing, probe and loss injection, resolved
 * from its scenario keys: parsed once to validate the scenario
 * (devices/usb_net.c) and again by the session to start the peer.
 */
#ifndef GUESTCHECK_PEER_SPEC_H
#define GUESTCHECK_PEER_SPEC_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scenario/scenario.h"

enum peer_netdev { PEER_NETDEV_USER, PEER_NETDEV_TAP };
enum peer_plug { PEER_PLUG_COLD, PEER_PLUG_HOT, PEER_PLUG_REMAP };
enum peer_direction { PEER_INJECT_DOWN, PEER_INJECT_UP };
/*
 * When a remap runs: with the guest running, after the agent's hello; or at
 * Incus's `pre-start` hook, QEMU started paused (-S), the virtio-net added
 * over QMP with its tap queues passed by getfd, as Incus adds NICs, the
 * remap done, and only then `cont`: the guest boots with the usb-net.
 */
enum peer_remap_at { PEER_REMAP_RUNNING, PEER_REMAP_PRESTART };
/*
 * The remap's sequence: the users' script as written (netdev_add on the
 * same descriptors, device_add, set_link off, device_del, no netdev_del),
 * or corrected: the virtio-net removed first and its DEVICE_DELETED
 * awaited, then a netdev on queue 0's descriptor only for the usb-net,
 * which has one queue (README, "The users' remap, measured").
 */

enum peer_remap_fix { PEER_FIX_NONE, PEER_FIX_QUEUE0 };

#define PEER_MAX_QUEUES 8
/*
 * Tap queues reach QEMU as inherited descriptors at fixed numbers, so the
 * command line (-netdev tap,fds=...) is known before the taps exist:
 * PEER_TAP_FD_BASE + 8 * (the device's usb-net index) + queue.
 */
#define PEER_TAP_FD_BASE 100
#define PEER_MAX_SPECS	 8

struct peer_spec {
	char name[32]; /* the scenario device: "net0" */
	int index;     /* among usb-net devices */
	enum peer_netdev netdev;
	enum peer_plug plug;
	enum peer_remap_at remap_at;
	enum peer_remap_fix remap_fix;
	unsigned int queues; /* tap queues */
	char mac[18];	     /* "" when the scenario sets none */

	struct in_addr guest, gateway; /* the peer listens on the gateway address */
	unsigned int prefix;
	bool dhcp;     /* address = dhcp: the guest leases guest/prefix from QEMU's slirp */
	uint16_t port; /* 0: any free port (user networking) */
	/*
	 * User networking: where the peer listens. The session leaves it unset
	 * (127.0.0.1, which the guest reaches as its gateway); `guestcheck
	 * peer --listen` sets it.
	 */
	struct in_addr listen;
	bool listen_set;

	bool probe;
	uint32_t rate, duration_ms;

	uint32_t inject_loss_ppm; /* Bernoulli, per probe */
	enum peer_direction direction;
	uint32_t outage_up_ms, outage_down_ms; /* on/off schedule, 0 = none */
	uint64_t seed;
	bool seed_set;

	uint32_t link_down_at_ms, link_down_len_ms; /* QMP set_link off during the probe */
	uint32_t release_ms, bound_ms; /* virtio_release: the guest's driver cycle (agent) */
};

/* 0, or -EINVAL with "FILE:LINE: [device NAME]: ...: fix" in err. */
int peer_spec_parse(const struct scenario_device *dev, const struct scenario *s,
		    struct peer_spec *out, char *err, size_t errsize);

/*
 * One injection key (inject_loss, inject_outage, inject_direction,
 * inject_seed) from its text, for the scenario and `guestcheck peer` alike.
 * 0, or -EINVAL with what was expected in err ("expected a percentage ...").
 */
int peer_spec_inject_set(struct peer_spec *sp, const char *key, const char *value, char *err,
			 size_t errsize);
/* The injection as a whole: 0, or -EINVAL with why in err. */
int peer_spec_inject_check(const struct peer_spec *sp, char *err, size_t errsize);

/* Descriptor number QEMU finds tap queue q of this device at. */
static inline int peer_tap_fd(const struct peer_spec *sp, unsigned int q)
{
	return PEER_TAP_FD_BASE + 8 * sp->index + q;
}

/* The QEMU ids: the netdev and usb-net device are NAME; a remap starts on NAME-orig/NAME-virtio. */
#define PEER_ORIG_SUFFIX   "-orig"
#define PEER_VIRTIO_SUFFIX "-virtio"

/* Whether netdev is the device's own (NAME) or the one its remap replaces (NAME-orig). */
static inline bool peer_spec_netdev_is_ours(const struct peer_spec *sp, const char *netdev)
{
	size_t len = strlen(sp->name);

	return !strncmp(netdev, sp->name, len) &&
	       (!netdev[len] || !strcmp(netdev + len, PEER_ORIG_SUFFIX));
}

#endif
