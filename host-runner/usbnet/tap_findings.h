/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's view of a tap in words, one wording for the runner's report
 * (peer_report_findings.c, on the peer's copies of the queues) and for
 * `guestcheck diagnose` (diagnose.c, on copies of QEMU's descriptors).
 */
#ifndef GUESTCHECK_TAP_FINDINGS_H
#define GUESTCHECK_TAP_FINDINGS_H

#include <stdint.h>

/* A queue's attach state as TUNGETIFF reports it (the peer stores these values). */
enum tap_queue_state { TAP_QUEUE_UNKNOWN = 0, TAP_QUEUE_ATTACHED = 1, TAP_QUEUE_DETACHED = 2 };

/*
 * The finding about tap's queues 0..queues-1 (state[q], enum tap_queue_state),
 * seen at `when` ("as the agent ended", "now"): "loss: ..." when every queue
 * or queue 0 (the one a single-queue usb-net sends on) is detached, else
 * "note: ...". A malloc'd sentence the caller frees, or NULL when no state is
 * known or memory ran out.
 */
char *tap_queue_finding(const char *tap, const uint8_t *state, unsigned int queues,
			const char *when);

#endif
