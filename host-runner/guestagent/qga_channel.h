/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A way to reach a QEMU guest agent: one request in, one reply line out.
 * Two kinds: the agent's unix socket itself (qga_socket.c: framing and
 * guest-sync-delimited are ours) and libvirt's agent channel through
 * `virsh qemu-agent-command` (qga_virsh.c: libvirt syncs). qga.c speaks the
 * commands over either.
 */
#ifndef GUESTCHECK_QGA_CHANNEL_H
#define GUESTCHECK_QGA_CHANNEL_H

#include <stddef.h>

struct qga_channel;

struct qga_channel_ops {
	/*
	 * Send request (one JSON object and '\n') and return the reply line,
	 * malloc'd and NUL-terminated, in *reply (*len bytes), within
	 * timeout_ms. 0, or -ETIMEDOUT (the agent did not answer), -ENOTCONN
	 * (no agent: the channel is closed), -ENOENT (what was named does not
	 * exist), -EREMOTEIO (libvirt relayed the agent's error), another
	 * -errno; err says which and what to do.
	 */
	int (*call)(struct qga_channel *c, const char *request, char **reply, size_t *len,
		    unsigned int timeout_ms, char *err, size_t errsize);
	void (*close)(struct qga_channel *c);
};

struct qga_channel {
	const struct qga_channel_ops *ops;
	char where[320]; /* "qga socket /run/x.sock", "libvirt domain NAME": for messages */
};

/*
 * Connect to the agent's socket and sync with it (guest-sync-delimited)
 * within timeout_ms. -ENOENT: no such socket; -ECONNREFUSED: nothing
 * listens; -ETIMEDOUT: connected, no agent answered.
 */
int qga_socket_open(const char *path, unsigned int timeout_ms, struct qga_channel **out, char *err,
		    size_t errsize);

/*
 * libvirt's channel to DOMAIN's agent (virsh from PATH or $GUESTCHECK_VIRSH;
 * uri NULL: virsh's default, or $LIBVIRT_DEFAULT_URI). Nothing is run until the
 * first call.
 */
int qga_virsh_open(const char *domain, const char *uri, struct qga_channel **out, char *err,
		   size_t errsize);

static inline void qga_channel_close(struct qga_channel *c)
{
	if (c)
		c->ops->close(c);
}

#endif
