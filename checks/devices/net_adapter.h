/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which network interface is a scenario's usb-net device. One scanner of
 * /sys/class/net, one rule and one matching of all the devices at once
 * (net_match_devices()), used by devices.present (locate.c, and so the
 * agent's wait for devices) and by usbnet.link and usbnet.probe, so they
 * always agree on which interface is which device.
 *
 * The rule: the interface's device sits on a USB bus, it is bound to the
 * expected driver, and its MAC is the configured one, or the configured one
 * but for a first byte of 0x40. QEMU's usb-net (hw/usb/dev-network.c) gives
 * the guest, as the adapter's MAC (the CDC Ethernet iMACAddress string), the
 * configured MAC with its first byte replaced by 0x40: QEMU 10.0 does so;
 * upstream removed it in September 2025.
 */
#ifndef GUESTCHECK_DEVICES_NET_ADAPTER_H
#define GUESTCHECK_DEVICES_NET_ADAPTER_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "sysroot.h"

#define NET_ADAPTER_MAX	      16
#define NET_DEVICE_MAX	      16   /* usb-net devices matched at once: a scenario's most */
#define QEMU_USBNET_MAC_BYTE0 0x40 /* QEMU usb-net's placeholder first byte */

/* A network interface whose device sits on a USB bus. */
struct net_adapter {
	char name[IF_NAMESIZE]; /* "usb0" */
	char driver[32];	/* "cdc_ether", "" when none is bound */
	char mac[18];		/* lower case, "52:54:00:12:34:56" */
	char usb_path[64];	/* the USB interface: "1-1:1.0" */
	char usb_id[10];	/* its USB device's "idVendor:idProduct", "" if unread */
};

/*
 * QEMU's usb-net carries the Linux USB gadget's IDs, which both cdc_ether
 * and cdc_subset match: when a distribution's udev loads both and
 * cdc_subset registers first, it claims the data interface ("1-1:1.1") as
 * a "Linux Device" with a random MAC and cdc_ether's probe fails (EBUSY).
 */
#define QEMU_USBNET_USB_ID "0525:a4a2"

/* a is QEMU's usb-net taken by cdc_subset where want_driver was wanted. */
bool net_adapter_subset_race(const struct net_adapter *a, const char *want_driver);

/*
 * Every interface under /sys/class/net whose device path runs through a USB
 * root hub ("/usbN/"), in name order. Returns how many there are (also past
 * max) or -errno; an absent /sys/class/net is 0 interfaces.
 */
int net_adapters_usb(const struct sysroot *root, struct net_adapter *out, size_t max);

/* How a seen MAC compares with the configured one. */
enum net_mac_fit {
	NET_MAC_OTHER,	     /* another adapter's */
	NET_MAC_PLACEHOLDER, /* the configured one but for QEMU's 0x40 first byte */
	NET_MAC_EQUAL,	     /* the configured one (any MAC when none is configured) */
};

/* want: the configured MAC, NULL for any; seen: the interface's. */
enum net_mac_fit net_mac_fit(const char *want, const char *seen);

struct net_pick {
	int index;	      /* the device's interface, -1 when none fits the rule */
	enum net_mac_fit fit; /* of index */
	int closest;	      /* index < 0: the nearest candidate for messages, or -1 */
};

/*
 * Apply the rule to n adapters. claimed (NULL: none) marks adapters another
 * device already took; they are never the device. An equal MAC is preferred
 * to a placeholder one, then name order. When none fits, `closest` is the
 * one that misses least: a fitting MAC with another driver, then the
 * expected driver with the MAC closest byte by byte, unclaimed first.
 */
void net_adapter_pick(const struct net_adapter *a, size_t n, const bool *claimed,
		      const char *want_mac, const char *want_driver, struct net_pick *pick);

/*
 * Every usb-net device of the scenario matched at once, so that
 * devices.present (and so the agent's wait) and usbnet.* give each device
 * the same interface: devices with a MAC first, in the scenario's order,
 * then those without take what is left; an interface is one device's at
 * most (net_adapter_pick() with the interfaces taken so far as claimed).
 */
struct net_match {
	struct net_adapter a[NET_ADAPTER_MAX];	  /* net_adapters_usb() */
	size_t na;				  /* at most NET_ADAPTER_MAX */
	struct check_device devs[NET_DEVICE_MAX]; /* check_devices(env, &usb_net_kind) */
	struct net_pick picks[NET_DEVICE_MAX];	  /* picks[i] is devs[i]'s */
	size_t ndevs;				  /* at most NET_DEVICE_MAX */
};

/* 0, or -errno when /sys/class/net cannot be read. */
int net_match_devices(const struct check_env *env, struct net_match *m);

/* The pick of a device of env's configuration (by its section), or NULL. */
const struct net_pick *net_match_of(const struct net_match *m, const struct check_device *dev);

/*
 * What adapter `a` lacks to be the device, for a "saw ..." message:
 * "usb1 has driver cdc_ether but MAC 40:16:3e:12:34:57, not 52:54:00:12:34:56".
 */
void net_adapter_miss(const struct net_adapter *a, const char *want_mac, const char *want_driver,
		      char *buf, size_t size);

/*
 * What to do about that miss, for the same message: the cdc_subset race's
 * fix in the guest, else where to look (the device model and driver when
 * the MAC fits, else the usb-net line's mac=).
 */
void net_adapter_fix(const struct net_adapter *a, const char *want_mac, const char *want_driver,
		     char *buf, size_t size);

/*
 * "lo, eth0 (virtio_net)": every interface /sys/class/net holds, USB or not,
 * with its driver, for the "saw ..." part of a message.
 */
void net_interfaces_describe(const struct sysroot *root, char *buf, size_t size);

#endif
