// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NVMe ZNS namespace's own zone report: Identify Namespace (CNS 0 and,
 * for the ZNS command set, CNS 5) and Zone Management Receive with the
 * Report Zones action (NVMe ZNS 1.1, section 3.4.2), sent through the
 * namespace's generic device (nvme_passthrough.h), opened read-only. The
 * kernel reads the same command (drivers/nvme/host/zns.c) and turns it into
 * BLKREPORTZONE's answer: a full zone's write pointer at its end, the
 * length from the zone size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "native_report.h"
#include "nvme_passthrough.h"

/* Identify Namespace (NVMe base 2.0, figure 280) and its ZNS part (ZNS 1.1, figure 50). */
#define ID_NSZE	    0
#define ID_FLBAS    26
#define ID_LBAF	    128 /* 4 bytes each; LBADS in byte 2 */
#define ZNS_MAR	    4
#define ZNS_MOR	    8
#define ZNS_LBAFE   2816 /* 16 bytes each: ZSZE (8), ZDES (1, in 64-byte units) */
#define NO_LIMIT_0S 0xffffffffu
/* A zone descriptor (ZNS 1.1, figure 37). */
#define ZD_TYPE	     0
#define ZD_STATE     1
#define ZD_CAP	     8
#define ZD_START     16
#define ZD_WP	     24
#define REPORT_BATCH 4096 /* zones per command at most */

/* A limit from a 0's based count where all ones means none: the kernel's reading (mor + 1). */
static uint64_t limit_0s(uint32_t v)
{
	return v == NO_LIMIT_0S ? 0 : (uint64_t)v + 1;
}

int nvme_identify_decode(const uint8_t *id_ns, const uint8_t *id_ns_zns, struct view_geometry *g,
			 unsigned int *lba_shift, unsigned int *zdes_bytes)
{
	uint8_t flbas = id_ns[ID_FLBAS];
	/* Formats 16 to 63 put the index's high bits in FLBAS bits 6:5. */
	unsigned int fmt = (flbas & 0xf) | ((flbas >> 5) & 0x3) << 4;
	unsigned int lbads = id_ns[ID_LBAF + 4 * fmt + 2];
	const uint8_t *lbafe = id_ns_zns + ZNS_LBAFE + 16 * fmt;

	if (lbads < 9 || lbads > 16)
		return -EINVAL;
	*lba_shift = lbads - 9;
	*zdes_bytes = lbafe[8] * 64u;
	g->v[VF_SIZE] = native_le(id_ns + ID_NSZE, 8) << *lba_shift;
	g->v[VF_BLOCK_SIZE] = 1u << lbads;
	g->v[VF_ZONE_SIZE] = native_le(lbafe, 8) << *lba_shift;
	g->v[VF_MAX_OPEN] = limit_0s(native_le(id_ns_zns + ZNS_MOR, 4));
	g->v[VF_MAX_ACTIVE] = limit_0s(native_le(id_ns_zns + ZNS_MAR, 4));
	return 0;
}

void nvme_report_cmd(uint32_t cdw[16], uint64_t slba, size_t len, bool extended, bool partial)
{
	memset(cdw, 0, 16 * sizeof(cdw[0]));
	cdw[0] = NVME_CMD_ZONE_MGMT_RECV;
	cdw[10] = (uint32_t)slba;
	cdw[11] = (uint32_t)(slba >> 32);
	cdw[12] = len / 4 - 1; /* NUMD: dwords, 0's based */
	/* Zone Receive Action, its specific field (0: every zone), Partial Report. */
	cdw[13] = (extended ? NVME_ZRA_EXT_REPORT : NVME_ZRA_REPORT) | (partial ? 1u << 16 : 0);
}

size_t nvme_report_decode(const uint8_t *buf, size_t len, unsigned int lba_shift, bool extended,
			  unsigned int zdes_bytes, struct view_zone *out, size_t max,
			  uint64_t *reported)
{
	size_t stride = NATIVE_DESC_BYTES + (extended ? zdes_bytes : 0), n;

	if (len < NATIVE_HEADER_BYTES) {
		*reported = 0;
		return 0;
	}
	*reported = native_le(buf, 8);
	n = (len - NATIVE_HEADER_BYTES) / stride;
	if (*reported < n)
		n = *reported;
	if (max < n)
		n = max;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *d = buf + NATIVE_HEADER_BYTES + i * stride;

		/* The NVMe zone type (2: sequential write required) and states are the block
		 * layer's codes. */
		out[i] = (struct view_zone){ .start = native_le(d + ZD_START, 8) << lba_shift,
					     .len = VIEW_UNSTATED,
					     .capacity = native_le(d + ZD_CAP, 8) << lba_shift,
					     .wp = native_le(d + ZD_WP, 8) << lba_shift,
					     .type = d[ZD_TYPE] & 0xf,
					     .cond = d[ZD_STATE] >> 4 };
	}
	return n;
}

static int identify(struct native_dev *d, unsigned int cns, unsigned int csi, uint8_t *buf)
{
	struct nvme_admin_cmd cmd = {
		.opcode = NVME_ADMIN_IDENTIFY,
		.nsid = d->nsid,
		.addr = (uintptr_t)buf,
		.data_len = NVME_IDENTIFY_BYTES,
		.cdw10 = cns,
		.cdw11 = csi << 24,
	};
	int r = ioctl(d->fd, NVME_IOCTL_ADMIN_CMD, &cmd);
	char words[64];

	if (r == 0)
		return 0;
	if (r < 0)
		r = -errno;
	snprintf(d->why, sizeof(d->why), "%s: Identify (CNS %u%s) failed: %s", d->path, cns,
		 csi ? ", CSI ZNS" : "",
		 r < 0 ? strerror(-r) : nvme_status_words(r, words, sizeof(words)));
	return r < 0 ? r : -EIO;
}

static int report_raw(struct native_dev *d, uint64_t slba, size_t len, bool partial)
{
	struct nvme_passthru_cmd64 cmd = { 0 };
	struct nvme_passthrough pt = { .fd = d->fd, .nsid = d->nsid };
	uint32_t cdw[16];
	char words[64];
	int r;

	nvme_report_cmd(cdw, slba, len, d->extended, partial);
	cmd.opcode = cdw[0];
	cmd.cdw10 = cdw[10];
	cmd.cdw11 = cdw[11];
	cmd.cdw12 = cdw[12];
	cmd.cdw13 = cdw[13];
	cmd.addr = (uintptr_t)d->buf;
	cmd.data_len = len;
	memset(d->buf, 0, len);
	r = nvme_passthrough_io(&pt, &cmd);
	if (r == 0)
		return 0;
	snprintf(d->why, sizeof(d->why),
		 "%s: Zone Management Receive (%s) from LBA %llu failed: %s", d->path,
		 d->extended ? "Extended Report Zones" : "Report Zones", (unsigned long long)slba,
		 r < 0 ? strerror(-r) : nvme_status_words(r, words, sizeof(words)));
	return r < 0 ? r : -EIO;
}

static int nvme_open(struct native_dev *d, const struct sysroot *root, const char *node)
{
	struct nvme_passthrough pt;
	int r = nvme_passthrough_open(root, node, O_RDONLY, &pt, d->why, sizeof(d->why));

	if (r < 0)
		return r;
	d->fd = pt.fd;
	d->nsid = pt.nsid;
	snprintf(d->path, sizeof(d->path), "%s", pt.path);
	d->max_bytes = native_max_bytes(root, node,
					NATIVE_HEADER_BYTES + REPORT_BATCH * NATIVE_DESC_BYTES);
	d->buf = malloc(d->max_bytes);
	if (!d->buf) {
		snprintf(d->why, sizeof(d->why), "%s: no memory for a report", d->path);
		return -ENOMEM;
	}
	return 0;
}

static int nvme_geometry(struct native_dev *d, struct view_geometry *g)
{
	_cleanup_free_ uint8_t *id = calloc(2, NVME_IDENTIFY_BYTES);
	struct view_zone z;
	uint64_t count;
	int r;

	if (!id)
		return -ENOMEM;
	r = identify(d, NVME_CNS_NS, 0, id);
	if (r == 0)
		r = identify(d, NVME_CNS_CS_NS, NVME_CSI_ZNS, id + NVME_IDENTIFY_BYTES);
	if (r < 0)
		return r;
	if (nvme_identify_decode(id, id + NVME_IDENTIFY_BYTES, g, &d->lba_shift, &d->zdes_bytes) <
	    0) {
		snprintf(d->why, sizeof(d->why),
			 "%s: Identify Namespace names a block size this agent cannot convert "
			 "(LBADS outside 9..16)",
			 d->path);
		return -EINVAL;
	}
	d->block_size = g->v[VF_BLOCK_SIZE];
	/* The extended report only where the namespace has descriptor extensions. */
	d->extended = d->zdes_bytes > 0;
	if (d->max_bytes < NATIVE_HEADER_BYTES + NATIVE_DESC_BYTES + d->zdes_bytes) {
		snprintf(d->why, sizeof(d->why), "%s: the queue takes transfers of %zu bytes only",
			 d->path, d->max_bytes);
		return -EINVAL;
	}
	d->max_zones = (d->max_bytes - NATIVE_HEADER_BYTES) /
		       (NATIVE_DESC_BYTES + (d->extended ? d->zdes_bytes : 0));
	/* Not partial: the header counts every zone from LBA 0, whatever the buffer holds. */
	r = report_raw(d, 0, NATIVE_HEADER_BYTES + NATIVE_DESC_BYTES + d->zdes_bytes, false);
	if (r < 0)
		return r;
	nvme_report_decode(d->buf, NATIVE_HEADER_BYTES, d->lba_shift, d->extended, d->zdes_bytes,
			   &z, 0, &count);
	d->listed = count;
	g->v[VF_NR_ZONES] = count;
	snprintf(d->source, sizeof(d->source), "the device (NVMe %s via %s)",
		 d->extended ? "Extended Report Zones" : "Report Zones", d->path);
	return 0;
}

static int nvme_report(struct native_dev *d, uint64_t sector, struct view_zone *out, size_t max,
		       size_t *n)
{
	size_t stride = NATIVE_DESC_BYTES + (d->extended ? d->zdes_bytes : 0);
	size_t len = NATIVE_HEADER_BYTES + max * stride;
	uint64_t reported;
	int r;

	if (len > d->max_bytes)
		len = d->max_bytes - (d->max_bytes - NATIVE_HEADER_BYTES) % stride;
	len &= ~(size_t)3;
	r = report_raw(d, sector >> d->lba_shift, len, true);
	if (r < 0)
		return r;
	*n = nvme_report_decode(d->buf, len, d->lba_shift, d->extended, d->zdes_bytes, out, max,
				&reported);
	return 0;
}

static void nvme_close(struct native_dev *d)
{
	struct nvme_passthrough pt = { .fd = d->fd };

	nvme_passthrough_close(&pt);
	d->fd = -1;
	free(d->buf);
	d->buf = NULL;
}

const struct native_reader native_reader_nvme = {
	.command_set = "NVMe",
	.compared = "type, condition, start, capacity, write pointer",
	.open = nvme_open,
	.geometry = nvme_geometry,
	.report = nvme_report,
	.close = nvme_close,
};
