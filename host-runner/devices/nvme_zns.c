// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nvme-zns: a zoned namespace on QEMU's emulated NVMe controller, which the
 * guest sees as a host-managed zoned /dev/nvmeNn1.
 */
#include <errno.h>
#include <stdio.h>

#include "errmsg.h"
#include "units.h"

#include "devices/device_type.h"
#include "zoned/guest_devices.h"

static const struct key_spec nvme_zns_keys[] = {
	{ "image", KEY_PATH, "the namespace's image file (raw)" },
	{ "image_trusted", KEY_BOOL,
	  "yes: a writable image in a system folder or a block device is meant" },
	{ "size", KEY_SIZE, "scratch image size, a multiple of zone_size" },
	{ "zone_size", KEY_SIZE, "zone size (QEMU zoned.zone_size, default 128M)" },
	{ "zone_capacity", KEY_SIZE,
	  "writable part of each zone (zoned.zone_capacity, default = zone_size)" },
	{ "max_open", KEY_UINT, "open zone limit (zoned.max_open, 0 = none)" },
	{ "max_active", KEY_UINT, "active zone limit (zoned.max_active, 0 = none)" },
	{ "node", KEY_STRING, "the guest's block device name (default nvmeNn1)" },
	ZONED_EXPECT_KEY_SPECS, /* zoned.* expectations and scratch */
	{ 0 },
};

static int check_size_key(const struct scenario_device *dev, const struct scenario *s,
			  const char *key, uint64_t *out, char *err, size_t errsize)
{
	const char *v = device_key(dev, key);

	if (!v)
		return 0;
	if (parse_size(v, out) < 0)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [device %s]: %s '%s' is not a size: write e.g. 4M", s->path,
			      device_key_line(dev, key), dev->name, key, v);
	return 0;
}

static int nvme_zns_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			     size_t errsize)
{
	uint64_t zone = 128 << 20, cap = 0;
	int r = device_resolve_image(dev, s, err, errsize);

	if (r < 0 || (r = check_size_key(dev, s, "zone_size", &zone, err, errsize)) < 0 ||
	    (r = check_size_key(dev, s, "zone_capacity", &cap, err, errsize)) < 0)
		return r;
	if (!zone || dev->size % zone || dev->size < zone)
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [device %s]: size %llu is not a whole number of %llu-byte zones: "
			"make size a multiple of zone_size",
			s->path, device_key_line(dev, "size"), dev->name,
			(unsigned long long)dev->size, (unsigned long long)zone);
	if (cap > zone)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [device %s]: zone_capacity is larger than zone_size: QEMU "
			      "refuses it; make it at most zone_size",
			      s->path, device_key_line(dev, "zone_capacity"), dev->name);
	snprintf(dev->guest_node, sizeof(dev->guest_node), "%s", device_key(dev, "node") ?: "");
	if (!dev->guest_node[0])
		snprintf(dev->guest_node, sizeof(dev->guest_node), "nvme%dn1", dev->index);
	return 0;
}

static void nvme_zns_qemu_args(const struct scenario_device *dev, const struct scenario *s,
			       const char *image, struct strv *argv)
{
	static const struct {
		const char *key, *prop;
	} zoned_props[] = {
		{ "zone_size", "zoned.zone_size" },
		{ "zone_capacity", "zoned.zone_capacity" },
		{ "max_open", "zoned.max_open" },
		{ "max_active", "zoned.max_active" },
	};
	char props[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(zoned_props); i++) {
		const char *v = device_key(dev, zoned_props[i].key);

		if (v && len < sizeof(props))
			len += snprintf(props + len, sizeof(props) - len, ",%s=%s",
					zoned_props[i].prop, v);
	}
	strv_add(argv, "-drive");
	strv_addf(argv, "if=none,id=%s,file=%s,format=raw%s", dev->name, image,
		  dev->readonly ? ",readonly=on" : "");
	strv_add(argv, "-device");
	strv_addf(argv, "nvme,id=nvme-%s,serial=guestcheck-%s", dev->name, dev->name);
	strv_add(argv, "-device");
	strv_addf(argv, "nvme-ns,drive=%s,bus=nvme-%s,zoned=true%s", dev->name, dev->name, props);
}

const struct device_type nvme_zns_device = {
	.kind = &nvme_zns_kind,
	.summary = "NVMe zoned namespace on QEMU's NVMe controller (/dev/nvmeNn1)",
	.keys = nvme_zns_keys,
	.validate = nvme_zns_validate,
	.qemu_args = nvme_zns_qemu_args,
};
