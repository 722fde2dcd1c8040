// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A SCSI ZBC disk's own zone report: READ CAPACITY (16), the Zoned Block
 * Device Characteristics VPD page and REPORT ZONES (ZBC IN, service action
 * 0; ZBC-2 section 5.4), sent with SG_IO to the disk opened read-only. The
 * kernel sends the same commands (drivers/scsi/sd_zbc.c) and turns them
 * into its queue limits and BLKREPORTZONE's answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "native_report.h"

/* A zone descriptor (ZBC-2, table 52). */
#define ZD_TYPE	      0
#define ZD_COND	      1
#define ZD_LEN	      8
#define ZD_START      16
#define ZD_WP	      24
#define PDT_ZBC	      0x14 /* peripheral device type of a host-managed disk */
#define SG_TIMEOUT_MS 30000
#define SENSE_UA      0x6 /* UNIT ATTENTION: report once, then the command goes through */
/*
 * scsi_debug builds each answer in one kzalloc(GFP_ATOMIC) of the
 * allocation length: 64 KiB (1023 zones) stays an order-4 allocation.
 */
#define REPORT_BYTES (64u << 10)

void zbc_report_cdb(uint8_t cdb[16], uint64_t lba, uint32_t len, bool partial)
{
	memset(cdb, 0, 16);
	cdb[0] = ZBC_IN;
	cdb[1] = ZBC_SA_REPORT_ZONES;
	for (int i = 0; i < 8; i++)
		cdb[2 + i] = lba >> (56 - 8 * i);
	for (int i = 0; i < 4; i++)
		cdb[10 + i] = len >> (24 - 8 * i);
	cdb[14] = partial ? 0x80 : 0; /* PARTIAL; reporting options 0: every zone */
}

size_t zbc_report_decode(const uint8_t *buf, size_t len, unsigned int block_size,
			 struct view_zone *out, size_t max, uint64_t *listed, uint64_t *gaps)
{
	unsigned int shift = 0;
	size_t n = 0, held;

	*listed = 0;
	if (len < NATIVE_HEADER_BYTES || block_size < 512)
		return 0;
	while ((512u << shift) < block_size)
		shift++;
	*listed = native_be(buf, 4) / NATIVE_DESC_BYTES;
	held = (len - NATIVE_HEADER_BYTES) / NATIVE_DESC_BYTES;
	if (*listed < held)
		held = *listed;
	for (size_t i = 0; i < held && n < max; i++) {
		const uint8_t *d = buf + NATIVE_HEADER_BYTES + i * NATIVE_DESC_BYTES;
		uint64_t zlen = native_be(d + ZD_LEN, 8) << shift;

		if ((d[ZD_TYPE] & 0xf) == ZBC_ZONE_TYPE_GAP) {
			(*gaps)++; /* the kernel leaves them out of its report too */
			continue;
		}
		/* ZBC has no zone capacity: the kernel states the length as capacity. */
		out[n++] = (struct view_zone){ .start = native_be(d + ZD_START, 8) << shift,
					       .len = zlen,
					       .capacity = zlen,
					       .wp = native_be(d + ZD_WP, 8) << shift,
					       .type = d[ZD_TYPE] & 0xf,
					       .cond = d[ZD_COND] >> 4 };
	}
	return n;
}

int scsi_read_capacity16_decode(const uint8_t *buf, size_t len, struct view_geometry *g)
{
	uint64_t last = native_be(buf, 8);
	uint32_t bs = native_be(buf + 8, 4);

	if (len < 12 || bs < 512 || bs % 512 || last == UINT64_MAX)
		return -EINVAL;
	g->v[VF_BLOCK_SIZE] = bs;
	g->v[VF_SIZE] = (last + 1) * (bs / 512);
	return 0;
}

int zbc_vpd_decode(const uint8_t *buf, size_t len, struct view_geometry *g)
{
	uint32_t max_open;

	if (len < 20 || buf[1] != SCSI_VPD_ZONED)
		return -EINVAL;
	max_open = native_be(buf + 16, 4);
	g->v[VF_MAX_OPEN] = max_open == UINT32_MAX ? 0 : max_open; /* all ones: not reported */
	return 0;
}

static const char *const sense_keys[16] = {
	"NO SENSE",	  "RECOVERED ERROR", "NOT READY",      "MEDIUM ERROR",
	"HARDWARE ERROR", "ILLEGAL REQUEST", "UNIT ATTENTION", "DATA PROTECT",
	"BLANK CHECK",	  "VENDOR SPECIFIC", "COPY ABORTED",   "ABORTED COMMAND",
	"sense key 0xc",  "VOLUME OVERFLOW", "MISCOMPARE",     "COMPLETED",
};

static int sense_key(const uint8_t *s, size_t len, unsigned int *asc, unsigned int *ascq)
{
	*asc = *ascq = 0;
	if (len < 4)
		return -1;
	if ((s[0] & 0x7f) >= 0x72) { /* descriptor format */
		*asc = s[2];
		*ascq = s[3];
		return s[1] & 0xf;
	}
	if (len < 14)
		return len >= 3 ? s[2] & 0xf : -1;
	*asc = s[12];
	*ascq = s[13];
	return s[2] & 0xf;
}

const char *scsi_sense_words(const uint8_t *sense, size_t len, char *buf, size_t size)
{
	unsigned int asc, ascq;
	int key = sense_key(sense, len, &asc, &ascq);

	if (key < 0)
		snprintf(buf, size, "no sense data");
	else
		snprintf(buf, size, "%s, asc 0x%02x ascq 0x%02x", sense_keys[key], asc, ascq);
	return buf;
}

/* One command to the device, data in. 0, or -errno with d->why naming the command. */
static int sg_in(struct native_dev *d, const char *what, uint8_t *cdb, unsigned int cdb_len,
		 void *buf, size_t len)
{
	for (int attempt = 0;; attempt++) {
		uint8_t sense[64] = { 0 };
		struct sg_io_hdr h = {
			.interface_id = 'S',
			.cmd_len = cdb_len,
			.cmdp = cdb,
			.dxfer_direction = SG_DXFER_FROM_DEV,
			.dxferp = buf,
			.dxfer_len = len,
			.sbp = sense,
			.mx_sb_len = sizeof(sense),
			.timeout = SG_TIMEOUT_MS,
		};
		unsigned int asc, ascq;
		char words[96];

		memset(buf, 0, len);
		if (ioctl(d->fd, SG_IO, &h) < 0) {
			int err = errno;

			snprintf(d->why, sizeof(d->why), "%s: %s: SG_IO failed: %s", d->path, what,
				 strerror(err));
			return -err;
		}
		if (!h.status && !h.host_status && !(h.driver_status & 0xf))
			return 0;
		/* A unit attention (a reset, a changed capacity) is reported once and cleared. */
		if (attempt == 0 && sense_key(sense, h.sb_len_wr, &asc, &ascq) == SENSE_UA)
			continue;
		snprintf(d->why, sizeof(d->why),
			 "%s: %s failed: SCSI status 0x%x, host 0x%x, driver 0x%x (%s)", d->path,
			 what, h.status, h.host_status, h.driver_status,
			 scsi_sense_words(sense, h.sb_len_wr, words, sizeof(words)));
		return -EIO;
	}
}

static int scsi_open(struct native_dev *d, const struct sysroot *root, const char *node)
{
	char path[PATH_MAX];
	int r = sysroot_path(root, path, sizeof(path), "/dev/%s", node);

	if (r < 0)
		return r;
	snprintf(d->path, sizeof(d->path), "/dev/%s", node);
	/* Read-only: SG_IO still passes commands as root (CAP_SYS_RAWIO); none here writes. */
	d->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (d->fd < 0) {
		r = -errno;
		snprintf(d->why, sizeof(d->why), "%s: cannot open: %s", d->path, strerror(-r));
		return r;
	}
	d->max_bytes = native_max_bytes(root, node, REPORT_BYTES);
	d->buf = malloc(d->max_bytes);
	if (!d->buf) {
		snprintf(d->why, sizeof(d->why), "%s: no memory for a report", d->path);
		return -ENOMEM;
	}
	return 0;
}

static int scsi_geometry(struct native_dev *d, struct view_geometry *g)
{
	uint8_t cdb[16] = { SCSI_READ_CAPACITY16, SCSI_SAI_READ_CAP16 };
	uint8_t inq[6] = { SCSI_INQUIRY, 0, 0, 0, 36 };
	uint8_t data[64], head[NATIVE_HEADER_BYTES + NATIVE_DESC_BYTES];
	struct view_zone z;
	uint64_t listed, gaps = 0;
	int r;

	cdb[13] = 32; /* allocation length */
	r = sg_in(d, "READ CAPACITY (16)", cdb, 16, data, 32);
	if (r < 0)
		return r;
	if (scsi_read_capacity16_decode(data, 32, g) < 0) {
		snprintf(d->why, sizeof(d->why),
			 "%s: READ CAPACITY (16) gave an unusable block size or capacity", d->path);
		return -EINVAL;
	}
	d->block_size = g->v[VF_BLOCK_SIZE];
	while ((512u << d->lba_shift) < d->block_size)
		d->lba_shift++;
	r = sg_in(d, "INQUIRY", inq, 6, data, 36);
	if (r < 0)
		return r;
	/* Only host-managed disks state an open zone limit (sd_zbc.c reads it so too). */
	if ((data[0] & 0x1f) == PDT_ZBC) {
		uint8_t vpd[6] = { SCSI_INQUIRY, 1, SCSI_VPD_ZONED, 0, 64 };

		r = sg_in(d, "INQUIRY VPD page B6h", vpd, 6, data, 64);
		if (r < 0)
			return r;
		if (zbc_vpd_decode(data, 64, g) < 0) {
			snprintf(d->why, sizeof(d->why),
				 "%s: the Zoned Block Device Characteristics page is not B6h",
				 d->path);
			return -EINVAL;
		}
		g->v[VF_MAX_ACTIVE] = 0; /* ZBC has no active zone limit */
	}
	d->max_zones = (d->max_bytes - NATIVE_HEADER_BYTES) / NATIVE_DESC_BYTES;
	/* Not partial: the list length counts every zone from LBA 0. */
	zbc_report_cdb(cdb, 0, sizeof(head), false);
	r = sg_in(d, "REPORT ZONES", cdb, 16, head, sizeof(head));
	if (r < 0)
		return r;
	zbc_report_decode(head, sizeof(head), d->block_size, &z, 0, &listed, &gaps);
	d->listed = listed;
	g->v[VF_NR_ZONES] = listed;
	snprintf(d->source, sizeof(d->source), "the device (SCSI REPORT ZONES via SG_IO on %s)",
		 d->path);
	return 0;
}

static int scsi_report(struct native_dev *d, uint64_t sector, struct view_zone *out, size_t max,
		       size_t *n)
{
	uint8_t cdb[16];
	size_t len = NATIVE_HEADER_BYTES + max * NATIVE_DESC_BYTES;
	uint64_t listed;
	int r;

	if (len > d->max_bytes)
		len = d->max_bytes;
	zbc_report_cdb(cdb, sector >> d->lba_shift, len, true);
	r = sg_in(d, "REPORT ZONES", cdb, 16, d->buf, len);
	if (r < 0)
		return r;
	*n = zbc_report_decode(d->buf, len, d->block_size, out, max, &listed, &d->gaps);
	return 0;
}

static void scsi_close(struct native_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->buf);
	d->buf = NULL;
}

const struct native_reader native_reader_scsi = {
	.command_set = "SCSI",
	.compared = "type, condition, start, length, write pointer",
	.open = scsi_open,
	.geometry = scsi_geometry,
	.report = scsi_report,
	.close = scsi_close,
};

size_t native_max_bytes(const struct sysroot *root, const char *node, size_t cap)
{
	uint64_t kb;

	if (sysroot_read_u64(root, &kb, "/sys/class/block/%s/queue/max_hw_sectors_kb", node) < 0 ||
	    !kb || kb * 1024 >= cap)
		return cap;
	return kb * 1024;
}
