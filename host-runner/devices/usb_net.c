// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usb-net: QEMU's USB network adapter (CDC Ethernet, the guest's cdc_ether)
 * on a qemu-xhci controller, backed by a netdev: QEMU user networking, or a
 * tap the runner creates in a private network namespace (root only). The
 * device is cold-plugged, hot-plugged over QMP after the agent's hello, or
 * "remapped": a virtio-net on the tap first, then the tap's descriptors
 * re-used for a hot-plugged usb-net (host-runner/usbnet/hotplug.c). The runner's
 * peer (host-runner/usbnet/peer*.c) answers the guest's loss probe.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"

#include "devices/device_type.h"
#include "usbnet/peer_spec.h"

static const struct key_spec usb_net_keys[] = {
	{ "netdev", KEY_STRING, "the backend: user (QEMU user networking) or tap (root only)" },
	{ "mac", KEY_MAC, "the MAC the guest must see, e.g. 52:54:00:12:34:56" },
	{ "queues", KEY_UINT, "tap queues, 1 to 8 (the tap is multi-queue above 1)" },
	{ "plug", KEY_STRING, "cold (default), hot (QMP device_add after the hello) or remap" },
	{ "remap_fix", KEY_STRING,
	  "no (default: the users' script) or queue0 (the corrected sequence)" },
	{ "remap_at", KEY_STRING,
	  "running (default: after the hello) or pre-start (QEMU paused, as Incus's qemu_hook)" },
	{ "address", KEY_STRING,
	  "the guest's IPv4/prefix (default 10.0.N.15/24, N = 2 + index), or dhcp (netdev = "
	  "user)" },
	{ "gateway", KEY_STRING, "the gateway, where the peer listens (default host .2)" },
	{ "ifname", KEY_STRING, "the interface name the guest must see, e.g. usb0" },
	{ "driver", KEY_STRING, "the driver the guest must bind (default cdc_ether)" },
	{ "probe", KEY_BOOL, "run the loss probe (default yes)" },
	{ "probe_rate", KEY_UINT, "probes per second (default 100)" },
	{ "probe_duration", KEY_STRING, "how long the probe runs (default 3s)" },
	{ "probe_port", KEY_UINT, "the peer's UDP port (default: any free one)" },
	{ "max_loss", KEY_STRING, "loss the probe accepts without injection (default 0%)" },
	{ "inject_loss", KEY_STRING, "the peer drops this share of probes, e.g. 12.5%" },
	{ "inject_direction", KEY_STRING, "where injected loss happens: down (echoes) or up" },
	{ "inject_outage", KEY_STRING, "the peer's up/down schedule, e.g. 20s/120s" },
	{ "inject_seed", KEY_UINT, "seed of the injected loss, for a repeatable run" },
	{ "link_down", KEY_STRING, "QMP set_link off AT:FOR into the probe, e.g. 2s:1s" },
	{ "virtio_release", KEY_STRING,
	  "plug = remap: the guest's virtio_net lets go of the old NIC, then binds it, "
	  "RELEASED/BOUND, e.g. 20s/120s" },
	{ 0 },
};

/*
 * usbnet.probe probes the devices one after the other within its harness
 * timeout (checks/registry.def), and all within the run timeout: say so now
 * rather than time out later. Each probe also costs set-up and a grace second.
 */
#define PROBE_TEST_BUDGET_MS 840000
#define PROBE_OVERHEAD_MS    4000

static int usb_net_validate(struct scenario_device *dev, const struct scenario *s, char *err,
			    size_t errsize)
{
	struct peer_spec sp;
	uint64_t total = 0;
	int r = peer_spec_parse(dev, s, &sp, err, errsize);

	if (r < 0)
		return r;
	/* The devices read so far and this one: the one that tips it over is named. */
	total = sp.probe ? sp.duration_ms + PROBE_OVERHEAD_MS : 0;
	for (size_t i = 0; i < s->ndevices; i++) {
		struct peer_spec other;

		if (&s->devices[i] == dev || s->devices[i].type != &usb_net_device ||
		    peer_spec_parse(&s->devices[i], s, &other, err, errsize) < 0)
			continue;
		total += other.probe ? other.duration_ms + PROBE_OVERHEAD_MS : 0;
	}
	if (total > PROBE_TEST_BUDGET_MS)
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [device %s]: the usb-net probes take about %llu s in all, more "
			"than usbnet.probe's %d s: shorten probe_duration",
			s->path, device_key_line(dev, "probe_duration"), dev->name,
			(unsigned long long)total / 1000, PROBE_TEST_BUDGET_MS / 1000);
	if (total + 20000 > s->run_timeout_ms)
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [device %s]: the usb-net probes take about %llu s in all, and the "
			"run must end within run_timeout (%llu s): raise [scenario] run_timeout "
			"to %llu s",
			s->path, device_key_line(dev, "probe_duration"), dev->name,
			(unsigned long long)total / 1000,
			(unsigned long long)s->run_timeout_ms / 1000,
			(unsigned long long)(total + 60000) / 1000);
	return 0;
}

static void netdev_args(const struct peer_spec *sp, const char *id, struct strv *argv)
{
	char net[INET_ADDRSTRLEN], host[INET_ADDRSTRLEN], fds[8 * 8] = "";
	struct in_addr network;

	strv_add(argv, "-netdev");
	if (sp->netdev == PEER_NETDEV_TAP) {
		for (unsigned int q = 0; q < sp->queues; q++)
			snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%s%d", q ? ":" : "",
				 peer_tap_fd(sp, q));
		strv_addf(argv, "tap,id=%s,fds=%s", id, fds);
		return;
	}
	network.s_addr = htonl(ntohl(sp->guest.s_addr) & ~((1u << (32 - sp->prefix)) - 1));
	inet_ntop(AF_INET, &network, net, sizeof(net));
	inet_ntop(AF_INET, &sp->gateway, host, sizeof(host));
	/* QEMU's own default network stays as it is on the command line. */
	if (!strcmp(net, "10.0.2.0") && sp->prefix == 24 && !strcmp(host, "10.0.2.2"))
		strv_addf(argv, "user,id=%s", id);
	else
		strv_addf(argv, "user,id=%s,net=%s/%u,host=%s", id, net, sp->prefix, host);
}

static void usb_net_qemu_args(const struct scenario_device *dev, const struct scenario *s,
			      const char *image, struct strv *argv)
{
	struct peer_spec sp;
	char err[256], orig[48], mq[40] = "";

	if (peer_spec_parse(dev, s, &sp, err, sizeof(err)) < 0)
		return; /* validated when the scenario was read */
	if (sp.plug != PEER_PLUG_REMAP) {
		netdev_args(&sp, dev->name, argv);
		if (sp.plug == PEER_PLUG_COLD) {
			strv_add(argv, "-device");
			strv_addf(argv, "usb-net,bus=xhci.0,id=%s,netdev=%s%s%s", dev->name,
				  dev->name, sp.mac[0] ? ",mac=" : "", sp.mac);
		}
		return;
	}
	/*
	 * The frontend the remap replaces: a virtio-net on a hot-pluggable root
	 * port. At pre-start the runner adds the netdev and the NIC over QMP,
	 * as Incus does; only the port is on the command line.
	 */
	snprintf(orig, sizeof(orig), "%s" PEER_ORIG_SUFFIX, dev->name);
	if (sp.remap_at == PEER_REMAP_RUNNING)
		netdev_args(&sp, orig, argv);
	strv_add(argv, "-device");
	strv_addf(argv, "pcie-root-port,id=%s-rp,bus=%s,chassis=%d", dev->name, s->pci_root,
		  16 + sp.index);
	if (sp.remap_at == PEER_REMAP_PRESTART)
		return;
	/* One MSI-X vector per queue and direction, two more, as libvirt and Incus give it. */
	if (sp.queues > 1)
		snprintf(mq, sizeof(mq), ",mq=on,vectors=%u", 2 * sp.queues + 2);
	strv_add(argv, "-device");
	strv_addf(argv,
		  "virtio-net-pci,id=%s" PEER_VIRTIO_SUFFIX ",bus=%s-rp,netdev=%s" PEER_ORIG_SUFFIX
		  "%s%s%s",
		  dev->name, dev->name, dev->name, sp.mac[0] ? ",mac=" : "", sp.mac, mq);
}

/*
 * A remap leaves the virtio-net in the guest until the guest ejects it (at
 * pre-start, and in a guest that never answers the unplug, for good): a
 * real guest binds virtio_net to it, which is what enables its queues.
 */
static const char *usb_net_extra_modules(const struct scenario_device *dev,
					 const struct scenario *s)
{
	struct peer_spec sp;
	char err[256];

	if (peer_spec_parse(dev, s, &sp, err, sizeof(err)) < 0 || sp.plug != PEER_PLUG_REMAP)
		return NULL;
	return "virtio_net";
}

const struct device_type usb_net_device = {
	.kind = &usb_net_kind,
	.summary = "USB network adapter (cdc_ether) on qemu-xhci",
	.keys = usb_net_keys,
	.needs_xhci = true,
	.validate = usb_net_validate,
	.qemu_args = usb_net_qemu_args,
	.extra_modules = usb_net_extra_modules,
};
