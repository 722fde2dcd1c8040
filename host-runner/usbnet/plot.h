/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loss timeline as a picture (SVG, written by hand: no library): probes
 * lost per interval on top, the round-trip time below, outages shaded over
 * both, the injected truth as a band, the host's unresolved ARP entry for the
 * guest as another, and the runner's QMP steps and QEMU's
 * events as marked vertical lines, all on the probe's own clock.
 */
#ifndef GUESTCHECK_PLOT_H
#define GUESTCHECK_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum plot_status { PLOT_UNSENT = 0, PLOT_ANSWERED, PLOT_LOST, PLOT_UNKNOWN };

struct plot_probe {
	float t;	/* send time, seconds since the probe started */
	float rtt_ms;	/* answered probes with a known RTT; < 0 unknown */
	uint8_t status; /* enum plot_status */
};

struct plot_span {
	double start, end; /* seconds */
};

struct plot_mark {
	double t;
	const char *label;
	bool event; /* QEMU's (drawn dotted) rather than the runner's command */
	bool failed;
};

struct plot_input {
	const char *title;
	const char *subtitle;
	const struct plot_probe *probes;
	size_t nprobes;
	double duration_s; /* the x axis: 0 .. duration */
	const struct plot_span *outages;
	size_t noutages;
	const struct plot_span *injected; /* the peer's own drops: the truth */
	size_t ninjected;
	const struct plot_span *unresolved; /* the host could not resolve the guest's MAC */
	size_t nunresolved;
	const struct plot_mark *marks;
	size_t nmarks;
};

/* A bin width: at least min_s, at most 200 bins, a round number of seconds. */
double plot_bin_seconds(double duration_s, double min_s);

/* 0 or -EIO. */
int plot_svg_write(const struct plot_input *in, FILE *out);

#endif
