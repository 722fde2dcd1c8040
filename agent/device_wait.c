// SPDX-License-Identifier: GPL-2.0-or-later
#include "device_wait.h"

#include <errno.h>
#include <stdio.h>

#include "clock.h"
#include "protocol.h"

#include "devices/locate.h"

static bool timed_out(const struct device_wait *w)
{
	return now_ns() - w->t0_ns >= w->timeout_ns;
}

void device_wait_start(struct device_wait *w, const struct check_env *env, unsigned int timeout_ms)
{
	*w = (struct device_wait){ .env = env,
				   .t0_ns = now_ns(),
				   .timeout_ns = timeout_ms * 1000000ull };
	w->n = check_devices(env, NULL, w->devs, DEVICE_WAIT_MAX);
	if (w->n > DEVICE_WAIT_MAX)
		w->n = DEVICE_WAIT_MAX;
}

bool device_wait_poll(struct device_wait *w, int out)
{
	size_t present = 0;

	for (size_t i = 0; i < w->n; i++) {
		if (!w->present[i]) {
			struct located_device loc;
			int r = device_locate(w->env, &w->devs[i], &loc);

			/* A kind this agent does not know: not awaited (devices.present says). */
			w->present[i] = r == 0 || r == -EPROTONOSUPPORT;
		}
		present += w->present[i];
	}
	if (present < w->n && !timed_out(w))
		return true;
	if (!w->reported)
		dprintf(out, AGENT_LINE_PREFIX "devices %zu of %zu present after %.2f s\n", present,
			w->n, (now_ns() - w->t0_ns) / 1e9);
	w->reported = true;
	return false;
}

bool device_wait_ready(const struct device_wait *w, const struct agent_area *area)
{
	if (timed_out(w))
		return true;
	for (size_t i = 0; i < w->n; i++)
		if (!w->present[i] && agent_area_reads(area, w->devs[i].kind))
			return false;
	return true;
}
