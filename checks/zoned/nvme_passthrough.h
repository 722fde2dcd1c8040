/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NVMe commands sent around the block layer: the namespace's generic
 * character device (/dev/ngXnY, Linux 5.13 and later) and
 * NVME_IOCTL_IO64_CMD, the path xnvme and fio's io_uring_cmd engine take.
 * What goes this way is invisible to the block layer's own state (since
 * Linux 6.10 its cached write pointers), which is why the zoned checks use
 * it: to read the device's own answer and to show what the kernel misses.
 */
#ifndef GUESTCHECK_ZONED_NVME_PASSTHROUGH_H
#define GUESTCHECK_ZONED_NVME_PASSTHROUGH_H

#include <linux/nvme_ioctl.h>
#include <stddef.h>

#include "sysroot.h"

struct nvme_passthrough {
	int fd;
	unsigned int nsid;
	char path[64]; /* "/dev/ng0n1", for messages */
};

/*
 * Open the generic device of block node `node` ("nvme0n1" -> "/dev/ng0n1"),
 * or the block node itself where a kernel has no generic device, and read
 * its namespace ID. 0, or -errno with `why` saying what is missing.
 */
int nvme_passthrough_open(const struct sysroot *root, const char *node, int flags,
			  struct nvme_passthrough *pt, char *why, size_t whysize);
void nvme_passthrough_close(struct nvme_passthrough *pt);

/*
 * Send one I/O command (cmd->nsid is filled in). 0 on success, -errno when
 * the ioctl failed, or the NVMe status (> 0: status code type << 8 | status
 * code) the device completed it with.
 */
int nvme_passthrough_io(const struct nvme_passthrough *pt, struct nvme_passthru_cmd64 *cmd);

/* An NVMe status in words: "Zone Is Read Only (0x1ba)", "status 0x2ff". */
const char *nvme_status_words(int status, char *buf, size_t size);

#endif
