// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tap's virtio-net header over `guestcheck diagnose --watch`, and what
 * it means for a usb-net on that tap. The header size is one setting for
 * the whole tap (TUNGETVNETHDRSZ); a usb-net's netdev reads and writes with
 * QEMU's 10 bytes, and a virtio-net's guest driver on the same tap sets 12
 * when it negotiates the device (README, "The users' remap"). When it comes
 * and goes, the usb-net works and stops with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usbnet/diagnose.h"
#include "usbnet/readers.h"
#include "usbnet/tuntap.h"

static int last_size(const struct diag_tap *t)
{
	return t->nhdr_changes ? t->hdr_changes[t->nhdr_changes - 1].size : t->hdr;
}

void diagnose_header_sample(struct diag_tap *t, double at, double step)
{
	int size, last = last_size(t);

	if (t->hdr_fd < 0 || last < 0)
		return;
	t->hdr_seconds[last > QEMU_DEFAULT_HDR] += step;
	size = tuntap_vnet_hdr_size(t->hdr_fd);
	if (size < 0 || size == last)
		return;
	if (t->nhdr_changes == DIAG_MAX_HDR_CHANGES) {
		t->hdr_dropped++;
		return;
	}
	t->hdr_changes[t->nhdr_changes++] = (struct diag_hdr_change){ .t = at, .size = size };
}

/* The usb-net served by a netdev on this tap: its netdev and NIC names, or false. */
static bool usb_net_on(const struct diagnosis *d, const struct diag_tap *t, const char **netdev,
		       const char **nic)
{
	for (size_t i = 0; i < d->nclients; i++) {
		const struct netinfo_client *c = &d->clients[i];
		bool on_tap = false;

		if (strcmp(c->type, "tap") || c->fd < 0 || !c->nic[0])
			continue;
		for (size_t k = 0; k < d->nfds; k++)
			on_tap |= d->fds[k].fd == c->fd && !strcmp(d->fds[k].tap, t->name);
		if (!on_tap)
			continue;
		for (size_t k = 0; k < d->nclients; k++)
			if (!strcmp(d->clients[k].type, "nic") &&
			    !strcmp(d->clients[k].name, c->nic) &&
			    !strcmp(d->clients[k].model, "usb-net")) {
				*netdev = c->name;
				*nic = c->nic;
				return true;
			}
	}
	return false;
}

char *diagnose_header_finding(const struct diagnosis *d, const struct diag_tap *t)
{
	const char *netdev, *nic;
	char steps[600] = "";
	size_t len = 0;
	int larger = t->hdr > QEMU_DEFAULT_HDR ? t->hdr : 0;
	char *s = NULL;

	for (size_t i = 0; i < t->nhdr_changes; i++) {
		if (t->hdr_changes[i].size > QEMU_DEFAULT_HDR)
			larger = t->hdr_changes[i].size;
		if (len < sizeof(steps) - 32)
			len += snprintf(steps + len, sizeof(steps) - len, "%s%.2f s: %d",
					i ? ", " : "", t->hdr_changes[i].t, t->hdr_changes[i].size);
	}
	if (!larger || !usb_net_on(d, t, &netdev, &nic))
		return NULL;
	if (!t->nhdr_changes) {
		if (asprintf(&s,
			     "loss: tap %s puts a %d-byte virtio-net header before every frame "
			     "(TUNGETVNETHDRSZ%s), and netdev %s on it serves usb-net %s, which "
			     "reads "
			     "and writes with QEMU's %d: every frame is misplaced by %d bytes both "
			     "ways. A virtio-net's guest driver on the same tap negotiated it (a "
			     "remap's old NIC, still in the guest): delete that NIC before the "
			     "guest "
			     "can bind it, or give the usb-net a tap of its own (README, \"The "
			     "users' "
			     "remap\")",
			     t->name, larger, d->watch_s ? ", unchanged over the watch" : " now",
			     netdev, nic, QEMU_DEFAULT_HDR, larger - QEMU_DEFAULT_HDR) < 0)
			return NULL;
		return s;
	}
	if (asprintf(&s,
		     "loss: tap %s's virtio-net header changed %zu times in %.1f s "
		     "(TUNGETVNETHDRSZ every %d ms; %d bytes at the start; then %s%s): %.1f s at "
		     "QEMU's %d, which netdev %s (usb-net %s) reads and writes, when the usb-net "
		     "works, and %.1f s at %d, when every frame is misplaced and nothing gets "
		     "through: the guest's virtio_net takes the old virtio-net on this tap (%d) "
		     "and lets it go (%d): whatever in the guest binds and releases that NIC turns "
		     "the usb-net on and off; delete it before the guest can bind it (README, "
		     "\"The users' remap\")",
		     t->name, t->nhdr_changes + t->hdr_dropped, d->watch_s, DIAG_HDR_EVERY_MS,
		     t->hdr, steps, t->hdr_dropped ? ", more not kept" : "", t->hdr_seconds[0],
		     QEMU_DEFAULT_HDR, netdev, nic, t->hdr_seconds[1], larger, larger,
		     QEMU_DEFAULT_HDR) < 0)
		return NULL;
	return s;
}
