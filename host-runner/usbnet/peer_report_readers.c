// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The proof of who read the tap: readers.h's record of QEMU's read handlers
 * and of the frames each netdev read, turned into a finding for one device
 * (its usb-net's netdev NAME and the remap's NAME-orig), a CSV and JSON.
 */
#include "usbnet/peer_report_readers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "write_file.h"

#include "usbnet/hotplug.h"
#include "usbnet/peer_spec.h"
#include "usbnet/readers.h"

#define MAX_STEPS 8

/* readers.h's enum readers_what, as the CSV and JSON name it. */
static const char *const what_name[] = { "handler", "vnet_hdr_len", "using_vnet_hdr", "offload" };

static bool ours(const struct peer_report *r, const char *netdev)
{
	return peer_spec_netdev_is_ours(&r->p->spec, netdev);
}

/* The probe's span on the host's clock; false when the probe never started. */
static bool probe_span(const struct peer_report *r, double *from, double *to)
{
	double start = r->anchor ?: r->p->probe_start;

	if (!start)
		return false;
	*from = start;
	*to = start + r->p->spec.duration_ms / 1000.0;
	return true;
}

/* "fds 16-23" or "fd 16" or "fds 16, 18" for the descriptors in set (bit per fd - base). */
static void fd_list(char *buf, size_t size, int base, unsigned long long set)
{
	size_t len = 0;
	int first = -1, n = 0;

	buf[0] = '\0';
	for (int i = 0; i <= 64; i++) {
		bool in = i < 64 && (set >> i & 1);

		if (in && first < 0)
			first = i;
		if (in)
			n++;
		if (!in && first >= 0) {
			len += snprintf(buf + len, len < size ? size - len : 0, "%s%d",
					len ? ", " : "", base + first);
			if (i - 1 > first)
				len += snprintf(buf + len, len < size ? size - len : 0, "-%d",
						base + i - 1);
			first = -1;
		}
	}
	if (n) {
		char tmp[160];

		snprintf(tmp, sizeof(tmp), "%s %s", n > 1 ? "fds" : "fd", buf);
		snprintf(buf, size, "%s", tmp);
	}
}

/* The handler changes as steps: one netdev taking (or dropping) descriptors at one moment. */
static size_t steps(const struct peer_report *r, char *buf, size_t size)
{
	const struct readers_change *c;
	size_t n = readers_changes(r->ps->readers, &c), len = 0, nsteps = 0, more = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n;) {
		unsigned long long set = 0;
		int base = c[i].fd;
		size_t j = i;
		char fds[192], list[160];

		/* The header's changes have a finding of their own (peer_report_header_findings).
		 */
		if (!ours(r, c[i].netdev) || c[i].what != READERS_HANDLER) {
			i++;
			continue;
		}
		for (; j < n && ours(r, c[j].netdev) && !strcmp(c[j].netdev, c[i].netdev) &&
		       c[j].what == READERS_HANDLER && c[j].reads == c[i].reads &&
		       c[j].t - c[i].t < 0.05;
		     j++)
			if (c[j].fd >= base && c[j].fd - base < 64)
				set |= 1ull << (c[j].fd - base);
		fd_list(list, sizeof(list), base, set);
		snprintf(fds, sizeof(fds), "%s %s", c[i].reads ? "took" : "dropped", list);
		if (nsteps == MAX_STEPS) {
			more++;
		} else {
			len += snprintf(buf + len, len < size ? size - len : 0, "%s%.1f s %s %s",
					nsteps ? "; " : "", c[i].t - r->ps->start, c[i].netdev,
					fds);
			nsteps++;
		}
		i = j;
	}
	if (more)
		snprintf(buf + len, len < size ? size - len : 0, "; %zu more in the CSV", more);
	return nsteps;
}

enum readers_verdict peer_report_reader_findings(struct peer_report *r)
{
	const struct readers_count *c;
	size_t n = readers_counts(r->ps->readers, &c);
	unsigned long long mine = 0, other = 0, anytime = 0;
	char other_name[32] = "", history[1024];
	double from, to;

	if (!r->ps->readers) {
		return READERS_NONE;
	}
	if (readers_error(r->ps->readers)[0]) {
		peer_finding(r, "note: no uprobe evidence of who read the tap: bpftrace: %s",
			     readers_error(r->ps->readers));
		return READERS_NONE;
	}
	if (!readers_attached(r->ps->readers) || !probe_span(r, &from, &to))
		return READERS_NONE;
	/*
	 * Only counts whose whole second lies within the probe (and its last
	 * second of echoes): a second that began before the probe holds frames
	 * of the remap itself (1 Dec: the old netdev's 6 frames 0.7 s before the
	 * probe of usbnet-remap-fixed were taken for loss during it).
	 */
	for (size_t i = 0; i < n; i++) {
		if (ours(r, c[i].netdev))
			anytime += c[i].frames;
		if (!ours(r, c[i].netdev) || c[i].t_from < from || c[i].t > to + 1.0)
			continue;
		if (!strcmp(c[i].netdev, r->p->spec.name)) {
			mine += c[i].frames;
		} else {
			other += c[i].frames;
			snprintf(other_name, sizeof(other_name), "%s", c[i].netdev);
		}
	}
	steps(r, history, sizeof(history));
	if (other) {
		peer_finding(
			r,
			"loss: proven by uprobes on QEMU: during the probe %s read %llu frames "
			"from "
			"the tap and %s, the usb-net's netdev, read %llu: frames for the usb-net "
			"went to the other netdev, which never hands them to the usb-net. Who "
			"held the descriptors' read handler (seconds since QEMU started): %s",
			other_name, other, r->p->spec.name, mine,
			history[0] ? history : "(no change seen)");
		return READERS_OTHER_READ;
	}
	/*
	 * Nothing counted in all the run while the tap handed QEMU frames: the
	 * tracer saw none of them (it fell behind, or its probes fired elsewhere),
	 * and silence proves nothing. Seen once on QEMU 10.0.2 with a -j2 build
	 * beside it. Both sides of that comparison span the whole run: the tap's
	 * counters are read when the peer starts and ends.
	 */
	if (!anytime && r->d.have_tap && r->d.tap_after.tx_packets > r->d.tap_before.tx_packets) {
		peer_finding(r,
			     "note: no uprobe evidence of who read the tap: bpftrace was attached "
			     "but counted none of the %llu frames the tap passed toward QEMU "
			     "while the peer ran",
			     (unsigned long long)(r->d.tap_after.tx_packets -
						  r->d.tap_before.tx_packets));
		return READERS_NONE;
	}
	/*
	 * The tracer counted frames, only none inside the probe's whole seconds
	 * (1 Dec, usbnet-remap-incus: a guest that never resolves the gateway
	 * gets an ARP answer a second, and they fell in the probe's first and
	 * last part-seconds): nothing to prove either way.
	 */
	if (!mine && anytime) {
		peer_finding(r,
			     "note: uprobes on QEMU: no netdev read a frame from the tap within "
			     "the probe's whole seconds (the tracer counted %llu over the run, so "
			     "it was watching): who reads the tap during the probe is not shown",
			     anytime);
		return READERS_NONE;
	}
	peer_finding(r,
		     "note: proven by uprobes on QEMU: during the probe %s, the usb-net's netdev, "
		     "read all %llu frames QEMU took from the tap; no other netdev read any. "
		     "Read handlers (seconds since QEMU started): %s",
		     r->p->spec.name, mine, history[0] ? history : "(no change seen)");
	return READERS_ONLY_MINE;
}

/*
 * The tap's header size, the kernel's word for it, against what the
 * usb-net's netdev uses: QEMU sets 10 when it opens a netdev on the tap
 * (net_tap_fd_init), and only a virtio-net frontend asks for more (12, with
 * mergeable buffers). One setting for the whole tap: a virtio-net on the same
 * descriptors changes it under the usb-net's netdev.
 */
void peer_report_header_findings(struct peer_report *r)
{
	const struct readers_change *c;
	size_t n = readers_changes(r->ps->readers, &c);
	const struct readers_change *last = NULL;
	int size = r->p->vnet_hdr_size;

	/*
	 * Only a larger header is a virtio-net's doing, and only after the remap
	 * is there a usb-net's netdev to misread it (QEMU 10.0 leaves 0 on a tap
	 * whose usb-net was never added).
	 */
	if (size <= QEMU_DEFAULT_HDR || r->p->spec.plug != PEER_PLUG_REMAP ||
	    !hotplug_remap_time(r->ps->hp, r->p))
		return;
	for (size_t i = 0; i < n; i++)
		if (ours(r, c[i].netdev) && c[i].what == READERS_HDR_LEN && c[i].value == size)
			last = &c[i];
	if (last)
		peer_finding(r,
			     "loss: the tap puts a %d-byte virtio-net header before every frame "
			     "(TUNGETVNETHDRSZ as the agent ended), set by %s at %.1f s "
			     "(qemu_set_vnet_hdr_len, uprobes) when the guest's virtio_net driver "
			     "negotiated it; the header size is one setting for the whole tap, "
			     "and %s, the usb-net's netdev, reads and writes with QEMU's %d: every "
			     "frame is misplaced by %d bytes both ways. The remap must delete the "
			     "virtio-net (and see DEVICE_DELETED) before its guest driver can "
			     "negotiate, or the usb-net must get a tap of its own",
			     size, last->netdev, last->t - r->ps->start, r->p->spec.name,
			     QEMU_DEFAULT_HDR, size - QEMU_DEFAULT_HDR);
	else
		peer_finding(
			r,
			"loss (suspected: who set it was not seen: %s): the tap puts a %d-byte "
			"virtio-net header before every frame (TUNGETVNETHDRSZ as the agent "
			"ended), but %s, the usb-net's netdev, uses QEMU's %d: a virtio-net "
			"on the same tap negotiated it, and every frame is misplaced by %d "
			"bytes both ways",
			r->ps->readers ? "no qemu_set_vnet_hdr_len call matched"
				       : r->ps->readers_why,
			size, r->p->spec.name, QEMU_DEFAULT_HDR, size - QEMU_DEFAULT_HDR);
}

void peer_report_live_finding(struct peer_report *r)
{
	double first_loss;

	if (!r->p->live_cause)
		return;
	if (!r->nlost || !r->anchor) {
		peer_finding(r,
			     "note: the cause was said live at %.1f s (uprobes); the probe lost "
			     "nothing after it",
			     r->p->live_cause - r->ps->start);
		return;
	}
	first_loss = r->anchor + r->lost[0].start;
	peer_finding(r,
		     "note: the cause was said live at %.1f s (uprobes), %.1f s %s the probe's "
		     "first loss at %.1f s",
		     r->p->live_cause - r->ps->start, fabs(r->p->live_cause - first_loss),
		     r->p->live_cause <= first_loss ? "before" : "after",
		     first_loss - r->ps->start);
}

int peer_report_write_readers_csv(const struct peer_report *r, const char *path, char *err,
				  size_t errsize)
{
	const struct readers_change *ch;
	const struct readers_count *c;
	size_t nch = readers_changes(r->ps->readers, &ch), n = readers_counts(r->ps->readers, &c);
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return errmsg(err, errsize, -errno, "%s: cannot write who read the tap: %s", path,
			      strerror(errno));
	fputs("t_s,what,netdev,fd,queue,value\n", f);
	for (size_t i = 0; i < nch; i++)
		if (ours(r, ch[i].netdev))
			fprintf(f, "%.6f,%s,%s,%d,,%d\n", ch[i].t - r->ps->start,
				what_name[ch[i].what], ch[i].netdev, ch[i].fd,
				ch[i].what == READERS_HANDLER ? ch[i].reads : ch[i].value);
	for (size_t i = 0; i < n; i++)
		if (ours(r, c[i].netdev))
			fprintf(f, "%.6f,frames,%s,,%u,%llu\n", c[i].t - r->ps->start, c[i].netdev,
				c[i].queue, (unsigned long long)c[i].frames);
	rc = fclose_checked(f);
	if (rc < 0)
		return errmsg(err, errsize, rc, "%s: cannot write who read the tap: %s", path,
			      strerror(-rc));
	return 0;
}

json_object *peer_report_readers_json(const struct peer_report *r)
{
	const struct readers_change *ch;
	const struct readers_count *c;
	size_t nch = readers_changes(r->ps->readers, &ch), n = readers_counts(r->ps->readers, &c);
	json_object *o = json_object_new_object(), *changes = json_object_new_array(),
		    *counts = json_object_new_array();

	json_object_object_add(o, "evidence", json_object_new_boolean(r->ps->readers != NULL));
	if (!r->ps->readers)
		json_object_object_add(o, "why_not", json_object_new_string(r->ps->readers_why));
	json_object_object_add(o, "error",
			       json_object_new_string(readers_error(r->ps->readers) ?: ""));
	for (size_t i = 0; i < nch; i++) {
		json_object *e;

		if (!ours(r, ch[i].netdev))
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "t_s", json_object_new_double(ch[i].t - r->ps->start));
		json_object_object_add(e, "netdev", json_object_new_string(ch[i].netdev));
		json_object_object_add(e, "what", json_object_new_string(what_name[ch[i].what]));
		json_object_object_add(e, "fd", json_object_new_int(ch[i].fd));
		json_object_object_add(e, "value",
				       json_object_new_int(ch[i].what == READERS_HANDLER
								   ? ch[i].reads
								   : ch[i].value));
		json_object_array_add(changes, e);
	}
	for (size_t i = 0; i < n; i++) {
		json_object *e;

		if (!ours(r, c[i].netdev))
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "t_s", json_object_new_double(c[i].t - r->ps->start));
		json_object_object_add(e, "netdev", json_object_new_string(c[i].netdev));
		json_object_object_add(e, "queue", json_object_new_int(c[i].queue));
		json_object_object_add(e, "frames", json_object_new_uint64(c[i].frames));
		json_object_array_add(counts, e);
	}
	json_object_object_add(o, "handler_changes", changes);
	json_object_object_add(o, "frames_per_second", counts);
	json_object_object_add(o, "dropped",
			       json_object_new_uint64(readers_dropped(r->ps->readers)));
	return o;
}

/* The header size the tap had at time t, given the changes up to *k (advanced). */
static int header_at(const struct peer_report *r, const struct readers_change *c, size_t n,
		     size_t *k, double t, int size, uint32_t *flips, double from)
{
	for (; *k < n && c[*k].t <= t; (*k)++) {
		if (!ours(r, c[*k].netdev) || c[*k].what != READERS_HDR_LEN || c[*k].value == size)
			continue;
		if (c[*k].t >= from)
			(*flips)++;
		size = c[*k].value;
	}
	return size;
}

void peer_report_header_windows(struct peer_report *r)
{
	const struct readers_change *c;
	size_t n = readers_changes(r->ps->readers, &c), k = 0;
	uint32_t sent[2] = { 0 }, answered[2] = { 0 }, flips = 0;
	int size = QEMU_DEFAULT_HDR, larger = 0;
	double from = 0;

	if (r->p->spec.plug != PEER_PLUG_REMAP || !r->anchor || !n)
		return;
	for (uint32_t i = 0; i < r->n; i++) {
		double t = r->anchor + peer_report_send_time(r, i);
		bool big;

		if (r->rt[i] == RT_UNSENT)
			continue;
		if (!from)
			from = t;
		size = header_at(r, c, n, &k, t, size, &flips, from);
		big = size > QEMU_DEFAULT_HDR;
		if (big)
			larger = size;
		sent[big]++;
		answered[big] += r->rt[i] == RT_ANSWERED;
	}
	/* One size throughout: peer_report_header_findings() says what it cost. */
	if (!sent[0] || !sent[1])
		return;
	peer_finding(r,
		     "loss: the tap's virtio-net header changed %u times during the probe "
		     "(qemu_set_vnet_hdr_len, uprobes), and the loss follows it: while it was "
		     "QEMU's %d bytes, which %s, the usb-net's netdev, reads and writes, %u of %u "
		     "probes were answered; while the guest's virtio_net had made it %d, %u of %u. "
		     "The size follows that driver (it negotiates %d bytes when it takes the "
		     "virtio-net; QEMU puts %d back when the device is reset): whatever in the "
		     "guest lets go of the old NIC and takes it again turns the usb-net on and "
		     "off. Delete the virtio-net before the guest can bind it (README, \"The "
		     "users' remap\")",
		     flips, QEMU_DEFAULT_HDR, r->p->spec.name, answered[0], sent[0], larger,
		     answered[1], sent[1], larger, QEMU_DEFAULT_HDR);
}
