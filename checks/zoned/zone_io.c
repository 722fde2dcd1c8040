// SPDX-License-Identifier: GPL-2.0-or-later
#include "zone_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cleanup.h"

struct blk_zone_report *zone_report_alloc(unsigned int max)
{
	return calloc(1, sizeof(struct blk_zone_report) + (size_t)max * sizeof(struct blk_zone));
}

int zone_report(int fd, struct blk_zone_report *rep, uint64_t sector, unsigned int max)
{
	rep->sector = sector;
	rep->nr_zones = max;
	rep->flags = 0;
	return ioctl(fd, BLKREPORTZONE, rep) < 0 ? -errno : 0;
}

int zone_report_one(int fd, uint64_t sector, struct blk_zone *zone)
{
	union {
		struct blk_zone_report rep;
		char bytes[sizeof(struct blk_zone_report) + sizeof(struct blk_zone)];
	} buf;
	int r = zone_report(fd, &buf.rep, sector, 1);

	if (r < 0)
		return r;
	if (!buf.rep.nr_zones)
		return -ENODATA;
	*zone = buf.rep.zones[0];
	return 0;
}

static const struct {
	unsigned long op;
	const char *name;
} mgmt_ops[] = {
	{ BLKRESETZONE, "reset" },
	{ BLKOPENZONE, "open" },
	{ BLKCLOSEZONE, "close" },
	{ BLKFINISHZONE, "finish" },
};

const char *zone_mgmt_name(unsigned long op)
{
	for (size_t i = 0; i < ARRAY_SIZE(mgmt_ops); i++)
		if (mgmt_ops[i].op == op)
			return mgmt_ops[i].name;
	return "zone operation";
}

int zone_mgmt(int fd, unsigned long op, uint64_t sector, uint64_t nr_sectors)
{
	struct blk_zone_range range = { .sector = sector, .nr_sectors = nr_sectors };

	return ioctl(fd, op, &range) < 0 ? -errno : 0;
}

int zone_write(int fd, uint64_t sector, const void *buf, size_t len)
{
	ssize_t n = pwrite(fd, buf, len, (off_t)(sector * 512));

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

void *zone_io_buffer(size_t len)
{
	void *buf = NULL;

	if (posix_memalign(&buf, 4096, len))
		return NULL;
	for (size_t i = 0; i < len; i++)
		((unsigned char *)buf)[i] = (unsigned char)(i * 31 + 7);
	return buf;
}
