// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.zone_append: on scratch devices, a zone append lands at the write
 * pointer and says where. Linux (6.1 and later alike) has no zone-append
 * operation for user space on a block device: neither pwrite nor io_uring's
 * read/write opcodes carry one. It reaches user space only as an NVMe
 * passthrough command, so NVMe namespaces are tested and other devices are
 * reported as not offering it.
 */
#include <errno.h>
#include <linux/nvme_ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "scratch.h"

#define NVME_CMD_ZONE_APPEND 0x7d /* NVMe ZNS command set */

static const char not_offered[] =
	"Linux offers zone append to user space only as an NVMe passthrough command, and no "
	"scratch device is an NVMe namespace";

/* One Zone Append to the zone starting at `zslba`: 0 and *alba, -errno, or an NVMe status > 0. */
static int nvme_zone_append(int fd, unsigned int nsid, uint64_t zslba, const void *buf, size_t len,
			    unsigned int lbs, uint64_t *alba)
{
	struct nvme_passthru_cmd64 cmd = {
		.opcode = NVME_CMD_ZONE_APPEND,
		.nsid = nsid,
		.addr = (uintptr_t)buf,
		.data_len = len,
		.cdw10 = (uint32_t)zslba,
		.cdw11 = (uint32_t)(zslba >> 32),
		.cdw12 = len / lbs - 1, /* number of logical blocks, 0's based */
	};
	int r = ioctl(fd, NVME_IOCTL_IO64_CMD, &cmd);

	if (r < 0)
		return -errno;
	*alba = cmd.result; /* the Assigned LBA, from completion dwords 0 and 1 */
	return r;
}

static bool read_back(struct zoned_scratch *s, uint64_t byte, const void *want, size_t len)
{
	_cleanup_free_ void *got = zone_io_buffer(len);

	if (!got || pread(s->fd, got, len, byte) != (ssize_t)len) {
		check_fail(s->ctx, "%s: reading back the appended data at byte %llu failed", s->who,
			   (unsigned long long)byte);
		return false;
	}
	if (memcmp(got, want, len)) {
		check_fail(s->ctx,
			   "%s: the data at the LBA the append returned (byte %llu) is not "
			   "what was appended",
			   s->who, (unsigned long long)byte);
		return false;
	}
	return true;
}

static const char *zone_append_tests(struct zoned_scratch *s)
{
	int nsid = ioctl(s->fd, NVME_IOCTL_ID);
	unsigned int lbs = s->q.logical_block_size;
	uint64_t wp = s->seq[0] + s->gran / 512, landed[2];
	_cleanup_free_ unsigned char *data = zone_io_buffer(s->gran);
	int r;

	if (nsid <= 0) {
		check_note(s->ctx,
			   "%s: zone append not tested: %s is not an NVMe namespace, and "
			   "Linux offers zone append to user space only as an NVMe passthrough "
			   "command (pwrite and io_uring have no zone-append operation)",
			   s->who, s->t->node);
		return not_offered;
	}
	if (!data)
		return "out of memory";
	for (size_t i = 0; i < s->gran; i++)
		data[i] ^= 0xff; /* unlike the pattern of ordinary writes */
	if (!scratch_reset(s, 0))
		return NULL;
	r = scratch_write(s, 0, s->seq[0], s->gran);
	if (r < 0) {
		check_fail(s->ctx, "%s: a write at the start of an empty zone failed: %s", s->who,
			   zoned_error_words(r));
		return NULL;
	}
	for (int k = 0; k < 2; k++) {
		uint64_t want = wp * 512 / lbs;

		r = nvme_zone_append(s->fd, nsid, s->seq[0] * 512 / lbs, data, s->gran, lbs,
				     &landed[k]);
		if (r) {
			char why[48];

			if (r < 0)
				snprintf(why, sizeof(why), "%s", zoned_error_words(r));
			else
				snprintf(why, sizeof(why), "NVMe status %#x", r);
			check_fail(s->ctx,
				   "%s: NVMe zone append of %zu bytes to the zone at LBA %llu "
				   "failed: %s",
				   s->who, s->gran, (unsigned long long)(s->seq[0] * 512 / lbs),
				   why);
			return NULL;
		}
		if (landed[k] != want) {
			check_fail(s->ctx,
				   "%s: zone append landed at LBA %llu, expected the write "
				   "pointer, LBA %llu",
				   s->who, (unsigned long long)landed[k], (unsigned long long)want);
			return NULL;
		}
		if (!read_back(s, landed[k] * lbs, data, s->gran))
			return NULL;
		wp += s->gran / 512;
		if (!scratch_expect(s, 0, BLK_ZONE_COND_IMP_OPEN, wp, "a zone append"))
			return NULL;
	}
	check_note(s->ctx,
		   "%s: 2 zone appends of %zu bytes (NVMe passthrough) landed at the write "
		   "pointer, LBA %llu then %llu, returned it, and moved it on",
		   s->who, s->gran, (unsigned long long)landed[0], (unsigned long long)landed[1]);
	scratch_reset(s, 0);
	return NULL;
}

int check_zoned_zone_append(struct check_ctx *ctx)
{
	zoned_for_each_scratch(ctx, "the zone append tests", zone_append_tests);
	return 0;
}
