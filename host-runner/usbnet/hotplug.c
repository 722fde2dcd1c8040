// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/hotplug.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "errmsg.h"

#include "devices/device_type.h"
#include "usbnet/netinfo.h"
#include "usbnet/peer.h"
#include "usbnet/readers.h"
#include "vm/qmp.h"

#define CONNECT_WINDOW_S	10.0
#define COMMAND_MS		5000
#define MAX_MARKS		256
#define DELETE_WAIT_MS		20000
#define PRESTART_DELETE_WAIT_MS 2000
#define READERS_WAIT_S		15.0
#define STAGES			3

static const char *const stage_names[STAGES] = { "start", "after-plug", "end" };

struct link_step {
	struct peer *p;
	bool down_done, up_done;
	double remapped; /* CLOCK_MONOTONIC s of the remap's netdev_add; 0 before */
};

struct hotplug {
	struct peers *ps;
	struct qmp *q;
	double connect_until; /* keep trying to connect until then */
	bool tried, plug_pending, plugged, ended, prestart_pending;
	double prestart_until; /* the latest the pre-start steps wait for the readers */
	size_t events_seen;
	struct hotplug_mark marks[MAX_MARKS];
	size_t nmarks, dropped;
	char *info[STAGES];
	char error[256];
	struct link_step links[PEER_MAX_SPECS];
};

/* Whether a device is remapped at pre-start: QEMU must then start paused. */
static bool any_prestart(const struct scenario *s)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		struct peer_spec sp;
		char err[256];

		if (s->devices[i].type == &usb_net_device &&
		    peer_spec_parse(&s->devices[i], s, &sp, err, sizeof(err)) == 0 &&
		    sp.plug == PEER_PLUG_REMAP && sp.remap_at == PEER_REMAP_PRESTART)
			return true;
	}
	return false;
}

void hotplug_qemu_args(const struct scenario *s, const char *rundir, struct strv *argv)
{
	if (any_prestart(s))
		strv_add(argv, "-S"); /* `cont` once the pre-start steps ran (prestart()) */
	for (size_t i = 0; i < s->ndevices; i++)
		if (s->devices[i].type == &usb_net_device) {
			strv_add(argv, "-chardev");
			strv_addf(argv,
				  "socket,id=usbnet-qmp,path=%s/" HOTPLUG_SOCKET
				  ",server=on,wait=off",
				  rundir);
			strv_add(argv, "-mon");
			strv_add(argv, "chardev=usbnet-qmp,mode=control");
			return;
		}
}

static void mark(struct hotplug *hp, double t, bool event, bool failed, const char *device,
		 const char *fmt, ...) __printf(6, 7);
static void mark(struct hotplug *hp, double t, bool event, bool failed, const char *device,
		 const char *fmt, ...)
{
	struct hotplug_mark *m;
	va_list ap;

	if (hp->nmarks == MAX_MARKS) {
		hp->dropped++;
		return;
	}
	m = &hp->marks[hp->nmarks++];
	*m = (struct hotplug_mark){ .t = t, .event = event, .failed = failed };
	snprintf(m->device, sizeof(m->device), "%s", device ?: "");
	va_start(ap, fmt);
	vsnprintf(m->what, sizeof(m->what), fmt, ap);
	va_end(ap);
}

int hotplug_new(struct peers *ps, struct hotplug **out, char *err, size_t errsize)
{
	struct hotplug *hp = calloc(1, sizeof(*hp));

	if (!hp)
		return errmsg(err, errsize, -ENOMEM, "out of memory");
	hp->ps = ps;
	for (size_t i = 0; i < ps->n; i++)
		hp->links[i].p = &ps->p[i];
	*out = hp;
	return 0;
}

/* Collect the events that arrived and put them on the timeline. */
static void take_events(struct hotplug *hp)
{
	size_t n;

	if (!hp->q)
		return;
	qmp_read_events(hp->q, 0);
	n = qmp_event_count(hp->q);
	for (; hp->events_seen < n; hp->events_seen++) {
		const struct qmp_event *e = qmp_event_at(hp->q, hp->events_seen);
		json_object *dev = NULL;
		const char *id = "";

		if (e->data && (json_object_object_get_ex(e->data, "device", &dev) ||
				json_object_object_get_ex(e->data, "name", &dev)))
			id = json_object_get_string(dev) ?: "";
		mark(hp, e->host_time, true, false, NULL, "%s%s%.64s", e->name, id[0] ? " " : "",
		     id);
	}
}

/* Run one command, put it on the timeline, say it on the progress output. */
static int command(struct hotplug *hp, const char *device, const char *cmd, json_object *args,
		   json_object **ret, const char *label)
{
	double t = now_s();
	int r;

	if (!hp->q)
		return -ENOTCONN;
	r = qmp_execute(hp->q, cmd, args, COMMAND_MS, ret);
	take_events(hp);
	/* Label "(...)": a read, not a step: kept off the timeline. */
	if (label[0] == '(')
		return r;
	mark(hp, t, false, r < 0, device, "%s%s%s", label, r < 0 ? ": " : "",
	     r < 0 ? qmp_error(hp->q) : "");
	peers_progress(hp->ps, "%s: QMP %s%s%s", device ?: "qemu", label, r < 0 ? ": FAILED: " : "",
		       r < 0 ? qmp_error(hp->q) : "");
	return r;
}

static void read_info_network(struct hotplug *hp, int stage)
{
	json_object *args = json_object_new_object(), *ret = NULL;

	json_object_object_add(args, "command-line", json_object_new_string("info network"));
	if (command(hp, NULL, "human-monitor-command", args, &ret, "(info network)") == 0 &&
	    json_object_is_type(ret, json_type_string)) {
		free(hp->info[stage]);
		hp->info[stage] = strdup(json_object_get_string(ret));
	}
	json_object_put(ret);
	json_object_put(args);
}

void hotplug_connect(struct hotplug *hp)
{
	hp->connect_until = now_s() + CONNECT_WINDOW_S;
	hp->tried = true;
	hotplug_tick(hp);
}

static void prestart(struct hotplug *hp);

static void try_connect(struct hotplug *hp)
{
	char path[PATH_MAX + 32];

	if (hp->q || !hp->tried || !hp->connect_until)
		return;
	snprintf(path, sizeof(path), "%s/" HOTPLUG_SOCKET, hp->ps->rundir);
	if (qmp_connect(path, COMMAND_MS, &hp->q, hp->error, sizeof(hp->error)) == 0) {
		hp->error[0] = '\0';
		read_info_network(hp, 0);
		hp->prestart_pending = true;
		hp->prestart_until = now_s() + READERS_WAIT_S;
		return;
	}
	/* QEMU makes the socket early in its start-up: retry briefly, then give up. */
	if (now_s() > hp->connect_until) {
		hp->connect_until = 0;
		peers_progress(
			hp->ps,
			"usb-net: no QMP monitor: %s: no hot-plug steps, no host-side diagnosis",
			hp->error);
	}
}

static json_object *obj(const char *k1, const char *v1, const char *k2, const char *v2,
			const char *k3, const char *v3)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, k1, json_object_new_string(v1));
	if (k2)
		json_object_object_add(o, k2, json_object_new_string(v2));
	if (k3)
		json_object_object_add(o, k3, json_object_new_string(v3));
	return o;
}

static int add_usb_net(struct hotplug *hp, const struct peer_spec *sp)
{
	json_object *a = obj("driver", "usb-net", "id", sp->name, "netdev", sp->name);
	char label[128];
	int r;

	json_object_object_add(a, "bus", json_object_new_string("xhci.0"));
	if (sp->mac[0])
		json_object_object_add(a, "mac", json_object_new_string(sp->mac));
	snprintf(label, sizeof(label), "device_add usb-net id=%s netdev=%s%s%s", sp->name, sp->name,
		 sp->mac[0] ? " mac=" : "", sp->mac);
	r = command(hp, sp->name, "device_add", a, NULL, label);
	json_object_put(a);
	return r;
}

/*
 * The descriptors of NAME-orig as the users' script finds them: in `info
 * network`, the "fd=N" of each line of that netdev, in queue order.
 */
static int orig_fds(struct hotplug *hp, const struct peer_spec *sp, char *fds, size_t size)
{
	json_object *args = json_object_new_object(), *ret = NULL;
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	char orig[48];
	size_t n = 0, found = 0;

	snprintf(orig, sizeof(orig), "%s" PEER_ORIG_SUFFIX, sp->name);
	fds[0] = '\0';
	json_object_object_add(args, "command-line", json_object_new_string("info network"));
	if (command(hp, sp->name, "human-monitor-command", args, &ret, "(info network)") == 0 &&
	    json_object_is_type(ret, json_type_string))
		n = netinfo_parse(json_object_get_string(ret), c, NETINFO_MAX_CLIENTS);
	json_object_put(ret);
	json_object_put(args);
	for (unsigned int q = 0; q < sp->queues; q++)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(c[i].name, orig) && c[i].index == (int)q && c[i].fd >= 0) {
				snprintf(fds + strlen(fds), size - strlen(fds), "%s%d",
					 found++ ? ":" : "", c[i].fd);
				break;
			}
	return found == sp->queues ? 0 : -ENOENT;
}

/* Wait for QEMU to report the device gone (the guest ejected it); false after timeout_ms. */
static bool wait_deleted(struct hotplug *hp, const char *id, int timeout_ms)
{
	double until = now_s() + timeout_ms / 1000.0;

	for (;;) {
		size_t n = qmp_event_count(hp->q);

		for (size_t i = 0; i < n; i++) {
			const struct qmp_event *e = qmp_event_at(hp->q, i);
			json_object *dev = NULL;

			if (!strcmp(e->name, "DEVICE_DELETED") && e->data &&
			    json_object_object_get_ex(e->data, "device", &dev) &&
			    !strcmp(json_object_get_string(dev) ?: "", id))
				return true;
		}
		if (now_s() >= until || qmp_read_events(hp->q, 100) < 0)
			return false;
	}
}

static void unplug_virtio(struct hotplug *hp, const struct peer_spec *sp, const char *virtio)
{
	json_object *a = json_object_new_object();
	char label[96];

	json_object_object_add(a, "name", json_object_new_string(virtio));
	json_object_object_add(a, "up", json_object_new_boolean(false));
	snprintf(label, sizeof(label), "set_link %s off", virtio);
	command(hp, sp->name, "set_link", a, NULL, label);
	json_object_put(a);
	a = obj("id", virtio, NULL, NULL, NULL, NULL);
	snprintf(label, sizeof(label), "device_del %s", virtio);
	command(hp, sp->name, "device_del", a, NULL, label);
	json_object_put(a);
}

/* The user's script: the old netdev's fds for a new tap netdev, usb-net on it, old NIC away. */
static void remap(struct hotplug *hp, const struct peer_spec *sp)
{
	char fds[128], virtio[48], label[192];
	json_object *a;

	if (orig_fds(hp, sp, fds, sizeof(fds)) < 0) {
		mark(hp, now_s(), false, true, sp->name,
		     "remap: info network shows no fd= for each of %s" PEER_ORIG_SUFFIX
		     "'s %u queues",
		     sp->name, sp->queues);
		peers_progress(hp->ps,
			       "%s: remap FAILED: info network shows no fd= for each of "
			       "%s" PEER_ORIG_SUFFIX "'s %u queues",
			       sp->name, sp->name, sp->queues);
		return;
	}
	snprintf(virtio, sizeof(virtio), "%s" PEER_VIRTIO_SUFFIX, sp->name);
	if (sp->remap_fix != PEER_FIX_NONE) {
		/* Corrected: the virtio-net gone first, so its netdev never reads again. */
		unplug_virtio(hp, sp, virtio);
		if (sp->remap_at == PEER_REMAP_PRESTART) {
			/*
			 * Paused, the guest cannot eject it: QEMU completes the unplug
			 * itself (a native PCIe slot the guest never powered) or never.
			 */
			if (!wait_deleted(hp, virtio, PRESTART_DELETE_WAIT_MS)) {
				mark(hp, now_s(), false, true, sp->name,
				     "no DEVICE_DELETED %s while QEMU is paused: the unplug waits "
				     "for the guest (ACPI hotplug), which will see the virtio-net",
				     virtio);
				peers_progress(
					hp->ps,
					"%s: no DEVICE_DELETED %s while QEMU is paused: the unplug "
					"waits for the guest (ACPI hotplug), which will bind the "
					"virtio-net: [machine] pci_hotplug = native lets QEMU "
					"complete "
					"it at once",
					sp->name, virtio);
			}
		} else if (!wait_deleted(hp, virtio, DELETE_WAIT_MS)) {
			mark(hp, now_s(), false, true, sp->name,
			     "no DEVICE_DELETED %s within %d s: the guest did not eject it", virtio,
			     DELETE_WAIT_MS / 1000);
			peers_progress(
				hp->ps,
				"%s: no DEVICE_DELETED %s within %d s: the guest did not eject it",
				sp->name, virtio, DELETE_WAIT_MS / 1000);
		}
		if (sp->remap_fix == PEER_FIX_QUEUE0)
			fds[strcspn(fds, ":")] = '\0'; /* usb-net has one queue */
	}
	for (size_t i = 0; i < hp->ps->n; i++)
		if (&hp->links[i].p->spec == sp)
			hp->links[i].remapped = now_s();
	a = obj("type", "tap", "id", sp->name, "fds", fds);
	snprintf(label, sizeof(label),
		 "netdev_add tap id=%s fds=%s (the descriptors of %s" PEER_ORIG_SUFFIX ")",
		 sp->name, fds, sp->name);
	command(hp, sp->name, "netdev_add", a, NULL, label);
	json_object_put(a);
	add_usb_net(hp, sp);
	if (sp->remap_fix == PEER_FIX_NONE)
		unplug_virtio(hp, sp, virtio);
}

/*
 * Incus's way to give a VM its NIC, while QEMU is paused: each tap queue by
 * getfd, netdev_add naming them, device_add of the virtio-net into its root
 * port. Then what the users' qemu_hook does at pre-start (remap()).
 */
static void prestart_one(struct hotplug *hp, const struct peer_spec *sp)
{
	char names[PEER_MAX_QUEUES * 24] = "", label[PEER_MAX_QUEUES * 24 + 96], orig[48],
				     virtio[48], rp[48];
	const struct peer *p = NULL;
	json_object *a;

	for (size_t i = 0; i < hp->ps->n; i++)
		if (&hp->ps->p[i].spec == sp)
			p = &hp->ps->p[i];
	snprintf(orig, sizeof(orig), "%s" PEER_ORIG_SUFFIX, sp->name);
	for (unsigned int q = 0; p && q < p->ntap; q++) {
		char name[24];

		snprintf(name, sizeof(name), "%s-q%u", orig, q);
		snprintf(label, sizeof(label), "getfd %s (tap queue %u, SCM_RIGHTS)", name, q);
		if (qmp_send_fd(hp->q, p->tap_fds[q], name, COMMAND_MS) < 0) {
			mark(hp, now_s(), false, true, sp->name, "%s: %s", label, qmp_error(hp->q));
			peers_progress(hp->ps, "%s: QMP %s: FAILED: %s", sp->name, label,
				       qmp_error(hp->q));
			return;
		}
		mark(hp, now_s(), false, false, sp->name, "%s", label);
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", q ? ":" : "",
			 name);
	}
	a = obj("type", "tap", "id", orig, "fds", names);
	snprintf(label, sizeof(label), "netdev_add tap id=%s fds=%s", orig, names);
	command(hp, sp->name, "netdev_add", a, NULL, label);
	json_object_put(a);
	snprintf(virtio, sizeof(virtio), "%s" PEER_VIRTIO_SUFFIX, sp->name);
	snprintf(rp, sizeof(rp), "%s-rp", sp->name);
	a = obj("driver", "virtio-net-pci", "id", virtio, "netdev", orig);
	json_object_object_add(a, "bus", json_object_new_string(rp));
	json_object_object_add(a, "addr", json_object_new_string("00.0"));
	if (sp->mac[0])
		json_object_object_add(a, "mac", json_object_new_string(sp->mac));
	if (sp->queues > 1) {
		json_object_object_add(a, "mq", json_object_new_boolean(true));
		json_object_object_add(a, "vectors", json_object_new_int(2 * sp->queues + 2));
	}
	snprintf(label, sizeof(label), "device_add virtio-net-pci id=%s netdev=%s bus=%s%s", virtio,
		 orig, rp, sp->queues > 1 ? " mq=on" : "");
	command(hp, sp->name, "device_add", a, NULL, label);
	json_object_put(a);
	remap(hp, sp);
}

/* QEMU started paused (-S) for these devices: their steps, then the guest may run. */
static void prestart(struct hotplug *hp)
{
	bool any = false;

	for (size_t i = 0; i < hp->ps->n; i++) {
		const struct peer_spec *sp = &hp->ps->p[i].spec;

		if (sp->plug == PEER_PLUG_REMAP && sp->remap_at == PEER_REMAP_PRESTART) {
			prestart_one(hp, sp);
			any = true;
		}
	}
	if (!any)
		return;
	read_info_network(hp, 1);
	command(hp, NULL, "cont", NULL, NULL, "cont (the guest starts)");
}

static void set_link(struct hotplug *hp, const struct peer_spec *sp, bool up)
{
	json_object *a = json_object_new_object();
	char label[96];

	json_object_object_add(a, "name", json_object_new_string(sp->name));
	json_object_object_add(a, "up", json_object_new_boolean(up));
	snprintf(label, sizeof(label), "set_link %s %s", sp->name, up ? "on" : "off");
	command(hp, sp->name, "set_link", a, NULL, label);
	json_object_put(a);
}

void hotplug_on_hello(struct hotplug *hp)
{
	hp->plug_pending = true;
	hotplug_tick(hp);
}

void hotplug_on_end(struct hotplug *hp)
{
	if (hp->ended)
		return;
	hp->ended = true;
	take_events(hp);
	if (hp->q)
		read_info_network(hp, 2);
}

void hotplug_tick(struct hotplug *hp)
{
	double now = now_s();

	if (!hp)
		return;
	try_connect(hp);
	if (!hp->q)
		return;
	take_events(hp);
	/* The uprobes first, so the evidence starts before the remap does. */
	if (hp->prestart_pending &&
	    (!hp->ps->readers || readers_attached(hp->ps->readers) || now >= hp->prestart_until)) {
		hp->prestart_pending = false;
		prestart(hp);
	}
	if (hp->plug_pending && !hp->plugged) {
		bool any = false;

		hp->plugged = true;
		for (size_t i = 0; i < hp->ps->n; i++) {
			const struct peer_spec *sp = &hp->ps->p[i].spec;

			bool running_remap =
				sp->plug == PEER_PLUG_REMAP && sp->remap_at == PEER_REMAP_RUNNING;

			if (sp->plug == PEER_PLUG_HOT)
				add_usb_net(hp, sp);
			else if (running_remap)
				remap(hp, sp);
			any |= sp->plug == PEER_PLUG_HOT || running_remap;
		}
		if (any)
			read_info_network(hp, 1);
	}
	for (size_t i = 0; i < hp->ps->n; i++) {
		struct link_step *l = &hp->links[i];
		const struct peer_spec *sp = &l->p->spec;
		double at = l->p->probe_start + sp->link_down_at_ms / 1000.0;

		if (!sp->link_down_len_ms || !l->p->probe_start)
			continue;
		if (!l->down_done && now >= at) {
			l->down_done = true;
			set_link(hp, sp, false);
		}
		if (l->down_done && !l->up_done && now >= at + sp->link_down_len_ms / 1000.0) {
			l->up_done = true;
			set_link(hp, sp, true);
		}
	}
}

void hotplug_disconnect(struct hotplug *hp)
{
	if (!hp || !hp->q)
		return;
	take_events(hp);
	qmp_close(hp->q);
	hp->q = NULL;
}

void hotplug_free(struct hotplug *hp)
{
	if (!hp)
		return;
	hotplug_disconnect(hp);
	for (int i = 0; i < STAGES; i++)
		free(hp->info[i]);
	free(hp);
}

static int cmp_mark(const void *a, const void *b)
{
	const struct hotplug_mark *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

size_t hotplug_marks(struct hotplug *hp, const struct hotplug_mark **marks)
{
	if (!hp) {
		*marks = NULL;
		return 0;
	}
	/* Events are read after the command that caused them: sort by time. */
	qsort(hp->marks, hp->nmarks, sizeof(hp->marks[0]), cmp_mark);
	*marks = hp->marks;
	return hp->nmarks;
}

const char *hotplug_info_network(const struct hotplug *hp, const char *stage)
{
	for (int i = 0; hp && i < STAGES; i++)
		if (!strcmp(stage, stage_names[i]))
			return hp->info[i];
	return NULL;
}

double hotplug_remap_time(const struct hotplug *hp, const struct peer *p)
{
	for (size_t i = 0; hp && i < hp->ps->n; i++)
		if (hp->links[i].p == p)
			return hp->links[i].remapped;
	return 0;
}

const char *hotplug_error(const struct hotplug *hp)
{
	return hp && !hp->q && hp->error[0] ? hp->error : NULL;
}
