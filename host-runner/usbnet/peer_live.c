// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "usbnet/hotplug.h"
#include "usbnet/peer.h"
#include "usbnet/readers.h"

/* The device whose usb-net the netdev is, or competes with: NAME or NAME-orig. */
static struct peer *device_of(struct peers *ps, const char *netdev)
{
	for (size_t i = 0; i < ps->n; i++)
		if (peer_spec_netdev_is_ours(&ps->p[i].spec, netdev))
			return &ps->p[i];
	return NULL;
}

void peers_live_causes(struct peers *ps)
{
	const struct readers_change *c;
	size_t n = readers_changes(ps->readers, &c);

	for (; ps->readers_seen < n; ps->readers_seen++) {
		const struct readers_change *ch = &c[ps->readers_seen];
		struct peer *p = device_of(ps, ch->netdev);
		bool other = p && strcmp(ch->netdev, p->spec.name);

		double remapped = p ? hotplug_remap_time(ps->hp, p) : 0;

		/* Before the remap, the old netdev's handlers are its NIC's, as they should be. */
		if (!p || !other || !remapped || ch->t < remapped)
			continue;
		/* One line per burst: a netdev takes all its queues within microseconds. */
		if (p->live_said && (int)ch->what == p->live_what && ch->t - p->live_said < 0.05 &&
		    (ch->what != READERS_HDR_LEN || ch->value == p->live_hdr))
			continue;
		if (ch->what == READERS_HANDLER && ch->reads)
			peers_progress(
				ps,
				"%s: live: %s took the read handler of descriptor %d and any "
				"others of "
				"that instant (uprobes, at "
				"%.3f s): what the tap puts on that queue no longer reaches the "
				"usb-net",
				p->spec.name, ch->netdev, ch->fd, ch->t - ps->start);
		else if (ch->what == READERS_HDR_LEN && ch->value != QEMU_DEFAULT_HDR)
			peers_progress(ps,
				       "%s: live: %s set the tap's virtio-net header to %d bytes "
				       "(uprobes, at %.3f s): the usb-net's netdev reads and "
				       "writes with %d, every frame is misplaced",
				       p->spec.name, ch->netdev, ch->value, ch->t - ps->start,
				       QEMU_DEFAULT_HDR);
		/* Back to QEMU's size after a larger one: the guest's driver let go. */
		else if (ch->what == READERS_HDR_LEN && p->live_hdr > QEMU_DEFAULT_HDR)
			peers_progress(ps,
				       "%s: live: %s put the tap's virtio-net header back to %d "
				       "bytes (uprobes, at %.3f s): its virtio-net was reset, and "
				       "the usb-net's netdev's frames are whole again",
				       p->spec.name, ch->netdev, ch->value, ch->t - ps->start);
		else
			continue;
		if (ch->what == READERS_HDR_LEN)
			p->live_hdr = ch->value;
		p->live_said = ch->t;
		p->live_what = ch->what;
		if (!p->live_cause)
			p->live_cause = ch->t;
	}
}
