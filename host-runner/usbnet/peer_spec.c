// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/peer_spec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "units.h"

#include "devices/device_type.h"
#include "usbnet/probe_proto.h"

#define MAX_DURATION_MS 600000

struct parse {
	const struct scenario_device *dev;
	const struct scenario *s;
	char *err;
	size_t errsize;
};

static int bad(const struct parse *p, const char *key, const char *fmt, ...) __printf(3, 4);
static int bad(const struct parse *p, const char *key, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return errmsg(p->err, p->errsize, -EINVAL, "%s:%d: [device %s]: %s", p->s->path,
		      device_key_line(p->dev, key), p->dev->name, why);
}

static int get_ms(const struct parse *p, const char *key, uint64_t min, uint64_t max, uint32_t *out)
{
	const char *v = device_key(p->dev, key);
	uint64_t ms;

	if (!v)
		return 0;
	if (parse_duration_ms(v, &ms) < 0 || ms < min || ms > max)
		return bad(p, key, "%s = '%s': expected a duration of %llu ms to %llu s, e.g. 5s",
			   key, v, (unsigned long long)min, (unsigned long long)max / 1000);
	*out = ms;
	return 0;
}

/* "A/B" or "A:B": two durations, each at most MAX_DURATION_MS. */
static int parse_pair(const char *v, char sep, uint32_t *a, uint32_t *b)
{
	char buf[64], *mid;
	uint64_t x, y;

	if (strlen(v) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", v);
	mid = strchr(buf, sep);
	if (mid)
		*mid++ = '\0';
	if (!mid || parse_duration_ms(buf, &x) < 0 || parse_duration_ms(mid, &y) < 0 ||
	    x > MAX_DURATION_MS || y > MAX_DURATION_MS || (sep == '/' && (!x || !y)) ||
	    (sep == ':' && !y))
		return -EINVAL;
	*a = x;
	*b = y;
	return 0;
}

static int get_pair(const struct parse *p, const char *key, char sep, uint32_t *a, uint32_t *b,
		    const char *example)
{
	const char *v = device_key(p->dev, key);

	if (v && parse_pair(v, sep, a, b) < 0)
		return bad(p, key, "%s = '%s': expected two durations, e.g. %s", key, v, example);
	return 0;
}

/*
 * The injection's keys, one rule for a scenario's [device] and for
 * `guestcheck peer`'s options: inject_loss, inject_outage, inject_direction,
 * inject_seed.
 */
int peer_spec_inject_set(struct peer_spec *sp, const char *key, const char *v, char *err,
			 size_t errsize)
{
	if (!strcmp(key, "inject_loss")) {
		if (probe_parse_percent(v, &sp->inject_loss_ppm) < 0)
			return errmsg(err, errsize, -EINVAL,
				      "expected a percentage from 0 to 100, e.g. 12.5%%");
	} else if (!strcmp(key, "inject_outage")) {
		if (parse_pair(v, '/', &sp->outage_up_ms, &sp->outage_down_ms) < 0)
			return errmsg(err, errsize, -EINVAL,
				      "expected two durations of at most %d s, e.g. 20s/120s "
				      "(up, then down)",
				      MAX_DURATION_MS / 1000);
	} else if (!strcmp(key, "inject_direction")) {
		if (strcmp(v, "down") && strcmp(v, "up"))
			return errmsg(err, errsize, -EINVAL, "use one of down, up");
		sp->direction = strcmp(v, "up") ? PEER_INJECT_DOWN : PEER_INJECT_UP;
	} else if (!strcmp(key, "inject_seed")) {
		if (parse_u64(v, &sp->seed) < 0)
			return errmsg(err, errsize, -EINVAL, "expected a number");
		sp->seed_set = true;
	} else {
		return errmsg(err, errsize, -EINVAL, "not an injection key");
	}
	return 0;
}

int peer_spec_inject_check(const struct peer_spec *sp, char *err, size_t errsize)
{
	if (sp->inject_loss_ppm && sp->outage_up_ms)
		return errmsg(err, errsize, -EINVAL,
			      "inject_loss and inject_outage together make the loss hard to "
			      "read: use one");
	return 0;
}

/* One injection key of the device, if set. */
static int get_inject(const struct parse *p, struct peer_spec *sp, const char *key)
{
	const char *v = device_key(p->dev, key);
	char why[160];

	if (v && peer_spec_inject_set(sp, key, v, why, sizeof(why)) < 0)
		return bad(p, key, "%s = '%s': %s", key, v, why);
	return 0;
}

static int get_percent(const struct parse *p, const char *key, uint32_t *ppm)
{
	const char *v = device_key(p->dev, key);

	if (v && probe_parse_percent(v, ppm) < 0)
		return bad(p, key, "%s = '%s': expected a percentage from 0 to 100, e.g. 12.5%%",
			   key, v);
	return 0;
}

static int get_enum(const struct parse *p, const char *key, const char *const *names, int *out)
{
	const char *v = device_key(p->dev, key);
	char known[128] = "";

	if (!v)
		return 0;
	for (int i = 0; names[i]; i++) {
		if (!strcmp(v, names[i]))
			return *out = i, 0;
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 i ? ", " : "", names[i]);
	}
	return bad(p, key, "%s = '%s': use one of %s", key, v, known);
}

static int get_addresses(const struct parse *p, struct peer_spec *sp)
{
	const char *addr = device_key(p->dev, "address"), *gw = device_key(p->dev, "gateway");
	char buf[48], *slash;
	uint64_t prefix = 24;

	/* Each usb-net device gets its own /24, so the guest's routes never clash. */
	sp->guest.s_addr = htonl(0x0a00000f | (uint32_t)(2 + sp->index) << 8);
	sp->prefix = 24;
	/*
	 * DHCP: slirp's server hands out host 15 of its network, so the default
	 * network stands and the guest's lease is the default address.
	 */
	if (addr && !strcmp(addr, "dhcp")) {
		if (sp->netdev == PEER_NETDEV_TAP)
			return bad(p, "address",
				   "address = dhcp needs a DHCP server, and on netdev = tap "
				   "none runs: use netdev = user (QEMU's user networking "
				   "serves DHCP) or a static address = IPv4/prefix");
		sp->dhcp = true;
		addr = NULL;
	}
	if (addr) {
		snprintf(buf, sizeof(buf), "%s", addr);
		slash = strchr(buf, '/');
		if (slash)
			*slash++ = '\0';
		if (inet_pton(AF_INET, buf, &sp->guest) != 1 ||
		    (slash && (parse_u64(slash, &prefix) < 0 || prefix < 8 || prefix > 30)))
			return bad(p, "address",
				   "address = '%s': expected IPv4/prefix, e.g. "
				   "10.0.2.15/24, or dhcp",
				   addr);
		sp->prefix = prefix;
	}
	/* The gateway defaults to host 2 of the guest's network, as in QEMU's slirp. */
	sp->gateway.s_addr =
		htonl((ntohl(sp->guest.s_addr) & ~((1u << (32 - sp->prefix)) - 1)) | 2);
	if (gw && inet_pton(AF_INET, gw, &sp->gateway) != 1)
		return bad(p, "gateway", "gateway = '%s': expected an IPv4 address", gw);
	if (sp->gateway.s_addr == sp->guest.s_addr)
		return bad(p, addr ? "address" : "gateway",
			   "the guest's address and the gateway are the same: change one");
	if ((ntohl(sp->gateway.s_addr) ^ ntohl(sp->guest.s_addr)) >> (32 - sp->prefix))
		return bad(p, gw ? "gateway" : "address",
			   "the gateway is outside the guest's /%u: the probe needs it on-link",
			   sp->prefix);
	return 0;
}

/* netdev, plug, queues, mac and the addresses. */
static int get_plumbing(const struct parse *p, struct peer_spec *sp)
{
	static const char *const netdevs[] = { "user", "tap", NULL };
	static const char *const plugs[] = { "cold", "hot", "remap", NULL };
	static const char *const remap_ats[] = { "running", "pre-start", NULL };
	static const char *const fixes[] = { "no", "queue0", NULL };
	int netdev = 0, plug = 0, remap_at = 0, fix = 0, r;
	const char *v;
	uint64_t u;

	if ((r = get_enum(p, "netdev", netdevs, &netdev)) < 0 ||
	    (r = get_enum(p, "plug", plugs, &plug)) < 0 ||
	    (r = get_inject(p, sp, "inject_direction")) < 0 ||
	    (r = get_enum(p, "remap_at", remap_ats, &remap_at)) < 0 ||
	    (r = get_enum(p, "remap_fix", fixes, &fix)) < 0)
		return r;
	sp->remap_at = remap_at;
	sp->remap_fix = fix;
	sp->netdev = netdev;
	sp->plug = plug;
	if (sp->index >= PEER_MAX_SPECS)
		return bad(p, "type", "at most %d usb-net devices per scenario", PEER_MAX_SPECS);
	if ((v = device_key(p->dev, "queues"))) {
		if (parse_u64(v, &u) < 0 || !u || u > PEER_MAX_QUEUES)
			return bad(p, "queues", "queues = '%s': expected 1 to %d", v,
				   PEER_MAX_QUEUES);
		if (sp->netdev != PEER_NETDEV_TAP)
			return bad(p, "queues", "queues needs netdev = tap");
		sp->queues = u;
	}
	if (sp->plug == PEER_PLUG_REMAP && sp->netdev != PEER_NETDEV_TAP)
		return bad(p, "plug",
			   "plug = remap re-uses a tap's descriptors: it needs "
			   "netdev = tap");
	if (device_key(p->dev, "remap_at") && sp->plug != PEER_PLUG_REMAP)
		return bad(p, "remap_at", "remap_at is when a remap runs: it needs plug = remap");
	if (device_key(p->dev, "remap_fix") && sp->plug != PEER_PLUG_REMAP)
		return bad(p, "remap_fix", "remap_fix corrects a remap: it needs plug = remap");
	if ((v = device_key(p->dev, "mac")))
		snprintf(sp->mac, sizeof(sp->mac), "%s", v);
	return get_addresses(p, sp);
}

/* probe, its rate, duration and port. */
static int get_probe(const struct parse *p, struct peer_spec *sp)
{
	int probe = 1, r;
	const char *v;
	uint64_t u;

	if ((v = device_key(p->dev, "probe")) && parse_bool(v, &probe) < 0)
		return bad(p, "probe", "probe = '%s': expected yes or no", v);
	sp->probe = probe;
	if ((v = device_key(p->dev, "probe_rate"))) {
		if (parse_u64(v, &u) < 0 || !u || u > PROBE_MAX_RATE)
			return bad(p, "probe_rate",
				   "probe_rate = '%s': expected 1 to %d probes "
				   "per second",
				   v, PROBE_MAX_RATE);
		sp->rate = u;
	}
	if ((r = get_ms(p, "probe_duration", 100, MAX_DURATION_MS, &sp->duration_ms)) < 0)
		return r;
	if ((uint64_t)sp->rate * sp->duration_ms / 1000 > PROBE_MAX_PROBES)
		return bad(p, "probe_rate",
			   "probe_rate x probe_duration is more than %u probes: "
			   "lower one",
			   PROBE_MAX_PROBES);
	sp->port = sp->netdev == PEER_NETDEV_TAP ? PROBE_DEFAULT_PORT : 0;
	if ((v = device_key(p->dev, "probe_port"))) {
		if (parse_u64(v, &u) < 0 || u > 65535 || (!u && sp->netdev == PEER_NETDEV_TAP))
			return bad(p, "probe_port", "probe_port = '%s': expected a UDP port%s", v,
				   sp->netdev == PEER_NETDEV_TAP ? " (1-65535)" : " (0: any)");
		sp->port = u;
	}
	return 0;
}

/* max_loss (checked here, judged by the guest), the injected loss, link_down, virtio_release. */
static int get_injection(const struct parse *p, struct peer_spec *sp)
{
	uint32_t max_loss;
	char why[160];
	int r;

	if ((r = get_percent(p, "max_loss", &max_loss)) < 0 ||
	    (r = get_inject(p, sp, "inject_loss")) < 0 ||
	    (r = get_inject(p, sp, "inject_outage")) < 0 ||
	    (r = get_inject(p, sp, "inject_seed")) < 0 ||
	    (r = get_pair(p, "link_down", ':', &sp->link_down_at_ms, &sp->link_down_len_ms,
			  "2s:1s (at 2 s into the probe, for 1 s)")) < 0)
		return r;
	if ((r = get_pair(p, "virtio_release", '/', &sp->release_ms, &sp->bound_ms,
			  "20s/120s (released for 20 s, then bound for 120 s)")) < 0)
		return r;
	if ((sp->inject_loss_ppm || sp->outage_up_ms || sp->link_down_len_ms || sp->release_ms) &&
	    !sp->probe)
		return bad(p, "probe",
			   "loss injection, link_down and virtio_release act during the probe: "
			   "remove probe = no");
	if (sp->release_ms && sp->plug != PEER_PLUG_REMAP)
		return bad(p, "virtio_release",
			   "virtio_release lets go of the virtio-net a remap leaves in the guest: "
			   "it needs plug = remap");
	if (peer_spec_inject_check(sp, why, sizeof(why)) < 0)
		return bad(p, "inject_outage", "%s", why);
	return 0;
}

int peer_spec_parse(const struct scenario_device *dev, const struct scenario *s,
		    struct peer_spec *sp, char *err, size_t errsize)
{
	const struct parse p = { .dev = dev, .s = s, .err = err, .errsize = errsize };
	int r;

	*sp = (struct peer_spec){ .index = dev->index,
				  .queues = 1,
				  .probe = true,
				  .rate = PROBE_DEFAULT_RATE,
				  .duration_ms = PROBE_DEFAULT_DURATION_MS };
	snprintf(sp->name, sizeof(sp->name), "%s", dev->name);
	if ((r = get_plumbing(&p, sp)) < 0 || (r = get_probe(&p, sp)) < 0 ||
	    (r = get_injection(&p, sp)) < 0)
		return r;
	return 0;
}
