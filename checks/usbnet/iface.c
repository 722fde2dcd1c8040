// SPDX-License-Identifier: GPL-2.0-or-later
/* USB network interfaces from sysfs, and which one is which scenario device. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "usbnet.h"

const char *const usbnet_drivers[] = {
	"cdc_ether", "rndis_host", "cdc_eem",  "cdc_ncm",  "cdc_subset", "asix", "ax88179_178a",
	"r8152",     "smsc95xx",   "cdc_mbim", "qmi_wwan", "ipheth",	 NULL,
};

int usbnet_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (!s || strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return -EINVAL;
		mac[i] = b[i];
	}
	return 0;
}

const char *usbnet_name_prefix(const uint8_t mac[6])
{
	return mac[0] & 0x02 ? "usb" : "eth";
}

/* The USB interface ("1-1:1.0") in a resolved device path, or NULL when not on USB. */
static const char *usb_component(const char *path, char *buf, size_t size)
{
	const char *p = path, *bus = NULL;

	/* A USB device path runs through a root hub directory "usbN". */
	while ((p = strstr(p, "/usb"))) {
		const char *d = p + 4;

		while (isdigit((unsigned char)*d))
			d++;
		if (d > p + 4 && *d == '/') {
			bus = d;
			break;
		}
		p += 4;
	}
	if (!bus)
		return NULL;
	p = strrchr(path, '/');
	snprintf(buf, size, "%s", p ? p + 1 : path);
	return buf;
}

static int read_iface(const struct sysroot *root, const char *name, struct usbnet_iface *out)
{
	char link[PATH_MAX], dev[PATH_MAX], class_dev[96], v[64];
	uint64_t mtu, carrier;

	*out = (struct usbnet_iface){ .carrier = -1 };
	if (sysroot_path(root, link, sizeof(link), "/sys/class/net/%s/device", name) < 0 ||
	    !realpath(link, dev))
		return -ENOENT; /* virtual: lo, tunnels */
	if (!usb_component(dev, out->usb_path, sizeof(out->usb_path)))
		return -ENOENT;
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(class_dev, sizeof(class_dev), "class/net/%s", name);
	if (sysroot_class_driver(root, class_dev, out->driver, sizeof(out->driver)) < 0)
		out->driver[0] = '\0';
	if (sysroot_read_line(root, v, sizeof(v), "/sys/class/net/%s/address", name) == 0)
		for (size_t i = 0; v[i] && i < sizeof(out->mac) - 1; i++)
			out->mac[i] = tolower((unsigned char)v[i]);
	if (sysroot_read_u64(root, &mtu, "/sys/class/net/%s/mtu", name) == 0)
		out->mtu = mtu;
	/* carrier reads EINVAL while the link is administratively down. */
	if (sysroot_read_u64(root, &carrier, "/sys/class/net/%s/carrier", name) == 0)
		out->carrier = carrier != 0;
	if (sysroot_read_line(root, out->operstate, sizeof(out->operstate),
			      "/sys/class/net/%s/operstate", name) < 0)
		snprintf(out->operstate, sizeof(out->operstate), "?");
	return 0;
}

static int cmp_iface(const void *a, const void *b)
{
	return strcmp(((const struct usbnet_iface *)a)->name,
		      ((const struct usbnet_iface *)b)->name);
}

int usbnet_find_ifaces(const struct sysroot *root, struct usbnet_iface *out, size_t max)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	size_t n = 0;
	int r;

	r = sysroot_path(root, path, sizeof(path), "/sys/class/net");
	if (r < 0)
		return r;
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		struct usbnet_iface it;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= IF_NAMESIZE)
			continue;
		if (read_iface(root, de->d_name, &it) < 0)
			continue;
		if (n < max)
			out[n] = it;
		n++;
	}
	qsort(out, n < max ? n : max, sizeof(*out), cmp_iface);
	return n;
}

int usbnet_match(const struct usbnet_iface *ifs, size_t n, const char *want_mac, bool *placeholder)
{
	uint8_t want[6];

	*placeholder = false;
	if (!want_mac || usbnet_parse_mac(want_mac, want) < 0) {
		for (size_t i = 0; i < n; i++)
			if (!ifs[i].claimed)
				return i;
		return -ENOENT;
	}
	for (size_t i = 0; i < n; i++)
		if (!ifs[i].claimed && !strcasecmp(ifs[i].mac, want_mac))
			return i;
	for (size_t i = 0; i < n; i++) {
		uint8_t seen[6];

		if (ifs[i].claimed || usbnet_parse_mac(ifs[i].mac, seen) < 0)
			continue;
		if (seen[0] == 0x40 && want[0] != 0x40 && !memcmp(seen + 1, want + 1, 5)) {
			*placeholder = true;
			return i;
		}
	}
	return -ENOENT;
}

int usbnet_scan(const struct check_env *env, struct usbnet_scan *scan)
{
	struct check_device devs[USBNET_MAX_DEVICES];
	size_t ndev = check_devices(env, "usb-net", devs, USBNET_MAX_DEVICES);
	int n = usbnet_find_ifaces(env->root, scan->ifs, USBNET_MAX_IFACES);

	if (n < 0)
		return n;
	scan->nifs = (size_t)n < USBNET_MAX_IFACES ? (size_t)n : USBNET_MAX_IFACES;
	scan->ntargets = ndev < USBNET_MAX_DEVICES ? ndev : USBNET_MAX_DEVICES;
	/* Devices with a MAC first: a device without one takes what is left. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < scan->ntargets; i++) {
			struct usbnet_target *t = &scan->targets[i];
			const char *mac = check_device_get(&devs[i], "mac");
			int r;

			if ((pass == 0) != (mac != NULL))
				continue;
			*t = (struct usbnet_target){ .dev = devs[i], .iface = -1 };
			if (usbnet_config_read(env, &devs[i], &t->cfg, t->config_error,
					       sizeof(t->config_error)) < 0)
				continue;
			r = usbnet_match(scan->ifs, scan->nifs, mac, &t->placeholder_mac);
			if (r >= 0) {
				t->iface = r;
				scan->ifs[r].claimed = true;
			}
		}
	return 0;
}

void usbnet_describe_others(const struct sysroot *root, char *buf, size_t size)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	size_t used = 0;

	buf[0] = '\0';
	if (sysroot_path(root, path, sizeof(path), "/sys/class/net") < 0 || !(dir = opendir(path)))
		return;
	while ((de = readdir(dir)) && used + 1 < size) {
		char class_dev[96], driver[32] = "";
		int len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(class_dev, sizeof(class_dev), "class/net/%.64s", de->d_name);
		if (sysroot_class_driver(root, class_dev, driver, sizeof(driver)) < 0)
			driver[0] = '\0';
		len = snprintf(buf + used, size - used, "%s%s%s%s%s", used ? ", " : "", de->d_name,
			       driver[0] ? " (" : "", driver, driver[0] ? ")" : "");
		if (len < 0 || (size_t)len >= size - used)
			break;
		used += len;
	}
	if (!used)
		snprintf(buf, size, "no interfaces at all");
}
