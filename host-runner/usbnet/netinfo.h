/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What QEMU's own view of the network says about loss: `info network`
 * (HMP, through QMP's human-monitor-command: QMP has no equivalent), read
 * into net clients, and the findings that explain a usb-net that loses
 * frames: netdevs sharing a tap descriptor, a netdev with no frontend, a
 * multi-queue tap behind a single-queue device, a MAC other than the
 * scenario's. Pure, unit-tested.
 */
#ifndef GUESTCHECK_NETINFO_H
#define GUESTCHECK_NETINFO_H

#include <stdbool.h>
#include <stddef.h>

#define NETINFO_MAX_CLIENTS  64
#define NETINFO_MAX_FINDINGS 16
#define NETINFO_FINDING_LEN  2048 /* whole: no finding is cut (a unit test holds it) */

struct netinfo_client {
	char name[64];
	int index;	/* queue */
	char type[16];	/* "nic", "tap", "user", ... */
	char model[32]; /* NICs: "usb-net", "virtio-net-pci" (on queue 0 only) */
	char mac[18];
	int fd;	      /* taps: the queue's descriptor, -1 otherwise */
	char nic[64]; /* a netdev printed under a NIC: that NIC; "" for no frontend */
};

/* Parse `info network`. Returns how many clients (at most max); garbage lines are skipped. */
size_t netinfo_parse(const char *text, struct netinfo_client *out, size_t max);

/* What the scenario configured for one usb-net device. */
struct netinfo_expect {
	const char *name; /* the device id and its netdev's: "net0" */
	const char *mac;  /* or NULL */
};

/*
 * The findings, one sentence each, into out[max]: returns how many. A
 * finding that explains loss starts with "loss: ", one that only informs
 * with "note: ".
 */
size_t netinfo_findings(const struct netinfo_client *c, size_t n,
			const struct netinfo_expect *expect, size_t nexpect,
			char out[][NETINFO_FINDING_LEN], size_t max);

#endif
