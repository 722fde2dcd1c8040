/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A zoned device's own zone report, read around the block layer: NVMe Zone
 * Management Receive (Report Zones) through the namespace's passthrough
 * ioctl, SCSI REPORT ZONES through SG_IO. One reader per command set, each
 * one const struct, chosen by the device node; the decoders of the raw
 * answers are separate pure functions, so unit tests feed them crafted
 * bytes. Everything is read-only: the readers send no command that writes.
 *
 * Byte order and units: NVMe is little-endian and counts logical blocks;
 * SCSI is big-endian and counts logical blocks; the decoders hand out
 * 512-byte sectors, as the block layer does.
 */
#ifndef GUESTCHECK_ZONED_NATIVE_REPORT_H
#define GUESTCHECK_ZONED_NATIVE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "views.h"
#include "zoned.h"

/* Fields of the raw answers: NVMe little-endian, SCSI big-endian, at any alignment. */
static inline uint64_t native_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static inline uint64_t native_be(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

#define NATIVE_DESC_BYTES   64 /* a zone descriptor, NVMe and ZBC alike */
#define NATIVE_HEADER_BYTES 64 /* the report's header, NVMe and ZBC alike */

/* --- NVMe ZNS (NVMe Zoned Namespace Command Set 1.1) --- */
#define NVME_CMD_ZONE_MGMT_RECV 0x7a
#define NVME_ZRA_REPORT		0x00
#define NVME_ZRA_EXT_REPORT	0x01
#define NVME_ADMIN_IDENTIFY	0x06
#define NVME_CNS_NS		0x00
#define NVME_CNS_CS_NS		0x05 /* I/O command set specific Identify Namespace */
#define NVME_CSI_ZNS		0x02
#define NVME_IDENTIFY_BYTES	4096

/*
 * Identify Namespace (CNS 0) and its ZNS part (CNS 5, CSI 2): capacity,
 * block size, zone size, limits into `g` (VF_* from VF_NR_ZONES on), and the
 * zone descriptor extension size in bytes. 0, or -EINVAL when the block size
 * is not one this agent can convert (below 512 bytes or above 64 KiB).
 */
int nvme_identify_decode(const uint8_t *id_ns, const uint8_t *id_ns_zns, struct view_geometry *g,
			 unsigned int *lba_shift, unsigned int *zdes_bytes);

/*
 * The Zone Management Receive command for a report from `slba`, into a
 * buffer of `len` bytes (a multiple of 4). Extended reports carry
 * `zdes_bytes` of extension after each descriptor. `partial` set: the header
 * counts the descriptors returned; clear: every zone from slba on.
 */
void nvme_report_cmd(uint32_t cdw[16], uint64_t slba, size_t len, bool extended, bool partial);

/*
 * A Report Zones answer of `len` bytes: up to `max` zones into `out` (lengths
 * unstated: NVMe descriptors carry none), `*reported` gets the header's count.
 * Returns the number decoded: the header's count, what the buffer holds, or
 * max, whichever is smallest.
 */
size_t nvme_report_decode(const uint8_t *buf, size_t len, unsigned int lba_shift, bool extended,
			  unsigned int zdes_bytes, struct view_zone *out, size_t max,
			  uint64_t *reported);

/* --- SCSI ZBC (ZBC-2) --- */
#define ZBC_IN		     0x95
#define ZBC_SA_REPORT_ZONES  0x00
#define ZBC_ZONE_TYPE_GAP    0x5
#define SCSI_READ_CAPACITY16 0x9e
#define SCSI_SAI_READ_CAP16  0x10
#define SCSI_INQUIRY	     0x12
#define SCSI_VPD_ZONED	     0xb6 /* Zoned Block Device Characteristics */

void zbc_report_cdb(uint8_t cdb[16], uint64_t lba, uint32_t len, bool partial);

/*
 * A REPORT ZONES answer of `len` bytes: up to `max` zones into `out`, gap
 * zones (ZBC-2, type 5) left out and counted in *gaps, `*listed` the zones
 * the header's list length names. Returns the number written to out.
 * `block_size` is the logical block size in bytes (a multiple of 512).
 */
size_t zbc_report_decode(const uint8_t *buf, size_t len, unsigned int block_size,
			 struct view_zone *out, size_t max, uint64_t *listed, uint64_t *gaps);

/* READ CAPACITY (16): capacity in sectors and block size into g. -EINVAL when unusable. */
int scsi_read_capacity16_decode(const uint8_t *buf, size_t len, struct view_geometry *g);

/* VPD page B6h of a host-managed disk: its open zone limit into g (0 = none). */
int zbc_vpd_decode(const uint8_t *buf, size_t len, struct view_geometry *g);

/* "ILLEGAL REQUEST, asc 0x24 ascq 0x00" from sense data (fixed or descriptor format). */
const char *scsi_sense_words(const uint8_t *sense, size_t len, char *buf, size_t size);

/* --- The readers --- */
struct native_dev {
	int fd;
	unsigned int nsid;	 /* NVMe */
	unsigned int lba_shift;	 /* log2(logical block size / 512) */
	unsigned int block_size; /* bytes */
	unsigned int zdes_bytes; /* NVMe extended report: extension bytes per zone */
	bool extended;
	size_t max_bytes; /* the largest transfer the queue takes */
	size_t max_zones; /* the most zones one report holds (set by geometry) */
	uint64_t gaps;	  /* SCSI gap zones seen */
	uint64_t listed;  /* the first report's count of zones from LBA 0 */
	uint8_t *buf;	  /* one report's raw bytes, max_bytes long */
	char path[64];	  /* what the commands went to, "/dev/ng0n1" */
	char source[128]; /* "NVMe Report Zones via /dev/ng0n1" */
	char why[256];	  /* the last error in words */
	const struct sysroot *root;
};

struct native_reader {
	const char *command_set; /* "NVMe", "SCSI" */
	const char *compared;	 /* the zone fields its report states, for the summary */
	/* 0, or -errno with d->why set. Never opens for writing. */
	int (*open)(struct native_dev *d, const struct sysroot *root, const char *node);
	/* Whole-device facts into g (VF_NR_ZONES from the report at LBA 0). 0 or -errno. */
	int (*geometry)(struct native_dev *d, struct view_geometry *g);
	/* The zones from `sector` on: at most `max`, *n of them. 0, or -errno with d->why. */
	int (*report)(struct native_dev *d, uint64_t sector, struct view_zone *out, size_t max,
		      size_t *n);
	void (*close)(struct native_dev *d);
};

extern const struct native_reader native_reader_nvme;
extern const struct native_reader native_reader_scsi;

/* The largest transfer a block node's queue takes (queue/max_hw_sectors_kb), at most `cap`. */
size_t native_max_bytes(const struct sysroot *root, const char *node, size_t cap);

#endif
