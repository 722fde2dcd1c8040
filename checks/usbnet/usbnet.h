/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * usbnet.*: USB network adapters in the guest. The files of this area:
 *   iface.c    USB network interfaces from sysfs, matched to the scenario's
 *              usb-net devices; what a MAC means for the interface's name
 *   netlink.c  the live system through libnl: link up, address, counters,
 *              neighbours; an ICMP echo to the gateway
 *   config.c   a device's network settings (agent.ini's [probe NAME])
 *   dhcp.c     the address by DHCP for `address = dhcp` (dhcp.h)
 *   stats.c    the loss probe's numbers from its per-probe record (pure)
 *   probe.c    the probe loop over UDP to the runner's peer (probe_proto.h)
 *   virtio_release.c  the guest's virtio_net letting go of a remap's old NIC
 *              and binding it again while the probe runs (virtio_release =)
 *   link.c     usbnet.link;  report.c  usbnet.probe
 */
#ifndef GUESTCHECK_USBNET_H
#define GUESTCHECK_USBNET_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "check.h"

#include "devices/net_adapter.h"

#define USBNET_MAX_IFACES     NET_ADAPTER_MAX
#define USBNET_DEFAULT_DRIVER "cdc_ether"
#define USBNET_MAX_DEVICES    8

/* A network interface whose device sits on a USB bus. */
struct usbnet_iface {
	char name[IF_NAMESIZE]; /* "usb0" */
	char driver[32];	/* "cdc_ether" */
	char mac[18];		/* lower case, "52:54:00:12:34:56" */
	char usb_path[64];	/* the USB interface: "1-1:1.0" */
	char usb_id[10];	/* its USB device's "idVendor:idProduct" */
	char operstate[16];	/* "up", "down", "unknown" */
	int carrier;		/* 1, 0, or -1 when unreadable (the link is down) */
	unsigned int mtu;
	bool claimed; /* matched to a scenario device */
};

/*
 * Every interface under /sys/class/net whose device path runs through a USB
 * bus ("/usbN/"), in name order (net_adapters_usb(), the scanner
 * devices.present uses too). Returns how many (also those past max) or
 * -errno; an absent /sys/class/net is 0 interfaces.
 */
int usbnet_find_ifaces(const struct sysroot *root, struct usbnet_iface *out, size_t max);

/* Drivers known to bind USB network adapters; NULL-terminated. */
extern const char *const usbnet_drivers[];

/* "aa:bb:cc:dd:ee:ff" (any case) -> bytes. 0 or -EINVAL. */
int usbnet_parse_mac(const char *s, uint8_t mac[6]);

/*
 * The name usbnet gives an adapter with this MAC: cdc_ether, rndis_host,
 * cdc_eem and cdc_ncm are point-to-point Ethernet drivers, and usbnet names
 * such an interface "eth%d" unless its MAC's locally-administered bit (0x02
 * of the first byte) is set, when it keeps "usb%d". Returns "usb" or "eth".
 */
const char *usbnet_name_prefix(const uint8_t mac[6]);

/* A device's network settings: agent.ini's [probe NAME], else defaults. */
struct usbnet_config {
	char address[48]; /* the guest's "10.0.2.15/24" (by DHCP: once leased) */
	bool dhcp;	  /* address = dhcp: local, prefix, gateway come from a lease */
	struct in_addr local;
	unsigned int prefix;
	struct in_addr gateway; /* also the peer's address, unless peer = says otherwise */
	struct in_addr peer;	/* peer = ADDR[:PORT]: where the probe goes (peer_set) */
	bool peer_set;
	uint16_t peer_port;
	uint32_t rate;	      /* probes per second */
	uint32_t duration_ms; /* how long the probe runs */
	bool probe;	      /* run the loss probe */
	uint32_t max_loss_ppm;
	bool max_loss_set;
	uint32_t inject_loss_ppm; /* the peer drops this share, 0 = none */
	uint32_t outage_up_ms;	  /* the peer's on/off schedule, 0 = none */
	uint32_t outage_down_ms;
	uint32_t link_down_at_ms;  /* the runner sets the link down (QMP) then, */
	uint32_t link_down_len_ms; /* for this long; 0 = never */
	uint32_t release_ms;	   /* virtio_release: virtio_net lets go of its NICs this */
	uint32_t bound_ms;	   /* long, then holds them this long; 0 = never */
	uint64_t t0_ns;		   /* when the probe starts (CLOCK_MONOTONIC), 0 = at once */
	char ifname[IF_NAMESIZE];  /* the name the guest must see, "" = any */
	unsigned int share;	   /* devices sharing usbnet.probe\'s diagnostics budget */
};

/* Where the probe goes: peer = ADDR, else the gateway (as leased, with DHCP). */
static inline struct in_addr usbnet_peer_addr(const struct usbnet_config *c)
{
	return c->peer_set ? c->peer : c->gateway;
}

/* Fill c from dev's keys and [probe NAME]. 0, or -EINVAL with err set. */
int usbnet_config_read(const struct check_env *env, const struct check_device *dev,
		       struct usbnet_config *c, char *err, size_t errsize);

struct usbnet_link_state {
	unsigned int flags; /* IFF_* */
	unsigned int mtu;
	int carrier;
	char operstate[16];
	int ifindex;
};

/* netlink.c. All return 0 or -errno (libnl errors mapped to errno). */
int usbnet_link_get(const char *ifname, struct usbnet_link_state *st);
int usbnet_link_up(const char *ifname);
/* Add local/prefix on ifname; an address already there is fine. */
int usbnet_addr_add(const char *ifname, struct in_addr local, unsigned int prefix);
/* Whether ifname has the IPv4 address local: 1, 0, or -errno. */
int usbnet_addr_present(const char *ifname, struct in_addr local);
/* The neighbour table's entry for addr on ifname: MAC and state ("reachable"). */
int usbnet_neigh_get(const char *ifname, struct in_addr addr, char *mac, size_t macsize,
		     char *state, size_t statesize);
/* Wait up to timeout_ms for carrier; returns the last carrier state (1/0). */
int usbnet_wait_carrier(const char *ifname, unsigned int timeout_ms);
/*
 * count ICMP echoes to addr out of ifname, each as soon as the one before
 * is answered, else 100 ms after it, waiting up to timeout_ms in all.
 * *replies and *rtt_us (the fastest) filled.
 */
int usbnet_ping(const char *ifname, struct in_addr addr, unsigned int count,
		unsigned int timeout_ms, unsigned int *replies, unsigned int *rtt_us);

/*
 * Up, carrier, address: what both checks need before traffic. Reports
 * through ctx. As the guest's init the agent configures them with libnl;
 * as a plain command it only checks they are so (it never reconfigures
 * someone else's guest). With c->dhcp the address, prefix and gateway are
 * leased first (dhcp.c) and written into c.
 */
int usbnet_bring_up(struct check_ctx *ctx, const char *devname, const char *ifname,
		    struct usbnet_config *c);

/* The scenario's usb-net devices matched to interfaces (iface.c). */
struct usbnet_target {
	struct check_device dev;
	struct usbnet_config cfg;
	int iface;	      /* index into the interface list, -1 when not found */
	int closest;	      /* not found: the nearest interface, for the message; -1 when none */
	bool placeholder_mac; /* the MAC differs only in QEMU usb-net's 0x40 first byte */
	char config_error[160];
};

struct usbnet_scan {
	struct usbnet_iface ifs[USBNET_MAX_IFACES];
	size_t nifs;
	struct usbnet_target targets[USBNET_MAX_DEVICES];
	size_t ntargets;
};

/* Find the interfaces and match every usb-net device (net_match_devices()). 0 or -errno. */
int usbnet_scan(const struct check_env *env, struct usbnet_scan *scan);

/* ---- the probe (stats.c, probe.c) ---- */

enum probe_state {
	PROBE_UNSENT = 0,
	PROBE_SENT,
	PROBE_ECHOED,
};

enum probe_peer_view {
	PEER_UNKNOWN = 0, /* the peer's report did not come back */
	PEER_RECEIVED,
	PEER_MISSED,
};

/* One probe as the guest saw it. */
struct probe_slot {
	uint32_t sent_us; /* send time since the probe started */
	uint32_t rtt_us;  /* when ECHOED */
	uint8_t state;	  /* enum probe_state */
	uint8_t peer;	  /* enum probe_peer_view */
	uint8_t dups;	  /* extra echoes */
};

/* Counted while the probe runs (arrival order is not kept in the slots). */
struct probe_counters {
	uint32_t reordered;   /* echoes that arrived after a later probe's echo */
	uint32_t duplicates;  /* echoes of a probe already answered */
	uint32_t stray;	      /* datagrams that were not an echo of this run */
	uint32_t send_errors; /* probes send() never took: counted lost */
	int send_errno;	      /* the first of those errors' errno, or 0 */
	/*
	 * Probes the socket refused for a while (EAGAIN: its send buffer full,
	 * the interface taking frames slower than they came) and took later:
	 * late, not lost.
	 */
	uint32_t send_waits;
	uint32_t max_send_wait_us;
	uint32_t late; /* probes sent more than one interval behind schedule */
	uint32_t max_late_us;
};

struct probe_outage {
	uint32_t first, count; /* probe numbers */
	double start_s, end_s; /* from the first lost probe's send to the next answered one's */
	/* The last lost probe's send, the answered one's before: how well the edges are known */
	double last_s, prev_s;
	uint32_t up, down; /* lost upstream / downstream, by the peer's report */
};

struct probe_stats {
	uint32_t planned, sent, answered, lost;
	uint32_t lost_up, lost_down, lost_unknown; /* split by the peer's report */
	double loss;				   /* lost / sent, 0..1 */
	uint32_t rtt_min_us, rtt_p50_us, rtt_p99_us, rtt_max_us;
	double rtt_avg_us, jitter_us; /* jitter: mean |RTT(n) - RTT(n-1)| of consecutive answers */
	uint32_t outages, longest_outage; /* windows of consecutive loss; probes */
};

/* The numbers over n slots. rtt_scratch holds n entries (sorted for percentiles). 0 or -errno. */
int probe_stats_compute(const struct probe_slot *slots, uint32_t n, struct probe_stats *st,
			uint32_t *rtt_scratch);

/*
 * Windows of consecutive lost probes, in order; fills up to max and returns
 * how many there are. interval_us closes a window at the end of the run.
 */
size_t probe_outages(const struct probe_slot *slots, uint32_t n, uint32_t interval_us,
		     struct probe_outage *out, size_t max);

/*
 * Whether window w can be an outage of down_s. Its length is known only to
 * within the sends around it: at least last_s - start_s, at most end_s -
 * prev_s (an interval either way on schedule, more where the guest sent
 * nothing for a while). tol_s: how much the one-way delay varies.
 */
bool probe_outage_fits(const struct probe_outage *w, double down_s, double tol_s);

/* The upper bound of |measured - p| over n probes: see stats.c. */
double probe_loss_bound(double p, uint32_t n);

/*
 * The loss windows as compact text: "FIRST+COUNT" per window, FIRST as the
 * distance from the previous window's end, space-separated, e.g. "12+1 40+3".
 * Writes whole windows only, NUL-terminated; returns how many it wrote.
 */
size_t probe_outages_rle(const struct probe_outage *w, size_t n, char *buf, size_t size);

#endif
