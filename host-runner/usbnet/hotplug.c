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
#include "usbnet/peer.h"
#include "vm/qmp.h"

#define CONNECT_WINDOW_S 10.0
#define COMMAND_MS	 5000
#define MAX_MARKS	 256
#define STAGES		 3

static const char *const stage_names[STAGES] = { "start", "after-plug", "end" };

struct link_step {
	struct peer *p;
	bool down_done, up_done;
};

struct hotplug {
	struct peers *ps;
	struct qmp *q;
	double connect_until; /* keep trying to connect until then */
	bool tried, plug_pending, plugged, ended;
	size_t events_seen;
	struct hotplug_mark marks[MAX_MARKS];
	size_t nmarks, dropped;
	char *info[STAGES];
	char error[256];
	struct link_step links[PEER_MAX_SPECS];
};

void hotplug_qemu_args(const struct scenario *s, const char *rundir, struct strv *argv)
{
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

static void say(struct hotplug *hp, const char *fmt, ...) __printf(2, 3);
static void say(struct hotplug *hp, const char *fmt, ...)
{
	FILE *out = hp->ps->progress;
	va_list ap;

	if (!out)
		return;
	fprintf(out, "[%6.1fs] %s: ", now_s() - hp->ps->start, hp->ps->scenario->name);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
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
	say(hp, "%s: QMP %s%s%s", device ?: "qemu", label, r < 0 ? ": FAILED: " : "",
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

static void try_connect(struct hotplug *hp)
{
	char path[PATH_MAX + 32];

	if (hp->q || !hp->tried || !hp->connect_until)
		return;
	snprintf(path, sizeof(path), "%s/" HOTPLUG_SOCKET, hp->ps->rundir);
	if (qmp_connect(path, COMMAND_MS, &hp->q, hp->error, sizeof(hp->error)) == 0) {
		hp->error[0] = '\0';
		read_info_network(hp, 0);
		return;
	}
	/* QEMU makes the socket early in its start-up: retry briefly, then give up. */
	if (now_s() > hp->connect_until) {
		hp->connect_until = 0;
		say(hp, "usb-net: no QMP monitor: %s: no hot-plug steps, no host-side diagnosis",
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

/* The user's script: the old netdev's fds for a new tap netdev, usb-net on it, old NIC away. */
static void remap(struct hotplug *hp, const struct peer_spec *sp)
{
	char fds[64] = "", virtio[48], label[160];
	json_object *a;

	for (unsigned int q = 0; q < sp->queues; q++)
		snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%s%d", q ? ":" : "",
			 peer_tap_fd(sp, q));
	snprintf(virtio, sizeof(virtio), "%s" PEER_VIRTIO_SUFFIX, sp->name);
	a = obj("type", "tap", "id", sp->name, "fds", fds);
	snprintf(label, sizeof(label),
		 "netdev_add tap id=%s fds=%s (the descriptors of %s" PEER_ORIG_SUFFIX ")",
		 sp->name, fds, sp->name);
	command(hp, sp->name, "netdev_add", a, NULL, label);
	json_object_put(a);
	add_usb_net(hp, sp);
	a = json_object_new_object();
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
	if (hp->plug_pending && !hp->plugged) {
		bool any = false;

		hp->plugged = true;
		for (size_t i = 0; i < hp->ps->n; i++) {
			const struct peer_spec *sp = &hp->ps->p[i].spec;

			if (sp->plug == PEER_PLUG_HOT)
				add_usb_net(hp, sp);
			else if (sp->plug == PEER_PLUG_REMAP)
				remap(hp, sp);
			any |= sp->plug != PEER_PLUG_COLD;
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

const char *hotplug_error(const struct hotplug *hp)
{
	return hp && !hp->q && hp->error[0] ? hp->error : NULL;
}
