// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/tuntap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int tuntap_create(const char *name, unsigned int queues, int *fds)
{
	struct ifreq ifr = { 0 };
	unsigned int q;

	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (queues > 1 ? IFF_MULTI_QUEUE : 0);
	for (q = 0; q < queues; q++) {
		/* The same name again attaches another queue to the same tap. */
		int fd = open("/dev/net/tun", O_RDWR);

		if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
			int r = -errno;

			if (fd >= 0)
				close(fd);
			while (q--)
				close(fds[q]);
			return r;
		}
		fds[q] = fd;
	}
	return 0;
}

int tuntap_vnet_hdr_size(int fd)
{
	int size = 0;

	if (ioctl(fd, TUNGETVNETHDRSZ, &size) < 0)
		return -errno;
	return size;
}

int tuntap_queue_detached(int fd)
{
	struct ifreq ifr = { 0 };

	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return -errno;
	return !!(ifr.ifr_flags & IFF_DETACH_QUEUE);
}
