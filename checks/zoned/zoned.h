/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zoned.*: zoned block devices. Every check iterates over the scenario's
 * zoned devices ("targets": types nvme-zns, null-blk and scsi-debug, and any
 * device with expect_zoned), comparing what the guest sees with what the
 * scenario expects: the expect_* keys, or else the values the host asked the
 * device for (zone_size, max_open, ...), with the defaults in
 * guest_devices.h.
 */
#ifndef GUESTCHECK_ZONED_H
#define GUESTCHECK_ZONED_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"

#define ZONED_UNSET	  UINT64_MAX /* an expectation the scenario does not state */
#define ZONED_MAX_TARGETS 16

enum zoned_model {
	ZONED_NONE,
	ZONED_HOST_AWARE,
	ZONED_HOST_MANAGED,
	ZONED_MODEL_UNKNOWN, /* queue/zoned holds something this agent does not know */
};

/* Decoders, from static tables (decode.c). */
const char *zoned_model_sysfs(enum zoned_model m); /* "host-managed" */
const char *zoned_model_words(enum zoned_model m); /* "a regular (not zoned) disk" */
enum zoned_model zoned_model_parse(const char *s); /* ZONED_MODEL_UNKNOWN if not one */
const char *zone_type_name(unsigned int type);	   /* "seq-write-required", "type 0x7" */
const char *zone_cond_name(unsigned int cond);	   /* "empty", "condition 0x9" */
bool zone_type_valid(unsigned int type);
bool zone_cond_valid(unsigned int cond);
/* An errno from a zone operation in words: "EOVERFLOW: no active zone resource left ..." */
const char *zoned_error_words(int err);

struct zoned_expect {
	int model; /* enum zoned_model, or -1 when not stated */
	uint64_t zone_bytes, cap_bytes, nr_zones, conv_zones;
	uint64_t max_open, max_active, block_size; /* each ZONED_UNSET when not stated */
	char scheduler[32];			   /* "" when not stated */
	bool scratch; /* scratch = yes: the checks may destroy its data */
};

struct zoned_target {
	struct check_device dev;
	char node[64];	 /* "nvme0n1" */
	char path[64];	 /* an NVMe multipath head's path ("nvme0c0n1"), where its I/O queues; "" */
	char subsys[32]; /* the head's NVMe subsystem, "nvme-subsys0" */
	/*
	 * The scenario expects host-aware, but this kernel (6.8 and later) has no
	 * host-aware model: the disk is used as a regular one, so the
	 * expectation became none (expect.model) and the checks say why.
	 */
	bool host_aware_as_regular;
	char release[64]; /* the guest kernel's, for messages */
	struct zoned_expect expect;
	char error[192]; /* a key whose value could not be read; "" otherwise */
};

/*
 * The scenario's zoned devices, in scenario order. Writes at most max and
 * returns how many there are (which may be more).
 */
size_t zoned_targets(const struct check_env *env, struct zoned_target *out, size_t max);

/* Sysfs queue attributes of one block device; ZONED_UNSET where a kernel lacks one. */
struct zoned_queue {
	enum zoned_model model;
	char zoned[32]; /* queue/zoned as written */
	uint64_t size_sectors, nr_zones, chunk_sectors, zone_append_max_bytes;
	uint64_t max_open, max_active, zone_write_granularity;
	uint64_t logical_block_size, physical_block_size;
	char scheduler[32];   /* the active one (the [bracketed] name) */
	char schedulers[128]; /* queue/scheduler as written */
};

/* 0, or -ENOENT when the device has no queue directory. */
int zoned_queue_read(const struct sysroot *root, const char *node, struct zoned_queue *q);

/*
 * A target's queue as its I/O meets it: the node's own attributes, except,
 * for an NVMe multipath head (t->path set), the zone limits and the I/O
 * scheduler, which are its path's: the head is bio-based (no scheduler) and
 * its limits need not be the controller's (6.1 shows 0 for both). *head
 * (may be NULL) gets the node's own. 0, or -ENOENT when the node has no queue.
 */
int zoned_target_queue(const struct sysroot *root, const struct zoned_target *t,
		       struct zoned_queue *q, struct zoned_queue *head);

/*
 * Linux 6.8 dropped the host-aware zoned model (commit 7437bb73f087, "block:
 * remove support for the host aware zone model"): queue/zoned is only
 * host-managed or none, and the SCSI disk driver uses a host-aware disk as a
 * regular one ("Host-aware SMR disk used as regular disk"); only its
 * scsi_disk zoned_cap still says host-aware.
 */
#define ZONED_NO_HOST_AWARE_VERSION 6008

/* The zoned_cap of a SCSI disk ("host-aware"), or -ENOENT when node is no SCSI disk. */
int zoned_scsi_zoned_cap(const struct sysroot *root, const char *node, char *buf, size_t size);

/* "ha0 (/dev/sda): Linux 6.12 treats host-aware disks as regular ones ...": why no zones. */
void zoned_host_aware_note(struct check_ctx *ctx, const struct zoned_target *t, const char *what);

/*
 * Whether t is a zoned disk a check can read, given its queue q (as read,
 * with r the reader's result). When not, says why under `who` and returns
 * false: a missing device, or a regular disk the scenario expects zoned,
 * fails ("who: no zone report: expected ..."); a host-aware disk this kernel
 * uses as a regular one, or an expected regular disk, is a note
 * ("who: a regular disk: no zones to report"). `fail_words` and
 * `note_words` say what the check then lacks.
 */
bool zoned_target_has_zones(struct check_ctx *ctx, const struct zoned_target *t, int r,
			    const struct zoned_queue *q, const char *who, const char *fail_words,
			    const char *note_words);

/*
 * Kernel release of the running system (from /proc/sys/kernel/osrelease via
 * the sysroot) as major * 1000 + minor; 0 when unknown.
 */
unsigned int zoned_kernel_version(const struct sysroot *root, char *release, size_t size);

/* Open /dev/NODE through the sysroot. An fd, or -errno. */
int zoned_open(const struct sysroot *root, const char *node, int flags);

#endif
