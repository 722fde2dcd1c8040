/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loss the peer injects, decided per probe as it arrives: a Bernoulli
 * rate (each probe lost with probability p, from a seeded generator so a
 * run can be repeated) or an on/off schedule (UP ms passing, DOWN ms lost,
 * repeating, from the first probe's arrival). Pure, unit-tested.
 */
#ifndef GUESTCHECK_PEER_INJECT_H
#define GUESTCHECK_PEER_INJECT_H

#include <stdbool.h>
#include <stdint.h>

struct peer_inject {
	uint32_t loss_ppm;
	uint32_t up_ms, down_ms;
	uint64_t rng;
	bool started;
	uint64_t origin_ns; /* the first probe's arrival: the schedule's zero */
};

void peer_inject_init(struct peer_inject *in, uint32_t loss_ppm, uint32_t up_ms, uint32_t down_ms,
		      uint64_t seed);

/* Whether the probe arriving at now_ns (CLOCK_MONOTONIC) is dropped. */
bool peer_inject_drop(struct peer_inject *in, uint64_t now_ns);

/* Whether the schedule is down at t_ns since its origin (no schedule: never). */
bool peer_inject_schedule_down(const struct peer_inject *in, uint64_t t_ns);

#endif
