// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decoders of a zoned device's own answers (checks/zoned/native_report*.c)
 * over crafted bytes: NVMe Identify and Report Zones (little-endian, logical
 * blocks; plain and extended), SCSI READ CAPACITY (16), VPD B6h and REPORT
 * ZONES (big-endian, logical blocks, gap zones), and the commands they send.
 * Every value ends in 512-byte sectors.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "zoned/native_report.h"

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = v >> (8 * i);
}

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = v >> (8 * (bytes - 1 - i));
}

static uint8_t buf[8192];

TEST(nvme_identify_4k_blocks_zone_size_limits)
{
	static uint8_t ns[NVME_IDENTIFY_BYTES], zns[NVME_IDENTIFY_BYTES];
	struct view_geometry g;
	unsigned int shift, zdes;

	memset(ns, 0, sizeof(ns));
	memset(zns, 0, sizeof(zns));
	put_le(ns + 0, 16384, 8);	      /* NSZE: 16384 blocks of 4 KiB = 64 MiB */
	ns[26] = 1;			      /* FLBAS: format 1 */
	ns[128 + 4 * 1 + 2] = 12;	      /* LBAF1: LBADS 12 */
	put_le(zns + 4, 5, 4);		      /* MAR: 6 active */
	put_le(zns + 8, 3, 4);		      /* MOR: 4 open */
	put_le(zns + 2816 + 16 * 1, 1024, 8); /* LBAFE1: ZSZE 1024 blocks = 4 MiB */
	zns[2816 + 16 * 1 + 8] = 2;	      /* ZDES: 128 bytes */
	ASSERT_EQ(0, nvme_identify_decode(ns, zns, &g, &shift, &zdes));
	EXPECT_EQ(3U, shift);
	EXPECT_EQ(128U, zdes);
	EXPECT_EQ(131072U, g.v[VF_SIZE]);
	EXPECT_EQ(4096U, g.v[VF_BLOCK_SIZE]);
	EXPECT_EQ(8192U, g.v[VF_ZONE_SIZE]);
	EXPECT_EQ(4U, g.v[VF_MAX_OPEN]);
	EXPECT_EQ(6U, g.v[VF_MAX_ACTIVE]);

	put_le(zns + 4, 0xffffffff, 4); /* all ones: no limit */
	ASSERT_EQ(0, nvme_identify_decode(ns, zns, &g, &shift, &zdes));
	EXPECT_EQ(0U, g.v[VF_MAX_ACTIVE]);
	ns[128 + 4 * 1 + 2] = 8; /* 256-byte blocks: not convertible to sectors */
	EXPECT_EQ(-EINVAL, nvme_identify_decode(ns, zns, &g, &shift, &zdes));
}

/* One NVMe zone descriptor at byte `at`: type 2, a state, capacity, start, pointer in LBAs. */
static void nvme_desc(uint8_t *at, uint8_t state, uint64_t cap, uint64_t start, uint64_t wp)
{
	at[0] = 0x2;
	at[1] = state << 4;
	put_le(at + 8, cap, 8);
	put_le(at + 16, start, 8);
	put_le(at + 24, wp, 8);
}

TEST(nvme_report_plain_and_extended)
{
	struct view_zone z[4];
	uint64_t reported;
	size_t n;

	memset(buf, 0, sizeof(buf));
	put_le(buf, 2, 8);			    /* two zones */
	nvme_desc(buf + 64, 0x1, 768, 0, 0);	    /* empty, 4 KiB blocks: 3 MiB capacity */
	nvme_desc(buf + 128, 0x2, 768, 1024, 1030); /* implicitly open */
	n = nvme_report_decode(buf, 64 + 2 * 64, 3, false, 0, z, 4, &reported);
	ASSERT_EQ(2U, n);
	EXPECT_EQ(2U, reported);
	EXPECT_EQ(8192U, z[1].start);
	EXPECT_EQ(6144U, z[1].capacity);
	EXPECT_EQ(8240U, z[1].wp);
	EXPECT_EQ(BLK_ZONE_TYPE_SEQWRITE_REQ, z[1].type);
	EXPECT_EQ(BLK_ZONE_COND_IMP_OPEN, z[1].cond);
	EXPECT_EQ(VIEW_UNSTATED, z[1].len); /* NVMe descriptors carry no length */

	/* The buffer holds fewer than the header says (not partial), or max is smaller. */
	put_le(buf, 100, 8);
	EXPECT_EQ(2U, nvme_report_decode(buf, 64 + 2 * 64, 3, false, 0, z, 4, &reported));
	EXPECT_EQ(100U, reported);
	EXPECT_EQ(1U, nvme_report_decode(buf, 64 + 2 * 64, 3, false, 0, z, 1, &reported));
	EXPECT_EQ(0U, nvme_report_decode(buf, 10, 3, false, 0, z, 4, &reported));

	/* Extended: 64 bytes of extension after each descriptor. */
	memset(buf, 0, sizeof(buf));
	put_le(buf, 2, 8);
	nvme_desc(buf + 64, 0xe, 2048, 0, 4096); /* full, 512-byte blocks */
	memset(buf + 128, 0xab, 64);		 /* extension data, not a descriptor */
	nvme_desc(buf + 192, 0x4, 2048, 4096, 4100);
	n = nvme_report_decode(buf, 64 + 2 * 128, 0, true, 64, z, 4, &reported);
	ASSERT_EQ(2U, n);
	EXPECT_EQ(BLK_ZONE_COND_FULL, z[0].cond);
	EXPECT_EQ(4096U, z[1].start);
	EXPECT_EQ(BLK_ZONE_COND_CLOSED, z[1].cond);
	EXPECT_EQ(4100U, z[1].wp);
}

TEST(nvme_report_command)
{
	uint32_t cdw[16];

	nvme_report_cmd(cdw, 0x123456789aULL, 4096 + 64, false, true);
	EXPECT_EQ(0x7aU, cdw[0]);
	EXPECT_EQ(0x3456789aU, cdw[10]);
	EXPECT_EQ(0x12U, cdw[11]);
	EXPECT_EQ((4096U + 64) / 4 - 1, cdw[12]);
	EXPECT_EQ(1U << 16, cdw[13]); /* Report Zones, every zone, partial */
	nvme_report_cmd(cdw, 0, 128, true, false);
	EXPECT_EQ(0x01U, cdw[13]);
}

/* One ZBC zone descriptor: type, condition, length, start, pointer in LBAs, big-endian. */
static void zbc_desc(uint8_t *at, uint8_t type, uint8_t cond, uint64_t len, uint64_t start,
		     uint64_t wp)
{
	at[0] = type;
	at[1] = cond << 4;
	put_be(at + 8, len, 8);
	put_be(at + 16, start, 8);
	put_be(at + 24, wp, 8);
}

TEST(scsi_report_4k_blocks_and_gap_zones)
{
	struct view_zone z[4];
	uint64_t listed, gaps = 0;
	size_t n;

	memset(buf, 0, sizeof(buf));
	put_be(buf, 4 * 64, 4);					   /* zone list length */
	zbc_desc(buf + 64, 0x1, 0x0, 1024, 0, 0xffffffffffffffff); /* conventional */
	zbc_desc(buf + 128, 0x2, 0x3, 768, 1024, 1030);		   /* explicitly open */
	zbc_desc(buf + 192, 0x5, 0x0, 256, 1792, 0);		   /* a gap */
	zbc_desc(buf + 256, 0x2, 0xe, 768, 2048, 0);		   /* full */
	n = zbc_report_decode(buf, 64 + 4 * 64, 4096, z, 4, &listed, &gaps);
	ASSERT_EQ(3U, n);
	EXPECT_EQ(4U, listed);
	EXPECT_EQ(1U, gaps);
	EXPECT_EQ(BLK_ZONE_TYPE_CONVENTIONAL, z[0].type);
	EXPECT_EQ(BLK_ZONE_COND_NOT_WP, z[0].cond);
	EXPECT_EQ(8192U, z[1].start);
	EXPECT_EQ(6144U, z[1].len);
	EXPECT_EQ(6144U, z[1].capacity); /* ZBC has no capacity: the length */
	EXPECT_EQ(8240U, z[1].wp);
	EXPECT_EQ(BLK_ZONE_COND_EXP_OPEN, z[1].cond);
	EXPECT_EQ(16384U, z[2].start); /* the gap left out */
	EXPECT_EQ(BLK_ZONE_COND_FULL, z[2].cond);

	/* A header naming more zones than the buffer holds: what it holds. */
	put_be(buf, 1000 * 64, 4);
	gaps = 0;
	EXPECT_EQ(1U, zbc_report_decode(buf, 64 + 64, 512, z, 4, &listed, &gaps));
	EXPECT_EQ(1000U, listed);
	EXPECT_EQ(0U, zbc_report_decode(buf, 63, 512, z, 4, &listed, &gaps));
}

TEST(scsi_commands_capacity_and_limits)
{
	uint8_t cdb[16];
	struct view_geometry g;
	uint8_t rc[32] = { 0 }, vpd[64] = { 0 };
	char words[96];
	const uint8_t fixed[18] = { 0x70, 0, 0x5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x21, 0x00 };
	const uint8_t desc[8] = { 0x72, 0x6, 0x29, 0x01 };

	zbc_report_cdb(cdb, 0x0102030405060708ULL, 65536, true);
	EXPECT_EQ(0x95, cdb[0]);
	EXPECT_EQ(0x00, cdb[1]);
	EXPECT_EQ(0x01, cdb[2]);
	EXPECT_EQ(0x08, cdb[9]);
	EXPECT_EQ(0x00, cdb[10]); /* allocation length 0x00010000 */
	EXPECT_EQ(0x01, cdb[11]);
	EXPECT_EQ(0x00, cdb[13]);
	EXPECT_EQ(0x80, cdb[14]);

	put_be(rc, 16383, 8); /* last LBA */
	put_be(rc + 8, 4096, 4);
	ASSERT_EQ(0, scsi_read_capacity16_decode(rc, 32, &g));
	EXPECT_EQ(131072U, g.v[VF_SIZE]);
	EXPECT_EQ(4096U, g.v[VF_BLOCK_SIZE]);
	put_be(rc + 8, 520, 4);
	EXPECT_EQ(-EINVAL, scsi_read_capacity16_decode(rc, 32, &g));

	vpd[1] = 0xb6;
	put_be(vpd + 16, 4, 4);
	ASSERT_EQ(0, zbc_vpd_decode(vpd, 64, &g));
	EXPECT_EQ(4U, g.v[VF_MAX_OPEN]);
	put_be(vpd + 16, 0xffffffff, 4);
	ASSERT_EQ(0, zbc_vpd_decode(vpd, 64, &g));
	EXPECT_EQ(0U, g.v[VF_MAX_OPEN]);
	vpd[1] = 0xb1;
	EXPECT_EQ(-EINVAL, zbc_vpd_decode(vpd, 64, &g));

	EXPECT_STREQ("ILLEGAL REQUEST, asc 0x21 ascq 0x00",
		     scsi_sense_words(fixed, sizeof(fixed), words, sizeof(words)));
	EXPECT_STREQ("UNIT ATTENTION, asc 0x29 ascq 0x01",
		     scsi_sense_words(desc, sizeof(desc), words, sizeof(words)));
	EXPECT_STREQ("no sense data", scsi_sense_words(desc, 0, words, sizeof(words)));
}

TEST_HARNESS_MAIN
