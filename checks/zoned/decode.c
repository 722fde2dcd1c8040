// SPDX-License-Identifier: GPL-2.0-or-later
/* Zoned models, zone types and zone conditions as data (linux/blkzoned.h). */
#include <errno.h>
#include <linux/blkzoned.h>
#include <stdio.h>
#include <string.h>

#include "zoned.h"

static const struct {
	const char *sysfs; /* queue/zoned */
	const char *words;
} models[] = {
	[ZONED_NONE] = { "none", "a regular (not zoned) disk" },
	[ZONED_HOST_AWARE] = { "host-aware", "a host-aware zoned disk" },
	[ZONED_HOST_MANAGED] = { "host-managed", "a host-managed zoned disk" },
	[ZONED_MODEL_UNKNOWN] = { "unknown", "a disk of an unknown zoned model" },
};

static const char *const type_str[] = {
	[BLK_ZONE_TYPE_CONVENTIONAL] = "conventional",
	[BLK_ZONE_TYPE_SEQWRITE_REQ] = "seq-write-required",
	[BLK_ZONE_TYPE_SEQWRITE_PREF] = "seq-write-preferred",
};

/* Conditions 0x5 to 0xC are reserved by ZBC/ZAC/ZNS: their slots stay NULL. */
static const char *const cond_str[16] = {
	[BLK_ZONE_COND_NOT_WP] = "not-write-pointer",
	[BLK_ZONE_COND_EMPTY] = "empty",
	[BLK_ZONE_COND_IMP_OPEN] = "implicitly-open",
	[BLK_ZONE_COND_EXP_OPEN] = "explicitly-open",
	[BLK_ZONE_COND_CLOSED] = "closed",
	[BLK_ZONE_COND_READONLY] = "read-only",
	[BLK_ZONE_COND_FULL] = "full",
	[BLK_ZONE_COND_OFFLINE] = "offline",
};

const char *zoned_model_sysfs(enum zoned_model m)
{
	return models[m <= ZONED_MODEL_UNKNOWN ? m : ZONED_MODEL_UNKNOWN].sysfs;
}

const char *zoned_model_words(enum zoned_model m)
{
	return models[m <= ZONED_MODEL_UNKNOWN ? m : ZONED_MODEL_UNKNOWN].words;
}

enum zoned_model zoned_model_parse(const char *s)
{
	for (size_t i = 0; i < ZONED_MODEL_UNKNOWN; i++)
		if (!strcmp(models[i].sysfs, s))
			return i;
	return ZONED_MODEL_UNKNOWN;
}

bool zone_type_valid(unsigned int type)
{
	return type < ARRAY_SIZE(type_str) && type_str[type];
}

bool zone_cond_valid(unsigned int cond)
{
	return cond < ARRAY_SIZE(cond_str) && cond_str[cond];
}

const char *zone_type_name(unsigned int type)
{
	return zone_type_valid(type) ? type_str[type] : "undefined type";
}

const char *zone_cond_name(unsigned int cond)
{
	return zone_cond_valid(cond) ? cond_str[cond] : "undefined condition";
}

/* How the block layer hands zoned device errors to user space (blk_status_to_errno). */
static const struct {
	int err;
	const char *words;
} zone_errors[] = {
	{ EIO, "EIO: the device failed the command" },
	{ EREMOTEIO, "EREMOTEIO: the SCSI target failed the command (check condition)" },
	{ ETOOMANYREFS, "ETOOMANYREFS: no open zone resource left (BLK_STS_ZONE_OPEN_RESOURCE)" },
	{ EOVERFLOW, "EOVERFLOW: no active zone resource left (BLK_STS_ZONE_ACTIVE_RESOURCE)" },
	{ EINVAL, "EINVAL: the kernel refused the request (misaligned, or not a zone)" },
	{ ENOTTY, "ENOTTY: the device has no such ioctl (not zoned?)" },
};

const char *zoned_error_words(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < ARRAY_SIZE(zone_errors); i++)
		if (zone_errors[i].err == err)
			return zone_errors[i].words;
	return strerror(err);
}
