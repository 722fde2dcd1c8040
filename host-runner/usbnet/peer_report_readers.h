/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One device's share of the uprobe evidence (readers.h): its finding, CSV and JSON. */
#ifndef GUESTCHECK_PEER_REPORT_READERS_H
#define GUESTCHECK_PEER_REPORT_READERS_H

#include <json-c/json.h>

#include "usbnet/peer_report.h"

enum readers_verdict {
	READERS_NONE,	    /* no evidence: the findings can only suspect */
	READERS_OTHER_READ, /* another netdev read frames during the probe: proven */
	READERS_ONLY_MINE,  /* the usb-net's netdev read every frame: sharing cost nothing */
};

/* Add the evidence finding, if any, and say what it proved. */
enum readers_verdict peer_report_reader_findings(struct peer_report *r);

/* The tap's virtio-net header against the usb-net's netdev's, as a finding when they differ. */
void peer_report_header_findings(struct peer_report *r);

/*
 * The probes counted by the header size the tap had when each was sent, as a
 * finding when the probe saw more than one (a guest driver taking and letting
 * go of the remap's old virtio-net: the loss comes and goes with it).
 */
void peer_report_header_windows(struct peer_report *r);

/* When the live line named the cause against the probe's first loss (peer_live.c). */
void peer_report_live_finding(struct peer_report *r);

/* usbnet-NAME-readers.csv: every handler change and per-second frame count. 0 or -errno. */
int peer_report_write_readers_csv(const struct peer_report *r, const char *path, char *err,
				  size_t errsize);

/* The same as a JSON object (owned by the caller). */
json_object *peer_report_readers_json(const struct peer_report *r);

#endif
