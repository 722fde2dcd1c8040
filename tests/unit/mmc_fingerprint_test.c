// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmc.layout and mmc.fingerprint over an image in a scratch tree: libblkid
 * finds the DOS table the test writes, the digest is XXH3-128 of exactly
 * the image's bytes, the write counters turn into a failure, the image is
 * left byte-identical, and the host parses what the guest prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "kselftest_harness.h"

#include "mmc/mmc.h"
#include "noninterference/phase_fingerprint.h"

#define IMAGE_BYTES (1u << 20)

FIXTURE(card)
{
	char root[64];
	unsigned char *image; /* what the test wrote as /dev/mmcblk0 */
};

static void put_file(const char *root, const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "we");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void set_stat(const char *root, const char *line)
{
	put_file(root, "sys/class/block/mmcblk0/stat", line, strlen(line));
}

/* A DOS partition table: two Linux partitions, at 64 KiB and 512 KiB. */
static void write_mbr(unsigned char *img)
{
	static const struct {
		uint32_t start, sectors;
	} parts[] = { { 128, 512 }, { 1024, 1024 } };

	for (size_t i = 0; i < 2; i++) {
		unsigned char *e = img + 446 + 16 * i;

		e[4] = 0x83;
		for (int b = 0; b < 4; b++) {
			e[8 + b] = parts[i].start >> (8 * b);
			e[12 + b] = parts[i].sectors >> (8 * b);
		}
	}
	img[440] = 0x78, img[441] = 0x56, img[442] = 0x34, img[443] = 0x12; /* disk id */
	img[510] = 0x55, img[511] = 0xaa;
}

FIXTURE_SETUP(card)
{
	static const char *const dirs[] = { "dev",
					    "sys",
					    "sys/class",
					    "sys/class/block",
					    "sys/class/block/mmcblk0",
					    "sys/devices",
					    "sys/devices/mmc0:0001" };
	char path[PATH_MAX];

	snprintf(self->root, sizeof(self->root), "/tmp/mmc-fp-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->root, dirs[i]);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	/* Just enough of a card for mmc_card_read(). */
	snprintf(path, sizeof(path), "%s/sys/class/block/mmcblk0/device", self->root);
	ASSERT_EQ(0, symlink("../../../devices/mmc0:0001", path));
	put_file(self->root, "sys/devices/mmc0:0001/type", "SD\n", 3);
	put_file(self->root, "sys/devices/mmc0:0001/cid", "aa585951454d552101deadbeef006200\n", 33);
	self->image = malloc(IMAGE_BYTES);
	ASSERT_NE(NULL, self->image);
	for (size_t i = 0; i < IMAGE_BYTES; i++)
		self->image[i] = (i * 2654435761u) >> 13;
	memset(self->image, 0, 512);
	write_mbr(self->image);
	put_file(self->root, "dev/mmcblk0", self->image, IMAGE_BYTES);
	set_stat(self->root, "3 0 24 2 0 0 0 0 0 4 2 0 0 0 0 0 0\n");
}

FIXTURE_TEARDOWN(card)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->root);
	if (system(cmd))
		TH_LOG("could not remove %s", self->root);
	free(self->image);
}

static char *run_fingerprint(const char *root, const char *scenario, bool *failed)
{
	struct config cfg;
	struct sysroot sr = { 0 };
	struct check_env env = { .config = &cfg, .root = &sr };
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct check_ctx ctx = { .env = &env, .out = out };

	snprintf(sr.prefix, sizeof(sr.prefix), "%s", root);
	if (config_load_string(&cfg, scenario, err, sizeof(err)) < 0)
		return NULL;
	check_mmc_fingerprint(&ctx);
	fclose(out);
	config_free(&cfg);
	*failed = ctx.failed;
	return text;
}

static void hex(const unsigned char *d, char *buf)
{
	for (int i = 0; i < 16; i++)
		sprintf(buf + 2 * i, "%02x", d[i]);
}

TEST_F(card, layout_from_libblkid)
{
	struct sysroot sr = { 0 };
	struct mmc_guard g;
	struct mmc_layout l;
	char err[256], summary[2048];

	snprintf(sr.prefix, sizeof(sr.prefix), "%s", self->root);
	ASSERT_EQ(0, mmc_open_guarded(&sr, "mmcblk0", &g, err, sizeof(err)));
	EXPECT_FALSE(g.blockdev);
	EXPECT_EQ(-1, g.ro_before);
	EXPECT_EQ((uint64_t)IMAGE_BYTES, g.bytes);
	ASSERT_EQ(0, mmc_layout_probe(g.fd, g.bytes, &l, err, sizeof(err)));
	EXPECT_STREQ("dos", l.pttype);
	EXPECT_STREQ("12345678", l.ptuuid);
	ASSERT_EQ(2U, l.nparts);
	EXPECT_EQ(1U, l.parts[0].number);
	EXPECT_EQ(65536U, l.parts[0].start);
	EXPECT_EQ(262144U, l.parts[0].size);
	EXPECT_STREQ("0x83", l.parts[0].type);
	EXPECT_EQ(524288U, l.parts[1].start);
	mmc_layout_format(&l, summary, sizeof(summary));
	EXPECT_NE(NULL, strstr(summary, "pttype=dos ptuuid=12345678"));
	EXPECT_NE(NULL, strstr(summary, "; 2 start=524288 size=524288 type=0x83"));
	mmc_guard_close(&g);
	EXPECT_EQ(-ENOENT, mmc_open_guarded(&sr, "mmcblk9", &g, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "cannot open read-only"));
}

TEST_F(card, fingerprint_digests_every_byte_and_parses_on_the_host)
{
	XXH128_canonical_t c;
	struct phase_fingerprint fp;
	char want[40], *out, *line;
	bool failed;
	_cleanup_free_ unsigned char *after = malloc(IMAGE_BYTES);
	FILE *f;
	char path[PATH_MAX];

	XXH128_canonicalFromHash(&c, XXH3_128bits(self->image, IMAGE_BYTES));
	hex(c.digest, want);
	out = run_fingerprint(self->root, "[device emmc]\ntype = sd-card\nnode = mmcblk0\n",
			      &failed);
	ASSERT_NE(NULL, out);
	EXPECT_FALSE(failed);
	line = strstr(out, "# fingerprint emmc ");
	ASSERT_NE(NULL, line);
	line += 2;
	*strchrnul(line, '\n') = '\0';
	EXPECT_NE(NULL, strstr(line, want));
	ASSERT_EQ(0, phase_fingerprint_parse(line, &fp));
	EXPECT_STREQ("emmc", fp.device);
	EXPECT_STREQ("mmcblk0", fp.node);
	EXPECT_EQ((uint64_t)IMAGE_BYTES, fp.bytes);
	EXPECT_STREQ(want, fp.digest);
	EXPECT_EQ(32U, strlen(fp.layout_digest));
	EXPECT_EQ(0U, fp.wr_ios);
	EXPECT_EQ(0U, fp.wr_sectors);
	free(out);

	/* Read-only: the image is byte-identical after the check. */
	snprintf(path, sizeof(path), "%s/dev/mmcblk0", self->root);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, after);
	ASSERT_EQ((size_t)IMAGE_BYTES, fread(after, 1, IMAGE_BYTES, f));
	fclose(f);
	EXPECT_EQ(0, memcmp(self->image, after, IMAGE_BYTES));
}

TEST_F(card, writes_since_boot_fail_and_digest_mismatch_fails)
{
	bool failed;
	char *out;

	set_stat(self->root, "3 0 24 2 7 0 56 9 0 4 2 1 0 8 0 0 0\n");
	out = run_fingerprint(self->root,
			      "[device emmc]\ntype = sd-card\nnode = mmcblk0\n"
			      "expect_digest = 00000000000000000000000000000000\n",
			      &failed);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(failed);
	EXPECT_NE(NULL, strstr(out, "FAIL emmc: /dev/mmcblk0: expected no writes, saw 7 write "
				    "requests (56 sectors) and 1 discards (8 sectors)"));
	EXPECT_NE(NULL, strstr(out, "wr-ios=7 wr-sectors=56 discard-ios=1 discard-sectors=8"));
	EXPECT_NE(NULL, strstr(out, "expected XXH3-128 00000000000000000000000000000000, saw "));
	free(out);
}

TEST(host_parser_refuses_garbage)
{
	struct phase_fingerprint fp;

	EXPECT_EQ(-EINVAL, phase_fingerprint_parse("", &fp));
	EXPECT_EQ(-EINVAL, phase_fingerprint_parse("fingerprint", &fp));
	EXPECT_EQ(-EINVAL, phase_fingerprint_parse("fingerprint emmc node=mmcblk0", &fp));
	/* A digest must be 32 hex digits. */
	EXPECT_EQ(-EINVAL, phase_fingerprint_parse("fingerprint emmc node=mmcblk0 bytes=1 "
						   "xxh3-128=zz layout-xxh3-128=00",
						   &fp));
	EXPECT_EQ(-EINVAL,
		  phase_fingerprint_parse("fingerprint emmc node=mmcblk0 bytes=-1 "
					  "xxh3-128=0123456789abcdef0123456789abcdef "
					  "layout-xxh3-128=0123456789abcdef0123456789abcdef",
					  &fp));
	/* Unknown keys are ignored; known ones are required. */
	EXPECT_EQ(0, phase_fingerprint_parse("fingerprint emmc node=mmcblk0 bytes=512 "
					     "xxh3-128=0123456789abcdef0123456789abcdef "
					     "layout-xxh3-128=0123456789abcdef0123456789abcdef "
					     "wr-ios=2 wr-sectors=8 future=1",
					     &fp));
	EXPECT_EQ(2U, fp.wr_ios);
}

TEST_HARNESS_MAIN
