/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The monotonic clock, for deadlines and durations on both sides (never the
 * wall clock: NTP or a guest's RTC may step it). CLOCK_MONOTONIC cannot fail
 * on Linux, so these return a reading, not a code.
 *
 * Integer forms for deadlines and arithmetic in one unit; now_s() as a
 * double for durations people read ("12.3 s").
 */
#ifndef GUESTCHECK_CLOCK_H
#define GUESTCHECK_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static inline uint64_t now_us(void)
{
	return now_ns() / 1000;
}

static inline uint64_t now_ms(void)
{
	return now_ns() / 1000000;
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
