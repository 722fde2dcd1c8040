// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/netinfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"

/* Frontends with more than one queue pair; every other NIC model has one. */
static const char *const multiqueue_models[] = { "virtio-net-pci", "virtio-net-device",
						 "virtio-net-ccw",
						 "virtio-net-pci-non-transitional", NULL };

static bool multiqueue_model(const char *model)
{
	for (size_t i = 0; multiqueue_models[i]; i++)
		if (!strcmp(model, multiqueue_models[i]))
			return true;
	return false;
}

/* "key=value" out of a comma-separated list; "" when absent. */
static void field(const char *info, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *p = info;

	buf[0] = '\0';
	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(buf, size, "%.*s", (int)(len - klen - 1), p + klen + 1);
			return;
		}
		p = end ? end + 1 : NULL;
	}
}

/* "NAME: index=0,type=tap,fd=100" into c; false for anything else. */
static bool parse_client(const char *line, struct netinfo_client *c)
{
	const char *colon = strstr(line, ": index=");
	char v[64];
	char *end;

	if (!colon || colon == line || (size_t)(colon - line) >= sizeof(c->name))
		return false;
	*c = (struct netinfo_client){ .fd = -1 };
	snprintf(c->name, sizeof(c->name), "%.*s", (int)(colon - line), line);
	colon += 2;
	field(colon, "index", v, sizeof(v));
	c->index = strtol(v, &end, 10);
	if (!v[0] || *end)
		return false;
	field(colon, "type", c->type, sizeof(c->type));
	field(colon, "model", c->model, sizeof(c->model));
	field(colon, "macaddr", c->mac, sizeof(c->mac));
	field(colon, "fd", v, sizeof(v));
	if (v[0]) {
		long fd = strtol(v, &end, 10);

		if (!*end && fd >= 0 && fd < 1 << 20)
			c->fd = fd;
	}
	return c->type[0] != '\0';
}

size_t netinfo_parse(const char *text, struct netinfo_client *out, size_t max)
{
	char nic[64] = "", line[512];
	size_t n = 0;

	while (text && *text && n < max) {
		size_t len = strcspn(text, "\r\n");
		const char *l = line;
		bool under;

		snprintf(line, sizeof(line), "%.*s",
			 (int)(len < sizeof(line) ? len : sizeof(line) - 1), text);
		text += len;
		text += strspn(text, "\r\n");
		/* A netdev printed under its NIC: " \ NAME: ..." */
		under = !strncmp(l, " \\ ", 3);
		if (under)
			l += 3;
		if (!parse_client(l, &out[n]))
			continue;
		if (under)
			snprintf(out[n].nic, sizeof(out[n].nic), "%s", nic);
		else
			snprintf(nic, sizeof(nic), "%s",
				 !strcmp(out[n].type, "nic") ? out[n].name : "");
		n++;
	}
	return n;
}

static const struct netinfo_client *nic_queue0(const struct netinfo_client *c, size_t n,
					       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].type, "nic") && !strcmp(c[i].name, name) && c[i].index == 0)
			return &c[i];
	return NULL;
}

static bool has_frontend(const struct netinfo_client *c, size_t n, const char *netdev)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, netdev) && c[i].nic[0])
			return true;
	return false;
}

/* Findings as they are found: the first max kept, all counted. */
struct findings {
	char (*out)[NETINFO_FINDING_LEN];
	size_t max, count;
};

static void add(struct findings *f, const char *fmt, ...) __printf(2, 3);
static void add(struct findings *f, const char *fmt, ...)
{
	va_list ap;

	if (f->count < f->max) {
		va_start(ap, fmt);
		vsnprintf(f->out[f->count], NETINFO_FINDING_LEN, fmt, ap);
		va_end(ap);
	}
	f->count++;
}

/* Taps whose descriptor another netdev also reads. */
static void shared_taps(const struct netinfo_client *c, size_t n, struct findings *f)
{
	for (size_t i = 0; i < n; i++) {
		const struct netinfo_client *a = &c[i], *b = NULL;
		bool first = true;

		if (a->fd < 0)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (c[j].fd != a->fd)
				continue;
			if (j < i)
				first = false; /* reported with the first one */
			if (j != i && strcmp(c[j].name, a->name) && !b)
				b = &c[j];
		}
		if (!b || !first)
			continue;
		add(f,
		    "loss: tap descriptor %d is read by two netdevs, %s (queue %d, %s) and %s "
		    "(queue %d, %s): each frame from the tap reaches one of them only (QEMU's main "
		    "loop keeps one handler per descriptor: the last netdev to update it reads)%s",
		    a->fd, a->name, a->index,
		    has_frontend(c, n, a->name) ? "with a frontend" : "no frontend", b->name,
		    b->index, has_frontend(c, n, b->name) ? "with a frontend" : "no frontend",
		    !has_frontend(c, n, a->name) || !has_frontend(c, n, b->name)
			    ? ", and what the one without a frontend reads is dropped. Do not "
			      "netdev_del the old one: that closes the descriptors both read. "
			      "Delete "
			      "the old NIC first and wait for its DEVICE_DELETED, then netdev_add "
			      "on "
			      "queue 0's descriptor only (a usb-net has one queue): remap_fix = "
			      "queue0 shows it"
			    : ": the old NIC must be deleted (and its DEVICE_DELETED seen) before "
			      "the new netdev is added, or the old one takes the descriptors back "
			      "whenever its guest driver changes its queues");
	}
}

/* Netdevs left with no frontend, once per name. */
static void orphan_netdevs(const struct netinfo_client *c, size_t n, struct findings *f)
{
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		if (!strcmp(c[i].type, "nic") || c[i].nic[0] || c[i].index != 0)
			continue;
		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(c[j].name, c[i].name);
		if (!seen && !has_frontend(c, n, c[i].name))
			add(f,
			    "note: netdev %s (%s) has no frontend: its device was deleted or never "
			    "added",
			    c[i].name, c[i].type);
	}
}

/* Single-queue frontends on multi-queue backends. */
static void single_queue_on_multiqueue(const struct netinfo_client *c, size_t n, struct findings *f)
{
	for (size_t i = 0; i < n; i++) {
		size_t queues = 0;

		if (strcmp(c[i].type, "nic") || c[i].index != 0 || multiqueue_model(c[i].model))
			continue;
		for (size_t j = 0; j < n; j++)
			queues += !strcmp(c[j].type, "nic") && !strcmp(c[j].name, c[i].name);
		if (queues > 1)
			add(f,
			    "note: %s (%s) has one queue but sits on a %zu-queue netdev: QEMU "
			    "hands "
			    "it every queue's frames, which the host spreads over the queues by "
			    "flow, so frames of different flows may arrive out of order",
			    c[i].name, c[i].model, queues);
	}
}

/* The MAC QEMU gave the device against the scenario's. */
static void mac_mismatch(const struct netinfo_client *c, size_t n,
			 const struct netinfo_expect *expect, size_t nexpect, struct findings *f)
{
	for (size_t k = 0; k < nexpect; k++) {
		const struct netinfo_client *nic = nic_queue0(c, n, expect[k].name);

		if (!nic)
			add(f,
			    "loss: no NIC named %s in QEMU: the device was never added (or the "
			    "hot-plug failed)",
			    expect[k].name);
		else if (expect[k].mac && strcasecmp(nic->mac, expect[k].mac))
			add(f,
			    "loss: %s (%s) has MAC %s in QEMU, the scenario says %s: frames to the "
			    "configured MAC miss the guest",
			    nic->name, nic->model, nic->mac, expect[k].mac);
	}
}

size_t netinfo_findings(const struct netinfo_client *c, size_t n,
			const struct netinfo_expect *expect, size_t nexpect,
			char out[][NETINFO_FINDING_LEN], size_t max)
{
	struct findings f = { .out = out, .max = max };

	shared_taps(c, n, &f);
	orphan_netdevs(c, n, &f);
	single_queue_on_multiqueue(c, n, &f);
	mac_mismatch(c, n, expect, nexpect, &f);
	return f.count;
}
