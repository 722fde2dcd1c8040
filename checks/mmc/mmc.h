/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the mmc.* checks: where a scenario's SD/MMC card is in the
 * guest, what sysfs says about it, how its block device is opened (read-only,
 * and made read-only in the kernel before anything reads it), what libblkid
 * finds on it, and its fingerprint.
 *
 * The fingerprint line is a contract with the host: non-interference runs
 * compare two of them (host-runner/noninterference/phase_fingerprint.c parses it; a unit
 * test formats here and parses there).
 */
#ifndef GUESTCHECK_MMC_H
#define GUESTCHECK_MMC_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"

#define MMC_MAX_CARDS 16
#define MMC_MAX_HOSTS 32
#define MMC_MAX_PARTS 32

/*
 * Calls fn for every scenario card the guest has, and reports each missing
 * one as a failure (with the likely cause when `explain`). Skips the check
 * when the scenario has no sd-card. Returns 0.
 */
struct mmc_card;
typedef void (*mmc_card_fn)(struct check_ctx *ctx, const struct check_device *dev,
			    const struct mmc_card *card);
int mmc_for_each_card(struct check_ctx *ctx, bool explain, mmc_card_fn fn);

/* What sysfs says about the card behind /dev/NODE. */
struct mmc_card {
	char node[64];	     /* "mmcblk0" */
	char card[32];	     /* "mmc0:4567": the card's name on its host */
	char host[16];	     /* "mmc0" */
	char controller[32]; /* "0000:00:02.0": the device the host sits on */
	char type[16];	     /* "SD", "MMC", "SDIO", "SDcombo" */
	char name[32];	     /* product name, "QEMU!" */
	char manfid[16];     /* "0x0000aa" */
	char oemid[16];	     /* "0x5859" */
	char serial[24];     /* "0xdeadbeef" */
	char date[16];	     /* "02/2006" */
	char cid[40];	     /* 32 hex digits */
	char csd[40];
};

/* An SD/MMC host controller in the guest and the card it holds, if any. */
struct mmc_host {
	char host[16];
	char controller[32];
	char card[32]; /* "" for an empty slot */
	char node[64]; /* the card's block device, "" if none */
};

/* The sd-card devices of the scenario (at most max); returns how many there are. */
size_t mmc_scenario_cards(const struct check_env *env, struct check_device *out, size_t max);

/*
 * The guest block device a scenario card must be: its `node`, else the card
 * of its controller's `pci_address` (sd_card_node()), else mmcblkN.
 */
void mmc_expected_node(const struct sysroot *root, const struct check_device *dev, size_t index,
		       char *buf, size_t size);

/* 0, or -ENOENT when /dev/NODE is not an MMC/SD card (or not there at all). */
int mmc_card_read(const struct sysroot *root, const char *node, struct mmc_card *card);

/* Every SD/MMC host in the guest, sorted by name; returns the count (maybe > max). */
size_t mmc_hosts(const struct sysroot *root, struct mmc_host *out, size_t max);

/*
 * Why `node` is missing, from what the guest does show: one sentence with
 * the likely cause and the fix. `expected_cards` is how many cards the
 * scenario attached.
 */
void mmc_explain_missing(const struct sysroot *root, const char *node, size_t expected_cards,
			 char *buf, size_t size);

/* /sys/block/NODE/stat: the kernel's own I/O counters since boot. */
struct mmc_stat {
	uint64_t rd_ios, rd_sectors;
	uint64_t wr_ios, wr_sectors;
	uint64_t discard_ios, discard_sectors; /* 0 on kernels before 4.19 */
	uint64_t flush_ios;		       /* 0 on kernels before 5.5 */
	unsigned int fields;		       /* 11, 15 or 17 */
};

/* 0, or -EINVAL when the line is not a block stat line. */
int mmc_stat_parse(const char *line, struct mmc_stat *st);
int mmc_stat_read(const struct sysroot *root, const char *node, struct mmc_stat *st);

/*
 * The only way the mmc checks open a card: O_RDONLY, then BLKROSET so that
 * the kernel refuses every write to the device and its partitions, before a
 * single byte is read. A regular file (a captured tree in a unit test) is
 * opened read-only and marked as such.
 */
struct mmc_guard {
	int fd;
	bool blockdev;
	int ro_before; /* BLKROGET before we set it: 0, 1, or -1 for a regular file */
	uint64_t bytes;
};

/* 0, or -errno (message in err: what failed and what to try). */
int mmc_open_guarded(const struct sysroot *root, const char *node, struct mmc_guard *g, char *err,
		     size_t errsize);
void mmc_guard_close(struct mmc_guard *g);

/* What libblkid finds on a card: partition table, partitions, filesystems. */
struct mmc_part {
	unsigned int number;
	uint64_t start, size; /* bytes */
	char type[48];	      /* "0x83" or a GPT type UUID */
	char uuid[48];	      /* PARTUUID */
	char name[48];	      /* GPT partition name */
	char fstype[24], label[64], fsuuid[48];
};

struct mmc_layout {
	char pttype[16]; /* "gpt", "dos", ... or "" for none */
	char ptuuid[48];
	char fstype[24], label[64], fsuuid[48]; /* a filesystem on the whole device */
	struct mmc_part parts[MMC_MAX_PARTS];
	size_t nparts; /* may exceed MMC_MAX_PARTS; only the first ones are kept */
};

/* 0, or -errno (message in err). Reads only through fd, which stays open. */
int mmc_layout_probe(int fd, uint64_t bytes, struct mmc_layout *l, char *err, size_t errsize);

/* One canonical line per layout: what the fingerprint digests. */
void mmc_layout_format(const struct mmc_layout *l, char *buf, size_t size);

/*
 * The fingerprint, printed as one KTAP diagnostic line:
 *
 *   fingerprint NAME node=mmcblk0 bytes=N xxh3-128=HEX32 layout-xxh3-128=HEX32
 *     wr-ios=N wr-sectors=N discard-ios=N discard-sectors=N ro-before=0|1 ro=0|1
 *     seconds=S.SSS mib-per-s=M.M
 *
 * Keys may be added, never renamed; a reader ignores keys it does not know.
 */
#define MMC_FINGERPRINT_TAG "fingerprint"

struct mmc_fingerprint {
	char device[32]; /* scenario name, "sd0" */
	char node[64];
	uint64_t bytes;
	char digest[40];	/* XXH3-128 of every byte, 32 lowercase hex digits */
	char layout_digest[40]; /* XXH3-128 of mmc_layout_format() */
	struct mmc_stat stat;	/* taken after the digest */
	int ro_before, ro;
	double seconds;
};

void mmc_fingerprint_format(const struct mmc_fingerprint *f, char *buf, size_t size);

/* XXH3-128 of a layout summary, as 32 hex digits. */
void mmc_layout_digest(const char *summary, char *buf, size_t size);

/*
 * Read every byte through g->fd and digest it. `bytes` is what was read;
 * -EIO (message in err) on a short or failed read.
 */
int mmc_digest(const struct mmc_guard *g, struct mmc_fingerprint *f, char *err, size_t errsize);

#endif
