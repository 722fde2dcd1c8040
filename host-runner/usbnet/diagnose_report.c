// SPDX-License-Identifier: GPL-2.0-or-later
/* What `guestcheck diagnose` read and found: lines for a person, a JSON file for a tool. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "errmsg.h"
#include "write_file.h"

#include "usbnet/counters_json.h"
#include "usbnet/diagnose.h"
#include "usbnet/tap_findings.h"

static const char *const state_names[] = { "unknown", "attached", "detached" };

static const char *state_name(int s)
{
	return s >= 0 && s <= TAP_QUEUE_DETACHED ? state_names[s] : "unknown";
}

void diagnose_print(const struct diagnosis *d, FILE *out)
{
	const char *p = d->info_network;

	fprintf(out, "QEMU %s%s%s%s, pid %d (%s), %s, through %s\n",
		d->version[0] ? d->version : "(version unknown)", d->package[0] ? " (" : "",
		d->package, d->package[0] ? ")" : "", (int)d->pid, d->comm[0] ? d->comm : "?",
		d->status[0] ? d->status : "status unknown", d->socket);
	fprintf(out, "info network:\n");
	while (p && *p) {
		size_t len = strcspn(p, "\r\n");

		if (len)
			fprintf(out, "  %.*s\n", (int)len, p);
		p += len;
		p += strspn(p, "\r\n");
	}
	for (size_t i = 0; i < d->nnics; i++)
		fprintf(out, "NIC %s (%s): netdev %s, MAC %s (qom-get)\n", d->nics[i].id,
			d->nics[i].type, d->nics[i].netdev,
			d->nics[i].mac[0] ? d->nics[i].mac : "?");
	for (size_t i = 0; i < d->nfds; i++) {
		const struct diag_fd *f = &d->fds[i];

		if (f->tap[0])
			fprintf(out, "descriptor %d (%s queue %d): tap %s, queue %s (TUNGETIFF)\n",
				f->fd, f->netdev, f->queue, f->tap, state_name(f->state));
	}
	for (size_t i = 0; i < d->ntaps; i++) {
		const struct diag_tap *t = &d->taps[i];

		fprintf(out, "tap %s: in %s network namespace (net:[%llu], %s)", t->name,
			t->netns_ours ? "guestcheck's own" : "another", t->netns_ino,
			t->netns_from_tap ? "TUNGETDEVNETNS" : "QEMU's, a guess");
		if (t->hdr >= 0)
			fprintf(out,
				", a %d-byte virtio-net header before each frame (TUNGETVNETHDRSZ)",
				t->hdr);
		fputc('\n', out);
	}
	for (size_t i = 0; i < d->nfindings; i++)
		fprintf(out, "guestcheck: %s\n", d->findings[i]);
	fprintf(out, "guestcheck diagnose: %zu loss finding%s, %zu note%s; nothing was changed\n",
		diagnose_losses(d), diagnose_losses(d) == 1 ? "" : "s",
		d->nfindings - diagnose_losses(d),
		d->nfindings - diagnose_losses(d) == 1 ? "" : "s");
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static json_object *jclients(const struct diagnosis *d)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < d->nclients; i++) {
		const struct netinfo_client *c = &d->clients[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", jstr(c->name));
		json_object_object_add(o, "index", json_object_new_int(c->index));
		json_object_object_add(o, "type", jstr(c->type));
		json_object_object_add(o, "model", jstr(c->model));
		json_object_object_add(o, "mac", jstr(c->mac));
		json_object_object_add(o, "fd", json_object_new_int(c->fd));
		json_object_object_add(o, "frontend", jstr(c->nic));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *jnics(const struct diagnosis *d)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < d->nnics; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", jstr(d->nics[i].id));
		json_object_object_add(o, "type", jstr(d->nics[i].type));
		json_object_object_add(o, "netdev", jstr(d->nics[i].netdev));
		json_object_object_add(o, "mac", jstr(d->nics[i].mac));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *jfds(const struct diagnosis *d)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < d->nfds; i++) {
		const struct diag_fd *f = &d->fds[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "fd", json_object_new_int(f->fd));
		json_object_object_add(o, "netdev", jstr(f->netdev));
		json_object_object_add(o, "queue", json_object_new_int(f->queue));
		json_object_object_add(o, "tap", jstr(f->tap));
		json_object_object_add(o, "state", jstr(state_name(f->state)));
		json_object_object_add(o, "error", jstr(f->error));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *jtaps(const struct diagnosis *d)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < d->ntaps; i++) {
		const struct diag_tap *t = &d->taps[i];
		json_object *o = json_object_new_object(), *q = json_object_new_array();

		json_object_object_add(o, "name", jstr(t->name));
		for (unsigned int k = 0; k < t->queues; k++)
			json_object_array_add(q, jstr(state_name(t->state[k])));
		json_object_object_add(o, "queues", q);
		json_object_object_add(o, "netns_inode", json_object_new_int64(t->netns_ino));
		json_object_object_add(o, "netns_ours", json_object_new_boolean(t->netns_ours));
		json_object_object_add(o, "netns_from_tap",
				       json_object_new_boolean(t->netns_from_tap));
		if (t->have_before)
			json_object_object_add(o, "counters", link_counters_json(&t->before));
		if (t->have_after) {
			json_object_object_add(o, "counters_after", link_counters_json(&t->after));
			json_object_object_add(o, "seconds",
					       json_object_new_double(t->t_after - t->t_before));
		}
		json_object_object_add(o, "vnet_hdr_size", json_object_new_int(t->hdr));
		if (d->watch_s) {
			json_object *c = json_object_new_array();

			for (size_t k = 0; k < t->nhdr_changes; k++) {
				json_object *e = json_object_new_object();

				json_object_object_add(e, "t_s",
						       json_object_new_double(t->hdr_changes[k].t));
				json_object_object_add(e, "size",
						       json_object_new_int(t->hdr_changes[k].size));
				json_object_array_add(c, e);
			}
			json_object_object_add(o, "vnet_hdr_changes", c);
			json_object_object_add(o, "vnet_hdr_changes_not_kept",
					       json_object_new_int64(t->hdr_dropped));
			json_object_object_add(o, "seconds_at_qemu_hdr",
					       json_object_new_double(t->hdr_seconds[0]));
			json_object_object_add(o, "seconds_at_larger_hdr",
					       json_object_new_double(t->hdr_seconds[1]));
		}
		json_object_object_add(o, "error", jstr(t->error));
		json_object_array_add(a, o);
	}
	return a;
}

int diagnose_write_json(const struct diagnosis *d, const char *path, char *err, size_t errsize)
{
	json_object *root = json_object_new_object(), *f = json_object_new_array();
	const char *text;
	int r;

	json_object_object_add(root, "socket", jstr(d->socket));
	json_object_object_add(root, "pid", json_object_new_int(d->pid));
	json_object_object_add(root, "comm", jstr(d->comm));
	json_object_object_add(root, "qemu_version", jstr(d->version));
	json_object_object_add(root, "qemu_package", jstr(d->package));
	json_object_object_add(root, "status", jstr(d->status));
	json_object_object_add(root, "info_network", jstr(d->info_network));
	json_object_object_add(root, "clients", jclients(d));
	json_object_object_add(root, "nics", jnics(d));
	json_object_object_add(root, "descriptors", jfds(d));
	json_object_object_add(root, "taps", jtaps(d));
	json_object_object_add(root, "watch_seconds", json_object_new_double(d->watch_s));
	for (size_t i = 0; i < d->nfindings; i++)
		json_object_array_add(f, jstr(d->findings[i]));
	json_object_object_add(root, "findings", f);
	json_object_object_add(root, "losses", json_object_new_int64(diagnose_losses(d)));
	json_object_object_add(root, "cannot_read", jstr(d->cannot));
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	r = text ? write_file(path, text, strlen(text)) : -ENOMEM;
	json_object_put(root);
	if (r < 0)
		return errmsg(err, errsize, r,
			      "%s: cannot write the JSON: %s: free space there or "
			      "name another --json file",
			      path, strerror(-r));
	return 0;
}
