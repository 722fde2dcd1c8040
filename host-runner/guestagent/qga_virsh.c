// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvirt's channel to a domain's guest agent: each request is one
 * `virsh qemu-agent-command DOMAIN --timeout S JSON`; libvirt owns the
 * socket and its guest-sync, and prints the agent's reply on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"

#include "guestagent/command.h"
#include "guestagent/qga_channel.h"
#include "guestagent/qga_wire.h"
#include "session/ktap_parse.h"

struct qga_virsh {
	struct qga_channel ch;
	char domain[256];
	char uri[256];
};

/* virsh's own messages we act on: how each reads, and what it means. */
static const struct {
	const char *needle;
	int code;
	const char *fix;
} virsh_errors[] = {
	{ "failed to get domain", -ENOENT,
	  "no such domain: see `virsh list --all` (or pass --libvirt-uri)" },
	{ "Domain not found", -ENOENT, "no such domain: see `virsh list --all`" },
	{ "domain is not running", -ENOTCONN, "start it: virsh start DOMAIN" },
	{ "agent is not connected", -ENOTCONN,
	  "no guest agent answers: install and start qemu-ga in the guest (Debian: apt-get "
	  "install qemu-guest-agent) and give the domain <channel type='unix'><target "
	  "type='virtio' name='org.qemu.guest_agent.0'/></channel>" },
	{ "Guest agent is not responding", -ETIMEDOUT,
	  "start qemu-ga in the guest, or give the domain its channel org.qemu.guest_agent.0" },
	{ "agent is not configured", -ENOTCONN,
	  "add <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
	  "</channel> to the domain (virsh edit DOMAIN) and install qemu-ga in the guest" },
	{ "has been disabled", -EREMOTEIO, NULL },
	{ "failed to connect to the hypervisor", -ECONNREFUSED,
	  "start libvirtd, or pass --libvirt-uri" },
};

static void first_line(char *s)
{
	char *nl = strchr(s, '\n');

	if (nl && nl[1])
		*nl = '\0'; /* the first line names it; the rest repeats it */
	else if (nl)
		*nl = '\0';
}

static int virsh_call(struct qga_channel *c, const char *request, char **reply, size_t *len,
		      unsigned int timeout_ms, char *err, size_t errsize)
{
	struct qga_virsh *v = (struct qga_virsh *)c;
	const char *virsh = getenv("GUESTCHECK_VIRSH") ?: "virsh";
	char timeout[16], *req = strdup(request), *p;
	const char *argv[10];
	struct command_output o;
	size_t n = 0;
	int r;

	*reply = NULL;
	*len = 0;
	if (!req)
		return -ENOMEM;
	if ((p = strchr(req, '\n')))
		*p = '\0';
	snprintf(timeout, sizeof(timeout), "%u", timeout_ms / 1000 ?: 1);
	argv[n++] = virsh;
	if (v->uri[0]) {
		argv[n++] = "-c";
		argv[n++] = v->uri;
	}
	argv[n++] = "qemu-agent-command";
	argv[n++] = v->domain;
	argv[n++] = "--timeout";
	argv[n++] = timeout;
	argv[n++] = req;
	argv[n] = NULL;
	/* libvirt's own timeout comes first; ours only stops a virsh that hangs. */
	r = command_capture(argv, NULL, 0, QGA_MAX_REPLY, timeout_ms + 15000, &o);
	free(req);
	/* A tool missing on this host: infrastructure, not the user's domain. */
	if (r == -ENOENT)
		return errmsg(err, errsize, -ENOPKG,
			      "%s: virsh is not installed: apt-get install libvirt-clients, or set "
			      "GUESTCHECK_VIRSH",
			      c->where);
	if (r < 0) {
		free(o.out);
		return errmsg(err, errsize, r == -ETIME ? -ETIMEDOUT : r, "%s: virsh %s", c->where,
			      r == -ETIME ? "did not finish: is libvirtd answering?"
					  : strerror(-r));
	}
	if (o.status != 0) {
		free(o.out);
		ktap_sanitize(o.err, strlen(o.err));
		first_line(o.err);
		for (size_t i = 0; i < sizeof(virsh_errors) / sizeof(virsh_errors[0]); i++)
			if (strstr(o.err, virsh_errors[i].needle))
				return errmsg(err, errsize, virsh_errors[i].code, "%s: %s%s%s",
					      c->where, o.err, virsh_errors[i].fix ? ": " : "",
					      virsh_errors[i].fix ?: "");
		return errmsg(err, errsize, -EIO, "%s: virsh failed (exit %d): %s", c->where,
			      o.status, o.err[0] ? o.err : "(no message)");
	}
	if (o.out_cut) {
		free(o.out);
		return errmsg(err, errsize, -EMSGSIZE, "%s: a reply over %u MiB: refused", c->where,
			      QGA_MAX_REPLY >> 20);
	}
	/* virsh ends the reply with a newline or two. */
	while (o.outlen && (o.out[o.outlen - 1] == '\n' || o.out[o.outlen - 1] == '\r'))
		o.out[--o.outlen] = '\0';
	if (!o.out && !(o.out = strdup("")))
		return -ENOMEM;
	*reply = o.out;
	*len = o.outlen;
	return 0;
}

static void virsh_close(struct qga_channel *c)
{
	free(c);
}

static const struct qga_channel_ops virsh_ops = { .call = virsh_call, .close = virsh_close };

int qga_virsh_open(const char *domain, const char *uri, struct qga_channel **out, char *err,
		   size_t errsize)
{
	struct qga_virsh *v;

	*out = NULL;
	if (!domain[0] || strlen(domain) >= sizeof(v->domain) || domain[0] == '-')
		return errmsg(err, errsize, -EINVAL,
			      "--libvirt '%s': name a libvirt domain (see `virsh list --all`)",
			      domain);
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->ch.ops = &virsh_ops;
	snprintf(v->domain, sizeof(v->domain), "%s", domain);
	snprintf(v->uri, sizeof(v->uri), "%s", uri ?: "");
	snprintf(v->ch.where, sizeof(v->ch.where), "libvirt domain %s", domain);
	*out = &v->ch;
	return 0;
}
