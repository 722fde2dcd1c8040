// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * After the run: each usb-net device's per-probe timeline, its plot and the
 * host's findings, from three sources on one clock: the peer's record of
 * every probe (peer-NAME.bin: what arrived, what it dropped on purpose,
 * what it echoed, and the RTT the guest acked), the guest's own report in
 * usbnet.probe's diagnostics (its loss windows, so a probe whose ack never
 * came is still placed), and the QMP timeline (hotplug.c). The probe's
 * zero on the host's clock is the earliest arrival minus its send time;
 * with nothing arriving, the moment the guest said it started probing.
 *
 * This file reads the peer's record (from its file, or from memory for
 * `guestcheck peer`) and runs the steps; peer_report.h lists the files that
 * do them.
 */
#include "usbnet/peer_report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#include "usbnet/peer.h"
#include "usbnet/peer_report_readers.h"
#include "usbnet/peer_serve.h"
#include "usbnet/probe_proto.h"

static int read_dump(struct peer_report *r)
{
	_cleanup_close_ int fd = open(r->p->dump_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t need;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if ((size_t)st.st_size < sizeof(r->d) ||
	    read(fd, &r->d, sizeof(r->d)) != (ssize_t)sizeof(r->d) || r->d.magic != PEER_DUMP_MAGIC)
		return -EPROTO;
	if (r->d.nprobes > PROBE_MAX_PROBES)
		return -EPROTO;
	need = (size_t)r->d.nprobes * sizeof(*r->probes);
	if ((size_t)st.st_size < sizeof(r->d) + need)
		return -EPROTO;
	r->probes = calloc(r->d.nprobes + 1, sizeof(*r->probes));
	if (!r->probes)
		return -ENOMEM;
	for (size_t off = 0; off < need;) {
		ssize_t n = read(fd, (char *)r->probes + off, need - off);

		if (n <= 0)
			return -EIO;
		off += n;
	}
	return 0;
}

/* A record served in this process (guestcheck peer): copied, as the report frees its own. */
static int copy_record(struct peer_report *r, const struct peer_server *sv)
{
	r->d = sv->d;
	if (!sv->have_run)
		r->d.nprobes = 0;
	r->probes = calloc(r->d.nprobes + 1, sizeof(*r->probes));
	if (!r->probes)
		return -ENOMEM;
	if (r->d.nprobes)
		memcpy(r->probes, sv->probes, (size_t)r->d.nprobes * sizeof(*r->probes));
	return 0;
}

/* The peer's record (from sv, else its file) and the guest's view: 0, or -ENOMEM. */
static int load(struct peer_report *r, const struct ktap_run *run, const struct peer_server *sv)
{
	const struct peer *p = r->p;
	int ret = sv ? copy_record(r, sv) : read_dump(r);

	if (ret < 0) {
		memset(&r->d, 0, sizeof(r->d));
		free(r->probes);
		r->probes = NULL;
		peer_finding(r, "peer: its record is missing or unreadable (%s)", strerror(-ret));
	}
	/* Without a peer record, the guest's plan: the probe still has a timeline. */
	r->n = r->d.nprobes ? r->d.nprobes
			    : (uint32_t)((uint64_t)p->spec.rate * p->spec.duration_ms / 1000);
	if (!r->d.nprobes) {
		free(r->probes);
		r->probes = calloc(r->n + 1, sizeof(*r->probes));
	}
	r->rt = calloc(r->n + 1, 1);
	if (!r->probes || !r->rt)
		return -ENOMEM;
	r->interval_s = 1.0 / (r->d.rate ? r->d.rate : p->spec.rate);
	peer_report_read_guest(r, run);
	return r->g.lost_map ? 0 : -ENOMEM;
}

/* A file that could not be written is said at once; the first failure is kept. */
static void failed(const struct peer *p, int *first, int rc, const char *err)
{
	if (rc >= 0)
		return;
	fprintf(stderr, "guestcheck: %s: %s\n", p->spec.name, err);
	if (!*first)
		*first = rc;
}

/* Each file is attempted; each that fails is said on stderr. 0, or the first -errno. */
static int report_one(struct peers *ps, struct peer *p, const struct ktap_run *run,
		      const struct peer_server *sv)
{
	struct peer_report r = { .ps = ps, .p = p };
	char base[PATH_MAX], timeline[PATH_MAX + 32], plot[PATH_MAX + 32], json[PATH_MAX + 32],
		readers[PATH_MAX + 32];
	char err[PATH_MAX + 128];
	int first = 0;

	if (load(&r, run, sv) < 0)
		goto out;
	peer_report_round_trips(&r);
	peer_report_find_anchor(&r);
	if (peer_report_find_windows(&r) < 0)
		goto out;
	if (p->spec.probe)
		peer_report_host_findings(&r);
	/* Without a QEMU to ask (guestcheck peer), the findings from QMP and a tap are absent. */
	if (!ps->hp && p->spec.probe)
		peer_finding(&r, "note: no QEMU here: the findings from QEMU's view (QMP, info "
				 "network) and a tap's counters come only with guestcheck run");
	snprintf(base, sizeof(base), "%s/%susbnet-%s", ps->results_dir, ps->prefix, p->spec.name);
	snprintf(timeline, sizeof(timeline), "%s-timeline.csv", base);
	snprintf(plot, sizeof(plot), "%s.svg", base);
	snprintf(json, sizeof(json), "%s.json", base);
	snprintf(readers, sizeof(readers), "%s-readers.csv", base);
	if (ps->readers)
		failed(p, &first, peer_report_write_readers_csv(&r, readers, err, sizeof(err)),
		       err);
	if (p->spec.probe) {
		failed(p, &first, peer_report_write_csv(&r, timeline, err, sizeof(err)), err);
		failed(p, &first, peer_report_write_plot(&r, plot, err, sizeof(err)), err);
	}
	failed(p, &first,
	       peer_report_write_json(&r, json, p->spec.probe ? timeline : "",
				      p->spec.probe ? plot : "", err, sizeof(err)),
	       err);
	for (size_t i = 0; ps->progress && i < r.nfindings; i++)
		fprintf(ps->progress, "guestcheck: %s: %s\n", p->spec.name, r.findings[i]);
	if (ps->progress && p->spec.probe)
		fprintf(ps->progress, "guestcheck: %s: loss timeline %s, plot %s\n", p->spec.name,
			timeline, plot);
out:
	free(r.probes);
	free(r.rt);
	free(r.g.lost_map);
	free(r.lost);
	free(r.injected);
	return first;
}

int peers_report(struct peers *ps, const struct ktap_run *run)
{
	int r, first = 0;

	for (size_t i = 0; i < ps->n; i++)
		if ((r = report_one(ps, &ps->p[i], run, NULL)) < 0 && !first)
			first = r;
	return first;
}

int peer_report_served(struct peers *ps, struct peer *p, const struct peer_server *sv)
{
	return report_one(ps, p, NULL, sv);
}
