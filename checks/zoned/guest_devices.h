/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The zoned device types and the keys they share. The runner validates the
 * keys (host-runner/devices/{nvme_zns,null_blk,scsi_debug}.c), the agent
 * creates null-blk and scsi-debug devices from them (agent/device_setup.c),
 * and the zoned checks derive their expectations from them: all three read
 * the defaults here, so they cannot disagree about a key left out.
 */
#ifndef GUESTCHECK_ZONED_GUEST_DEVICES_H
#define GUESTCHECK_ZONED_GUEST_DEVICES_H

/* null-blk and scsi-debug: what guestcheck asks the driver for when a key is absent. */
#define GUEST_ZONED_ZONE_SIZE  (4ULL << 20)
#define GUEST_ZONED_BLOCK_SIZE 512
/* null_blk and scsi_debug take sizes in whole MiB. */
#define GUEST_ZONED_SIZE_UNIT (1ULL << 20)

/* QEMU's own defaults for an NVMe zoned namespace (hw/nvme/ns.c, QEMU 7.2). */
#define NVME_ZNS_ZONE_SIZE  (128ULL << 20)
#define NVME_ZNS_BLOCK_SIZE 512

/*
 * The expectation keys every zoned device type takes, as key_spec lines for
 * the runner's key tables. Only the files in host-runner/devices/ expand it: they have
 * enum key_kind from device_type.h.
 */
// clang-format off
#define ZONED_EXPECT_KEY_SPECS \
	{ "scratch", KEY_BOOL, "yes: the zoned write-pointer checks may destroy the device's data" }, \
	{ "expect_zoned", KEY_STRING, "the zoned model the guest must see: host-managed, host-aware or none" }, \
	{ "expect_zone_size", KEY_SIZE, "the zone size the guest must see, e.g. 4M" }, \
	{ "expect_zone_capacity", KEY_SIZE, "the writable part of each sequential zone, e.g. 3M" }, \
	{ "expect_nr_zones", KEY_UINT, "the number of zones the guest must see" }, \
	{ "expect_conv_zones", KEY_UINT, "how many conventional zones the device starts with" }, \
	{ "expect_max_open", KEY_UINT, "the open zone limit (0 = none)" }, \
	{ "expect_max_active", KEY_UINT, "the active zone limit (0 = none)" }, \
	{ "expect_block_size", KEY_SIZE, "the logical block size, e.g. 4096" }, \
	{ "expect_scheduler", KEY_STRING, "the I/O scheduler, e.g. mq-deadline or none" }
// clang-format on

#endif
