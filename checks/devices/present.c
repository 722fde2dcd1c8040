// SPDX-License-Identifier: GPL-2.0-or-later
/* devices.present: every device the scenario attached reached the guest. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "locate.h"
#include "units.h"

#define MAX_DEVICES 32

static void report_block_size(struct check_ctx *ctx, const struct located_device *loc, char *buf,
			      size_t size)
{
	uint64_t sectors;

	buf[0] = '\0';
	if (sysroot_read_u64(ctx->env->root, &sectors, "/sys/%s/size", loc->class_dev) == 0)
		format_size(sectors * 512, buf, size);
}

int check_devices_present(struct check_ctx *ctx)
{
	struct check_device devs[MAX_DEVICES];
	size_t n = check_devices(ctx->env, NULL, devs, MAX_DEVICES);

	if (n == 0) {
		check_skip(ctx, "the scenario names no [device] sections");
		return 0;
	}
	if (n > MAX_DEVICES)
		check_fail(ctx, "the scenario names %zu devices, only the first %d are checked", n,
			   MAX_DEVICES);
	for (size_t i = 0; i < n && i < MAX_DEVICES; i++) {
		struct located_device loc;
		char size[32];
		int r = device_locate(ctx->env, &devs[i], &loc);

		if (r == -EPROTONOSUPPORT) {
			char kinds[256];

			check_fail(ctx, "%s: unknown device type '%s': this agent knows %s",
				   devs[i].name, devs[i].type,
				   device_kind_names(kinds, sizeof(kinds)));
			continue;
		}
		if (r == 0 && !loc.mac[0] && !sysroot_exists(ctx->env->root, "/dev/%s", loc.node)) {
			check_fail(ctx,
				   "%s (%s): sysfs has %s but /dev/%s is missing: is devtmpfs "
				   "mounted on /dev?",
				   devs[i].name, devs[i].type, loc.node, loc.node);
			continue;
		}
		if (r == 0 && loc.mac[0]) {
			check_note(ctx, "%s (%s): %s present, driver %s, MAC %s%s%s%s",
				   devs[i].name, devs[i].type, loc.node, loc.driver, loc.mac,
				   loc.placeholder_mac ? " (configured " : "",
				   loc.placeholder_mac ? check_device_get(&devs[i], "mac") : "",
				   loc.placeholder_mac
					   ? ", but for QEMU usb-net's placeholder first "
					     "byte 0x40: see usbnet.link)"
					   : "");
			continue;
		}
		if (r == 0) {
			report_block_size(ctx, &loc, size, sizeof(size));
			check_note(ctx, "%s (%s): /dev/%s present, driver %s%s%s%s%s%s, %s",
				   devs[i].name, devs[i].type, loc.node,
				   loc.driver[0] ? loc.driver : "(none)",
				   loc.path[0] ? " (NVMe multipath head of " : "",
				   loc.path[0] ? loc.subsys : "",
				   loc.path[0] ? ", I/O through " : "", loc.path,
				   loc.path[0] ? ")" : "", size);
			continue;
		}
		if (loc.problem[0])
			check_fail(ctx, "%s (%s): expected a device with driver %s, saw %s: %s",
				   devs[i].name, devs[i].type, loc.expected_driver, loc.problem,
				   loc.fix[0] ? loc.fix
					      : "check the QEMU -device options and that the "
						"driver module is loaded");
		else if (loc.class_dev[0])
			check_fail(ctx,
				   "%s (%s): expected /dev/%s (driver %s), saw nothing: check "
				   "the QEMU -device line and agent.modules",
				   devs[i].name, devs[i].type, loc.node, loc.expected_driver);
		else
			check_fail(ctx,
				   "%s (%s): expected a network interface with driver %s, saw "
				   "none: check the QEMU -device line and agent.modules",
				   devs[i].name, devs[i].type, loc.expected_driver);
	}
	return 0;
}
