// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usbnet.link: each usb-net device is a USB network interface with the MAC,
 * driver and name the scenario expects; it comes up with carrier and its
 * address, and the gateway resolves (ARP) and answers (ICMP echo).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "usbnet.h"

#define PINGS	     3
#define PING_WAIT_MS 3000

/* What was there, for the "saw ..." part of a missing device's message. */
static void describe_usb(const struct usbnet_scan *scan, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < scan->nifs && used + 1 < size; i++) {
		const struct usbnet_iface *it = &scan->ifs[i];
		int len = snprintf(buf + used, size - used, "%s%s (%s, MAC %s%s)", used ? ", " : "",
				   it->name, it->driver[0] ? it->driver : "no driver", it->mac,
				   it->claimed ? ", another device's" : "");

		if (len < 0 || (size_t)len >= size - used)
			break;
		used += len;
	}
}

static void report_missing(struct check_ctx *ctx, const struct usbnet_scan *scan,
			   const struct usbnet_target *t)
{
	const char *mac = check_device_get(&t->dev, "mac");
	char seen[512];

	if (!scan->nifs) {
		net_interfaces_describe(ctx->env->root, seen, sizeof(seen));
		check_fail(ctx,
			   "%s (usb-net): expected a USB network interface%s%s, saw no network "
			   "interface on a USB bus (/sys/class/net: %s): check the QEMU "
			   "-device usb-net line (or the hot-plug), the qemu-xhci controller "
			   "and agent.modules (xhci_pci, cdc_ether)",
			   t->dev.name, mac ? " with MAC " : "", mac ?: "", seen);
		return;
	}
	describe_usb(scan, seen, sizeof(seen));
	if (t->closest >= 0) {
		const struct usbnet_iface *c = &scan->ifs[t->closest];
		const char *driver = check_device_get(&t->dev, "driver") ?: USBNET_DEFAULT_DRIVER;
		struct net_adapter a = { 0 };
		char miss[512], fix[256];

		snprintf(a.name, sizeof(a.name), "%s", c->name);
		snprintf(a.driver, sizeof(a.driver), "%s", c->driver);
		snprintf(a.mac, sizeof(a.mac), "%s", c->mac);
		snprintf(a.usb_path, sizeof(a.usb_path), "%s", c->usb_path);
		snprintf(a.usb_id, sizeof(a.usb_id), "%s", c->usb_id);
		net_adapter_miss(&a, mac, driver, miss, sizeof(miss));
		net_adapter_fix(&a, mac, driver, fix, sizeof(fix));
		check_fail(ctx,
			   "%s (usb-net): expected a USB network interface with MAC %s and driver "
			   "%s, saw %s (on USB: %s): %s",
			   t->dev.name, mac ?: "(any)", driver, miss, seen, fix);
		return;
	}
	check_fail(ctx,
		   "%s (usb-net): expected a USB network interface with MAC %s, saw %s: check "
		   "the mac= of the QEMU -device usb-net line against the scenario",
		   t->dev.name, mac ?: "(any)", seen);
}

/* MAC, name and driver: what the guest got against what the host configured. */
static void report_identity(struct check_ctx *ctx, const struct usbnet_target *t,
			    const struct usbnet_iface *it)
{
	const char *want_mac = check_device_get(&t->dev, "mac");
	const char *want_driver = check_device_get(&t->dev, "driver") ?: USBNET_DEFAULT_DRIVER;
	const char *prefix;
	uint8_t mac[6];

	check_note(ctx,
		   "%s: %s on USB interface %s, driver %s, MAC %s (configured %s), MTU %u, "
		   "operstate %s, carrier %s",
		   t->dev.name, it->name, it->usb_path, it->driver[0] ? it->driver : "(none)",
		   it->mac, want_mac ?: "none: QEMU's default", it->mtu, it->operstate,
		   it->carrier < 0 ? "unknown (link down)"
		   : it->carrier   ? "on"
				   : "off");
	if (strcmp(it->driver, want_driver))
		check_fail(ctx,
			   "%s: %s: expected driver %s, saw %s: check the usb-net device "
			   "model and that %s is loaded",
			   t->dev.name, it->name, want_driver, it->driver[0] ? it->driver : "none",
			   want_driver);
	if (t->placeholder_mac)
		check_note(ctx,
			   "%s: %s: MAC %s, configured %s: QEMU's usb-net (hw/usb/dev-network.c, "
			   "as in QEMU 10.0; removed upstream in September 2025) gives the guest "
			   "the configured MAC with its first byte replaced by 0x40, so the guest "
			   "and the host disagree: a DHCP reservation or a MAC filter keyed on "
			   "%s will not match this adapter: configure a MAC whose first byte is "
			   "0x40 (40:%s) so host and guest agree",
			   t->dev.name, it->name, it->mac, want_mac, want_mac,
			   want_mac && strlen(want_mac) == 17 ? want_mac + 3 : "..");
	if (usbnet_parse_mac(it->mac, mac) < 0)
		return;
	prefix = usbnet_name_prefix(mac);
	if (!strcmp(prefix, "eth"))
		check_note(ctx,
			   "%s: %s: the MAC's locally-administered bit (0x02 of %02x) is clear, "
			   "so usbnet named the interface eth%%d, not usb%%d: a script that "
			   "looks for usb0 misses it (a MAC starting x2, x6, xa or xe keeps "
			   "usbN)",
			   t->dev.name, it->name, mac[0]);
	if (t->cfg.ifname[0] && strcmp(t->cfg.ifname, it->name))
		check_fail(ctx, "%s: expected interface %s, saw %s: %s", t->dev.name, t->cfg.ifname,
			   it->name,
			   strcmp(prefix, "eth") ? "another interface took that name first"
						 : "its MAC's locally-administered bit is clear, "
						   "so usbnet names it ethN: use a locally "
						   "administered MAC (e.g. 52:54:...) for usbN");
}

static void check_gateway(struct check_ctx *ctx, const struct usbnet_target *t, const char *ifname)
{
	char gw[INET_ADDRSTRLEN], mac[32] = "", state[64] = "";
	unsigned int replies = 0, rtt = 0;
	int r, n;

	inet_ntop(AF_INET, &t->cfg.gateway, gw, sizeof(gw));
	r = usbnet_ping(ifname, t->cfg.gateway, PINGS, PING_WAIT_MS, &replies, &rtt);
	if (r < 0) {
		check_fail(ctx, "%s: %s: ICMP echo to the gateway %s could not be sent: %s",
			   t->dev.name, ifname, gw, strerror(-r));
		return;
	}
	n = usbnet_neigh_get(ifname, t->cfg.gateway, mac, sizeof(mac), state, sizeof(state));
	if (n < 0 || !strcmp(mac, "(none)"))
		check_fail(ctx,
			   "%s: %s: the gateway %s did not resolve: no ARP answer (neighbour "
			   "%s): frames from the guest do not reach the netdev or its answers "
			   "do not come back",
			   t->dev.name, ifname, gw, n < 0 ? "entry missing" : state);
	else
		check_note(ctx, "%s: %s: gateway %s resolves to %s (ARP, %s)", t->dev.name, ifname,
			   gw, mac, state);
	if (!replies)
		check_fail(ctx,
			   "%s: %s: the gateway %s answered 0 of %d ICMP echoes within %d s: "
			   "the path through the usb-net device is broken",
			   t->dev.name, ifname, gw, PINGS, PING_WAIT_MS / 1000);
	else
		check_note(ctx,
			   "%s: %s: the gateway %s answered %u of %d ICMP echoes, fastest in "
			   "%.2f ms",
			   t->dev.name, ifname, gw, replies, PINGS, rtt / 1000.0);
}

int check_usbnet_link(struct check_ctx *ctx)
{
	struct usbnet_scan scan;
	int r = usbnet_scan(ctx->env, &scan);

	if (r < 0)
		return r;
	if (!scan.ntargets) {
		check_skip(ctx, "the scenario attaches no usb-net device");
		return 0;
	}
	for (size_t i = 0; i < scan.ntargets; i++) {
		struct usbnet_target *t = &scan.targets[i];
		struct usbnet_link_state st;
		const struct usbnet_iface *it;

		if (t->config_error[0]) {
			check_fail(ctx, "%s", t->config_error);
			continue;
		}
		if (t->iface < 0) {
			report_missing(ctx, &scan, t);
			continue;
		}
		it = &scan.ifs[t->iface];
		report_identity(ctx, t, it);
		if (usbnet_bring_up(ctx, t->dev.name, it->name, &t->cfg) < 0)
			continue;
		r = usbnet_link_get(it->name, &st);
		if (r < 0) {
			check_fail(ctx, "%s: %s: reading the link (libnl) failed: %s", t->dev.name,
				   it->name, strerror(-r));
			continue;
		}
		check_note(ctx,
			   "%s: %s: brought up with libnl: %s, carrier %s, operstate %s, MTU "
			   "%u, address %s",
			   t->dev.name, it->name, st.flags & IFF_UP ? "up" : "down",
			   st.carrier ? "on" : "off", st.operstate, st.mtu, t->cfg.address);
		check_gateway(ctx, t, it->name);
	}
	return 0;
}
