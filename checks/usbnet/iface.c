// SPDX-License-Identifier: GPL-2.0-or-later
/* USB network interfaces with what usbnet.* reads besides, and what a MAC means for a name. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

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

/* The shared scanner (devices/net_adapter.c), then what this area reads besides. */
static void read_iface(const struct sysroot *root, const struct net_adapter *a,
		       struct usbnet_iface *out)
{
	uint64_t mtu, carrier;

	*out = (struct usbnet_iface){ .carrier = -1 };
	snprintf(out->name, sizeof(out->name), "%s", a->name);
	snprintf(out->driver, sizeof(out->driver), "%s", a->driver);
	snprintf(out->mac, sizeof(out->mac), "%s", a->mac);
	snprintf(out->usb_path, sizeof(out->usb_path), "%s", a->usb_path);
	snprintf(out->usb_id, sizeof(out->usb_id), "%s", a->usb_id);
	if (sysroot_read_u64(root, &mtu, "/sys/class/net/%s/mtu", a->name) == 0)
		out->mtu = mtu;
	/* carrier reads EINVAL while the link is administratively down. */
	if (sysroot_read_u64(root, &carrier, "/sys/class/net/%s/carrier", a->name) == 0)
		out->carrier = carrier != 0;
	if (sysroot_read_line(root, out->operstate, sizeof(out->operstate),
			      "/sys/class/net/%s/operstate", a->name) < 0)
		snprintf(out->operstate, sizeof(out->operstate), "?");
}

int usbnet_find_ifaces(const struct sysroot *root, struct usbnet_iface *out, size_t max)
{
	struct net_adapter a[NET_ADAPTER_MAX];
	int n = net_adapters_usb(root, a, NET_ADAPTER_MAX);

	if (n < 0)
		return n;
	for (size_t i = 0; i < (size_t)n && i < max && i < NET_ADAPTER_MAX; i++)
		read_iface(root, &a[i], &out[i]);
	return n;
}

int usbnet_scan(const struct check_env *env, struct usbnet_scan *scan)
{
	struct net_match m;
	int r = net_match_devices(env, &m);

	if (r < 0)
		return r;
	scan->nifs = m.na < USBNET_MAX_IFACES ? m.na : USBNET_MAX_IFACES;
	for (size_t i = 0; i < scan->nifs; i++)
		read_iface(env->root, &m.a[i], &scan->ifs[i]);
	scan->ntargets = m.ndevs < USBNET_MAX_DEVICES ? m.ndevs : USBNET_MAX_DEVICES;
	for (size_t i = 0; i < m.ndevs; i++)
		if (m.picks[i].index >= 0 && (size_t)m.picks[i].index < scan->nifs)
			scan->ifs[m.picks[i].index].claimed = true;
	for (size_t i = 0; i < scan->ntargets; i++) {
		struct usbnet_target *t = &scan->targets[i];

		*t = (struct usbnet_target){ .dev = m.devs[i], .iface = -1, .closest = -1 };
		if (usbnet_config_read(env, &m.devs[i], &t->cfg, t->config_error,
				       sizeof(t->config_error)) < 0)
			continue;
		t->iface = m.picks[i].index;
		t->closest = m.picks[i].closest;
		t->placeholder_mac = m.picks[i].index >= 0 && m.picks[i].fit == NET_MAC_PLACEHOLDER;
	}
	return 0;
}
