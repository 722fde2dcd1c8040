// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A usb-net device's network settings. The runner resolves the address, the
 * gateway and the peer's port into agent.ini's [probe NAME] (it picks the
 * port when it starts the peer); the device's own keys say how to probe.
 * Without the runner (the agent as a plain command, probing `guestcheck
 * peer`) QEMU user networking's defaults apply unless [probe NAME] says
 * otherwise: address (what the guest's interface must already have),
 * gateway, and peer = ADDR[:PORT] (where the probe goes; default the
 * gateway, port 47000, as `guestcheck peer` listens by default).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "inet_port.h"
#include "probe_proto.h"
#include "units.h"
#include "usbnet.h"

#define DEFAULT_ADDRESS "10.0.2.15/24"
#define DEFAULT_GATEWAY "10.0.2.2"

static const char *get(const struct check_env *env, const struct check_device *dev, const char *key)
{
	char section[64];
	const char *v;

	snprintf(section, sizeof(section), "probe %s", dev->name);
	v = config_get(env->config, section, key);
	return v ?: check_device_get(dev, key);
}

static int bad(char *err, size_t errsize, const struct check_device *dev, const char *key,
	       const char *value, const char *want)
{
	return errmsg(err, errsize, -EINVAL, "%s: %s = '%s' is not %s: fix the scenario", dev->name,
		      key, value, want);
}

static int parse_cidr(const char *s, struct in_addr *addr, unsigned int *prefix)
{
	char ip[32], *slash;
	uint64_t p = 24;

	if (strlen(s) >= sizeof(ip))
		return -EINVAL;
	snprintf(ip, sizeof(ip), "%s", s);
	slash = strchr(ip, '/');
	if (slash) {
		*slash = '\0';
		if (parse_u64(slash + 1, &p) < 0 || p < 1 || p > 32)
			return -EINVAL;
	}
	if (inet_pton(AF_INET, ip, addr) != 1)
		return -EINVAL;
	*prefix = p;
	return 0;
}

/* "ADDR" or "ADDR:PORT": an IPv4 address and a UDP port (1-65535). */
static int parse_peer(const char *s, struct in_addr *addr, uint16_t *port)
{
	return parse_inet_port(s, addr, port, false, false);
}

/* "UP/DOWN" ("20s/120s") or "AT:FOR" ("2s:1s"): two durations, the second not 0. */
static int parse_pair(const char *s, char sep, uint32_t *up, uint32_t *down)
{
	char buf[64], *mid;
	uint64_t a, b;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	mid = strchr(buf, sep);
	if (!mid)
		return -EINVAL;
	*mid = '\0';
	if (parse_duration_ms(buf, &a) < 0 || parse_duration_ms(mid + 1, &b) < 0 ||
	    (!a && sep == '/') || !b || a > UINT32_MAX || b > UINT32_MAX)
		return -EINVAL;
	*up = a;
	*down = b;
	return 0;
}

int usbnet_config_read(const struct check_env *env, const struct check_device *dev,
		       struct usbnet_config *c, char *err, size_t errsize)
{
	const char *v;
	uint64_t u;
	int b;

	*c = (struct usbnet_config){ .rate = PROBE_DEFAULT_RATE,
				     .duration_ms = PROBE_DEFAULT_DURATION_MS,
				     .probe = true,
				     .peer_port = PROBE_DEFAULT_PORT };
	/*
	 * The device's own key, not [probe NAME]: there the runner writes the
	 * network it gave QEMU's DHCP server, which the lease falls within.
	 */
	v = check_device_get(dev, "address");
	c->dhcp = v && !strcmp(v, "dhcp");
	v = get(env, dev, "address") ?: DEFAULT_ADDRESS;
	if (!strcmp(v, "dhcp"))
		v = DEFAULT_ADDRESS;
	snprintf(c->address, sizeof(c->address), "%s", v);
	if (parse_cidr(v, &c->local, &c->prefix) < 0)
		return bad(err, errsize, dev, "address", v, "an IPv4 address/prefix");
	v = get(env, dev, "gateway") ?: DEFAULT_GATEWAY;
	if (inet_pton(AF_INET, v, &c->gateway) != 1)
		return bad(err, errsize, dev, "gateway", v, "an IPv4 address");
	if ((v = get(env, dev, "port"))) {
		if (parse_u64(v, &u) < 0 || !u || u > 65535)
			return bad(err, errsize, dev, "port", v, "a UDP port");
		c->peer_port = u;
	}
	/* After port: a port in peer = wins, as it is the more specific. */
	if ((v = get(env, dev, "peer"))) {
		if (parse_peer(v, &c->peer, &c->peer_port) < 0)
			return bad(err, errsize, dev, "peer", v,
				   "an IPv4 address with an optional :PORT, e.g. 10.0.2.2:47000");
		c->peer_set = true;
	}
	if ((v = get(env, dev, "probe"))) {
		if (parse_bool(v, &b) < 0)
			return bad(err, errsize, dev, "probe", v, "yes or no");
		c->probe = b;
	}
	if ((v = get(env, dev, "probe_rate"))) {
		if (parse_u64(v, &u) < 0 || !u || u > PROBE_MAX_RATE)
			return bad(err, errsize, dev, "probe_rate", v,
				   "1..10000 probes per second");
		c->rate = u;
	}
	if ((v = get(env, dev, "probe_duration"))) {
		if (parse_duration_ms(v, &u) < 0 || u < 100 || u > 600000)
			return bad(err, errsize, dev, "probe_duration", v, "100ms..10m");
		c->duration_ms = u;
	}
	if ((uint64_t)c->rate * c->duration_ms / 1000 > PROBE_MAX_PROBES)
		return bad(err, errsize, dev, "probe_rate x probe_duration", "too many",
			   "at most 1000000 probes");
	if ((v = get(env, dev, "max_loss"))) {
		if (probe_parse_percent(v, &c->max_loss_ppm) < 0)
			return bad(err, errsize, dev, "max_loss", v, "a percentage");
		c->max_loss_set = true;
	}
	if ((v = get(env, dev, "inject_loss")) && probe_parse_percent(v, &c->inject_loss_ppm) < 0)
		return bad(err, errsize, dev, "inject_loss", v, "a percentage");
	if ((v = get(env, dev, "inject_outage")) &&
	    parse_pair(v, '/', &c->outage_up_ms, &c->outage_down_ms) < 0)
		return bad(err, errsize, dev, "inject_outage", v,
			   "UP/DOWN durations, e.g. 20s/120s");
	if ((v = get(env, dev, "link_down")) &&
	    parse_pair(v, ':', &c->link_down_at_ms, &c->link_down_len_ms) < 0)
		return bad(err, errsize, dev, "link_down", v, "AT:FOR durations, e.g. 2s:1s");
	if ((v = get(env, dev, "virtio_release")) &&
	    parse_pair(v, '/', &c->release_ms, &c->bound_ms) < 0)
		return bad(err, errsize, dev, "virtio_release", v,
			   "RELEASED/BOUND durations, e.g. 20s/120s");
	if ((v = get(env, dev, "ifname")))
		snprintf(c->ifname, sizeof(c->ifname), "%s", v);
	return 0;
}
