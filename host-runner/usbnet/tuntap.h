/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tap device, made the way libvirt and Incus make the ones they hand to
 * QEMU as fds=: IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, and IFF_MULTI_QUEUE with
 * one descriptor per queue above one queue. Needs CAP_NET_ADMIN; the runner
 * only ever makes taps inside the peer's private network namespace.
 */
#ifndef GUESTCHECK_TUNTAP_H
#define GUESTCHECK_TUNTAP_H

/* Open `queues` descriptors of tap `name` into fds (not close-on-exec). 0 or -errno. */
int tuntap_create(const char *name, unsigned int queues, int *fds);

/*
 * Whether a queue descriptor is detached from its tap (TUNSETQUEUE with
 * IFF_DETACH_QUEUE, as QEMU does for queues a frontend does not use): the
 * kernel then neither hands it frames nor takes frames written to it.
 * TUNGETIFF says so with IFF_DETACH_QUEUE. 1 detached, 0 attached, or -errno.
 */
int tuntap_queue_detached(int fd);

/*
 * The virtio-net header the tap puts before each frame (TUNGETVNETHDRSZ):
 * one setting for the whole tap, all queues. A netdev that reads or writes
 * with another size misplaces every frame. Bytes, or -errno.
 */
int tuntap_vnet_hdr_size(int fd);

#endif
