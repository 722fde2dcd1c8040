// SPDX-License-Identifier: GPL-2.0-or-later
/* Network interfaces from sysfs, and which one is which scenario usb-net device. */
#include "net_adapter.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The USB interface ("1-1:1.0") of a resolved device path, or NULL when not on USB. */
static const char *usb_component(const char *path, char *buf, size_t size)
{
	const char *p = path, *slash;

	/* A USB device path runs through a root hub directory "usbN". */
	for (; (p = strstr(p, "/usb")); p += 4) {
		const char *d = p + 4;

		while (isdigit((unsigned char)*d))
			d++;
		if (d > p + 4 && *d == '/')
			break;
	}
	if (!p)
		return NULL;
	slash = strrchr(path, '/');
	snprintf(buf, size, "%s", slash ? slash + 1 : path);
	return buf;
}

/* "0525:a4a2" for the USB device of interface usb_if ("1-1:1.1"); "" if unread. */
static void read_usb_id(const struct sysroot *root, const char *usb_if, char *buf, size_t size)
{
	char vendor[16], product[16];
	int dev_len = (int)strcspn(usb_if, ":");

	buf[0] = '\0';
	if (sysroot_read_line(root, vendor, sizeof(vendor), "/sys/bus/usb/devices/%.*s/idVendor",
			      dev_len, usb_if) == 0 &&
	    sysroot_read_line(root, product, sizeof(product), "/sys/bus/usb/devices/%.*s/idProduct",
			      dev_len, usb_if) == 0)
		snprintf(buf, size, "%.4s:%.4s", vendor, product);
}

static int read_adapter(const struct sysroot *root, const char *name, struct net_adapter *out)
{
	char link[PATH_MAX], dev[PATH_MAX], class_dev[96], v[64];

	*out = (struct net_adapter){ 0 };
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
	read_usb_id(root, out->usb_path, out->usb_id, sizeof(out->usb_id));
	return 0;
}

static int cmp_adapter(const void *a, const void *b)
{
	return strcmp(((const struct net_adapter *)a)->name, ((const struct net_adapter *)b)->name);
}

int net_adapters_usb(const struct sysroot *root, struct net_adapter *out, size_t max)
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
		struct net_adapter a;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= IF_NAMESIZE)
			continue;
		if (read_adapter(root, de->d_name, &a) < 0)
			continue;
		if (n < max)
			out[n] = a;
		n++;
	}
	qsort(out, n < max ? n : max, sizeof(*out), cmp_adapter);
	return n;
}

static int parse_mac(const char *s, unsigned char mac[6])
{
	unsigned int b[6];
	int end = 0;

	if (!s ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &end) != 6 ||
	    end != 17 || s[17])
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

enum net_mac_fit net_mac_fit(const char *want, const char *seen)
{
	unsigned char w[6], s[6];

	if (!want)
		return NET_MAC_EQUAL;
	if (parse_mac(want, w) < 0 || parse_mac(seen, s) < 0)
		return NET_MAC_OTHER;
	if (!memcmp(w, s, 6))
		return NET_MAC_EQUAL;
	if (s[0] == QEMU_USBNET_MAC_BYTE0 && !memcmp(w + 1, s + 1, 5))
		return NET_MAC_PLACEHOLDER;
	return NET_MAC_OTHER;
}

/* Bytes of the MAC that are the configured ones: how near another adapter's MAC is. */
static int mac_bytes_alike(const char *want, const char *seen)
{
	unsigned char w[6], s[6];
	int same = 0;

	if (!want || parse_mac(want, w) < 0 || parse_mac(seen, s) < 0)
		return 0;
	for (int i = 0; i < 6; i++)
		same += w[i] == s[i];
	return same;
}

/* Higher is nearer: a fitting MAC outweighs the driver, which outweighs MAC bytes alike. */
static int nearness(const struct net_adapter *a, bool claimed, const char *want_mac,
		    const char *want_driver)
{
	return (claimed ? 0 : 100) + (net_mac_fit(want_mac, a->mac) != NET_MAC_OTHER ? 20 : 0) +
	       (!strcmp(a->driver, want_driver) ? 10 : 0) + mac_bytes_alike(want_mac, a->mac);
}

void net_adapter_pick(const struct net_adapter *a, size_t n, const bool *claimed,
		      const char *want_mac, const char *want_driver, struct net_pick *pick)
{
	int best = -1;

	*pick = (struct net_pick){ .index = -1, .closest = -1 };
	for (enum net_mac_fit fit = NET_MAC_EQUAL; fit > NET_MAC_OTHER; fit--)
		for (size_t i = 0; i < n; i++)
			if (!(claimed && claimed[i]) && !strcmp(a[i].driver, want_driver) &&
			    net_mac_fit(want_mac, a[i].mac) == fit) {
				pick->index = i;
				pick->fit = fit;
				return;
			}
	for (size_t i = 0; i < n; i++) {
		int near = nearness(&a[i], claimed && claimed[i], want_mac, want_driver);

		if (near > best) {
			best = near;
			pick->closest = i;
		}
	}
}

bool net_adapter_subset_race(const struct net_adapter *a, const char *want_driver)
{
	return !strcmp(a->driver, "cdc_subset") && !strcmp(want_driver, "cdc_ether") &&
	       !strcmp(a->usb_id, QEMU_USBNET_USB_ID);
}

void net_adapter_miss(const struct net_adapter *a, const char *want_mac, const char *want_driver,
		      char *buf, size_t size)
{
	const char *driver = a->driver[0] ? a->driver : "none";
	bool mac_ok = net_mac_fit(want_mac, a->mac) != NET_MAC_OTHER;
	bool driver_ok = !strcmp(a->driver, want_driver);

	if (net_adapter_subset_race(a, want_driver))
		snprintf(
			buf, size,
			"%s is QEMU's usb-net (USB %s) taken by cdc_subset, not %s: cdc_subset "
			"claimed its data interface %s with a made-up MAC %s, so %s's probe of the "
			"adapter failed (both match the USB gadget IDs QEMU's usb-net carries, and "
			"the guest's udev loaded cdc_subset first)",
			a->name, a->usb_id, want_driver, a->usb_path, a->mac, want_driver);
	else if (mac_ok && driver_ok)
		snprintf(buf, size, "%s (driver %s, MAC %s) is another device's", a->name, driver,
			 a->mac);
	else if (mac_ok)
		snprintf(buf, size, "%s has MAC %s but driver %s, not %s", a->name, a->mac, driver,
			 want_driver);
	else if (driver_ok)
		snprintf(buf, size, "%s has driver %s but MAC %s, not %s", a->name, driver, a->mac,
			 want_mac);
	else
		snprintf(buf, size, "%s has driver %s and MAC %s, not %s and %s", a->name, driver,
			 a->mac, want_driver, want_mac ?: "(any)");
}

void net_adapter_fix(const struct net_adapter *a, const char *want_mac, const char *want_driver,
		     char *buf, size_t size)
{
	int dev_len = (int)strcspn(a->usb_path, ":");

	if (net_adapter_subset_race(a, want_driver))
		snprintf(buf, size,
			 "in the guest, keep cdc_subset away for good (echo blacklist cdc_subset "
			 ">/etc/modprobe.d/usb-net.conf) or, at once, echo %s "
			 ">/sys/bus/usb/drivers/cdc_subset/unbind; echo %.*s:1.0 "
			 ">/sys/bus/usb/drivers/cdc_ether/bind",
			 a->usb_path, dev_len, a->usb_path);
	else if (net_mac_fit(want_mac, a->mac) != NET_MAC_OTHER)
		snprintf(buf, size, "check the usb-net device model and that the driver is loaded");
	else
		snprintf(buf, size,
			 "check the mac= of the QEMU -device usb-net line against the scenario");
}

int net_match_devices(const struct check_env *env, struct net_match *m)
{
	bool claimed[NET_ADAPTER_MAX] = { false };
	size_t ndevs = check_devices(env, &usb_net_kind, m->devs, NET_DEVICE_MAX);
	int n = net_adapters_usb(env->root, m->a, NET_ADAPTER_MAX);

	if (n < 0)
		return n;
	m->na = (size_t)n < NET_ADAPTER_MAX ? (size_t)n : NET_ADAPTER_MAX;
	m->ndevs = ndevs < NET_DEVICE_MAX ? ndevs : NET_DEVICE_MAX;
	/* Devices with a MAC first: a device without one takes what is left. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < m->ndevs; i++) {
			const char *mac = check_device_get(&m->devs[i], "mac");
			const char *driver = check_device_get(&m->devs[i], "driver");

			if ((pass == 0) != (mac != NULL))
				continue;
			net_adapter_pick(m->a, m->na, claimed, mac, driver ?: usb_net_kind.driver,
					 &m->picks[i]);
			if (m->picks[i].index >= 0)
				claimed[m->picks[i].index] = true;
		}
	return 0;
}

const struct net_pick *net_match_of(const struct net_match *m, const struct check_device *dev)
{
	for (size_t i = 0; i < m->ndevs; i++)
		if (m->devs[i].section == dev->section)
			return &m->picks[i];
	return NULL;
}

void net_interfaces_describe(const struct sysroot *root, char *buf, size_t size)
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
