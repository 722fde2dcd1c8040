// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/area.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"

#include "devices/device_type.h"
#include "usbnet/hotplug.h"
#include "usbnet/peer.h"

static bool wanted(const struct scenario *s)
{
	for (size_t i = 0; i < s->ndevices; i++)
		if (s->devices[i].type == &usb_net_device)
			return true;
	return false;
}

static int start(const struct area_ctx *ctx, void **state, char *err, size_t errsize)
{
	struct peers *ps = calloc(1, sizeof(*ps));
	char why[512];
	int r;

	*state = ps;
	if (!ps)
		return errmsg(err, errsize, -ENOMEM, "usb-net: out of memory");
	r = peers_start(ps, ctx->scenario, ctx->rundir, ctx->results_dir, ctx->log_prefix,
			ctx->progress, why, sizeof(why));
	/* The peers' messages name the device; users look for the area first. */
	return r < 0 ? errmsg(err, errsize, r, "usb-net: %s", why) : 0;
}

static void agent_config(const struct area_ctx *ctx, void *state, FILE *out)
{
	peers_agent_config(state, out);
}

static void qemu_started(const struct area_ctx *ctx, void *state)
{
	struct peers *ps = state;

	ps->start = ctx->start;
	peers_qemu_started(ps, ctx->qemu_pid, ctx->qemu_version);
}

static void on_ktap(const struct area_ctx *ctx, void *state, const struct ktap_run *run)
{
	peers_on_ktap(state, run);
}

static void tick(const struct area_ctx *ctx, void *state)
{
	peers_tick(state);
}

static void stop(const struct area_ctx *ctx, void *state)
{
	peers_stop(state);
}

/* peers_report() named each file it could not write on stderr already. */
static int report(const struct area_ctx *ctx, void *state, const struct ktap_run *run, char *err,
		  size_t errsize)
{
	int r = peers_report(state, run);

	if (r < 0)
		return errmsg(err, errsize, r,
			      "usb-net: a per-probe report file (named above) could not be "
			      "written in %s: %s",
			      ctx->results_dir, strerror(-r));
	return 0;
}

static void free_state(void *state)
{
	if (!state)
		return;
	peers_free(state);
	free(state);
}

const struct host_area_ops usbnet_area = {
	.name = "usb-net",
	.wanted = wanted,
	.qemu_args = hotplug_qemu_args,
	.start = start,
	.agent_config = agent_config,
	.qemu_started = qemu_started,
	.on_ktap = on_ktap,
	.tick = tick,
	.stop = stop,
	.report = report,
	.free = free_state,
};
