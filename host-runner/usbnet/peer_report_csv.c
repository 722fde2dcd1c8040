// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-probe timeline as CSV, one row per probe the guest sent: when it
 * was sent and arrived, what became of it each way, its round trip and RTT.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "errmsg.h"
#include "write_file.h"

#include "usbnet/peer.h"
#include "usbnet/peer_report.h"

int peer_report_write_csv(const struct peer_report *r, const char *path, char *err, size_t errsize)
{
	_cleanup_fclose_ FILE *f = fopen(path, "we");
	int rc;

	if (!f)
		return errmsg(err, errsize, -errno, "%s: cannot write the loss timeline: %s", path,
			      strerror(errno));
	fprintf(f, "seq,t_send_s,peer_rx_s,upstream,echo,round_trip,rtt_ms\n");
	for (uint32_t i = 0; i < r->n; i++) {
		const struct peer_probe *p = &r->probes[i];
		const char *up = p->flags & PEER_PROBE_DROP_UP ? "injected-drop"
				 : p->flags & PEER_PROBE_RX    ? "received"
							       : "lost";
		const char *echo = p->flags & PEER_PROBE_DROP_DOWN ? "injected-drop"
				   : p->flags & PEER_PROBE_ECHOED  ? "sent"
								   : "-";

		if (r->rt[i] == RT_UNSENT)
			continue;
		fprintf(f, "%u,%.6f,", i, peer_report_send_time(r, i));
		if ((p->flags & PEER_PROBE_RX) && r->anchor)
			fprintf(f, "%.6f", p->rx_ns / 1e9 - r->anchor);
		fprintf(f, ",%s,%s,%s,", up, echo, peer_rt_name(r->rt[i]));
		if (p->flags & PEER_PROBE_ACKED)
			fprintf(f, "%.3f", p->rtt_us / 1e3);
		fputc('\n', f);
	}
	rc = fclose_checked(TAKE_PTR(f));
	if (rc < 0)
		return errmsg(err, errsize, rc, "%s: cannot write the loss timeline: %s", path,
			      strerror(-rc));
	return 0;
}
