// SPDX-License-Identifier: GPL-2.0-or-later
#include "nvme_passthrough.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "macro.h"
#include "zoned.h"

int nvme_passthrough_open(const struct sysroot *root, const char *node, int flags,
			  struct nvme_passthrough *pt, char *why, size_t whysize)
{
	char generic[64];
	int fd, id;

	*pt = (struct nvme_passthrough){ .fd = -1 };
	if (strncmp(node, "nvme", 4)) {
		snprintf(why, whysize, "%s is not an NVMe namespace", node);
		return -ENODEV;
	}
	snprintf(generic, sizeof(generic), "ng%s", node + 4);
	snprintf(pt->path, sizeof(pt->path), "/dev/%s", generic);
	fd = zoned_open(root, generic, flags);
	if (fd == -ENOENT) {
		snprintf(pt->path, sizeof(pt->path), "/dev/%s", node);
		fd = zoned_open(root, node, flags);
	}
	if (fd < 0) {
		snprintf(why, whysize, "%s: cannot open: %s", pt->path, strerror(-fd));
		return fd;
	}
	id = ioctl(fd, NVME_IOCTL_ID);
	if (id <= 0) {
		int err = id < 0 ? -errno : -ENXIO;

		snprintf(why, whysize, "%s: NVME_IOCTL_ID: %s", pt->path, strerror(-err));
		close(fd);
		return err;
	}
	pt->fd = fd;
	pt->nsid = (unsigned int)id;
	return 0;
}

void nvme_passthrough_close(struct nvme_passthrough *pt)
{
	if (pt->fd >= 0)
		close(pt->fd);
	pt->fd = -1;
}

int nvme_passthrough_io(const struct nvme_passthrough *pt, struct nvme_passthru_cmd64 *cmd)
{
	int r;

	cmd->nsid = pt->nsid;
	r = ioctl(pt->fd, NVME_IOCTL_IO64_CMD, cmd);
	return r < 0 ? -errno : r;
}

/* The status codes zoned commands complete with (NVMe ZNS 1.1, figure 26; base spec). */
static const struct {
	int status;
	const char *words;
} statuses[] = {
	{ 0x002, "Invalid Field in Command" }, { 0x080, "LBA Out of Range" },
	{ 0x1b8, "Zone Boundary Error" },      { 0x1b9, "Zone Is Full" },
	{ 0x1ba, "Zone Is Read Only" },	       { 0x1bb, "Zone Is Offline" },
	{ 0x1bc, "Zone Invalid Write" },       { 0x1bd, "Too Many Active Zones" },
	{ 0x1be, "Too Many Open Zones" },      { 0x1bf, "Invalid Zone State Transition" },
};

const char *nvme_status_words(int status, char *buf, size_t size)
{
	int code = status & 0x7ff; /* without the Do Not Retry and More bits */

	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (statuses[i].status == code) {
			snprintf(buf, size, "%s (0x%x)", statuses[i].words, code);
			return buf;
		}
	snprintf(buf, size, "status 0x%x", code);
	return buf;
}
