// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/peer_inject.h"

/* splitmix64: tiny, well mixed, and any seed (0 too) is a good one. */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void peer_inject_init(struct peer_inject *in, uint32_t loss_ppm, uint32_t up_ms, uint32_t down_ms,
		      uint64_t seed)
{
	*in = (struct peer_inject){
		.loss_ppm = loss_ppm, .up_ms = up_ms, .down_ms = down_ms, .rng = seed
	};
}

bool peer_inject_schedule_down(const struct peer_inject *in, uint64_t t_ns)
{
	uint64_t period = (uint64_t)(in->up_ms + (uint64_t)in->down_ms) * 1000000ull;

	if (!in->up_ms || !in->down_ms)
		return false;
	return t_ns % period >= (uint64_t)in->up_ms * 1000000ull;
}

bool peer_inject_drop(struct peer_inject *in, uint64_t now_ns)
{
	if (!in->started) {
		in->started = true;
		in->origin_ns = now_ns;
	}
	if (in->loss_ppm && next_u64(&in->rng) % 1000000u < in->loss_ppm)
		return true;
	return peer_inject_schedule_down(in, now_ns - in->origin_ns);
}
