// SPDX-License-Identifier: GPL-2.0-or-later
#include "export/peer_steps.h"

#include <string.h>

#include "macro.h"

#include "devices/device_type.h"
#include "usbnet/peer.h"
#include "usbnet/peer_spec.h"

/* The scenario keys `guestcheck peer` takes as options, under the same rules. */
static const struct {
	const char *key, *option;
} inject_options[] = {
	{ "inject_loss", "--inject-loss" },
	{ "inject_outage", "--inject-outage" },
	{ "inject_direction", "--inject-direction" },
	{ "inject_seed", "--inject-seed" },
};

/* A usb-net adapter on user networking, parsed; false for everything else. */
static bool user_net(const struct scenario_device *d, const struct scenario *s,
		     struct peer_spec *sp)
{
	char err[256];

	return d->type == &usb_net_device && peer_spec_parse(d, s, sp, err, sizeof(err)) == 0 &&
	       sp->netdev == PEER_NETDEV_USER;
}

/*
 * Not PROBE_DEFAULT_PORT: an agent without a [probe] section probes that one,
 * and on a shared host another such guest would take this export's peer.
 */
#define EXPORT_PORT_BASE 47100

static uint16_t fixed_port(const struct peer_spec *sp)
{
	return sp->port ?: EXPORT_PORT_BASE + sp->index;
}

void export_probe_config(const struct scenario *s, FILE *out)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		struct peer_spec sp;

		if (user_net(&s->devices[i], s, &sp))
			peer_spec_agent_config(&sp, fixed_port(&sp), out);
	}
}

void shell_quote(const char *s, FILE *out)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789%+,-./:=@_";

	if (s[0] && strspn(s, safe) == strlen(s)) {
		fputs(s, out);
		return;
	}
	fputc('\'', out);
	for (; *s; s++)
		*s == '\'' ? fputs("'\\''", out) : fputc(*s, out);
	fputc('\'', out);
}

size_t export_peer_commands(const struct scenario *s, const char *dir, const char *indent,
			    FILE *out)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ndevices; i++) {
		const struct scenario_device *d = &s->devices[i];
		struct peer_spec sp;

		if (!user_net(d, s, &sp) || !sp.probe)
			continue;
		fprintf(out, "%sguestcheck peer --listen 127.0.0.1:%u --name %s -o ", indent,
			fixed_port(&sp), sp.name);
		shell_quote(dir, out);
		for (size_t j = 0; j < ARRAY_SIZE(inject_options); j++) {
			const char *v = device_key(d, inject_options[j].key);

			if (!v)
				continue;
			fprintf(out, " %s ", inject_options[j].option);
			shell_quote(v, out);
		}
		fputs(" &\n", out);
		n++;
	}
	return n;
}
