/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `guestcheck check` needs from a running guest, whatever reaches it:
 * write a file, run a command and keep its output. One table of operations;
 * the QEMU guest agent (qga_transport.c, over its socket or libvirt's
 * channel) implements it, and the incus client (incus_transport.c: `incus
 * file push`, `incus exec`).
 */
#ifndef GUESTCHECK_GUEST_TRANSPORT_H
#define GUESTCHECK_GUEST_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qga_channel;

struct guest_exec_result {
	int exitcode; /* -1 when a signal ended it */
	int signal;   /* that signal, else 0 */
	char *out;    /* stdout, NUL-terminated (malloc'd), at most max_out bytes */
	size_t outlen;
	bool out_truncated; /* the guest or we cut it */
	char *errout;	    /* stderr, likewise */
	size_t errlen;
};

void guest_exec_result_free(struct guest_exec_result *res);

struct guest_transport;

struct guest_transport_ops {
	/* Create or truncate the guest's file path with data. 0 or -errno, err says why. */
	int (*push)(struct guest_transport *t, const char *path, const void *data, size_t len,
		    char *err, size_t errsize);
	/*
	 * Run argv (argv[0] found on the guest's PATH) to its end and fill res.
	 * 0 when it ended (res says how), -ETIME when it ran past timeout_ms
	 * (it was killed, best effort), another -errno when it could not be run
	 * or the channel failed.
	 */
	int (*exec)(struct guest_transport *t, const char *const *argv, uint64_t timeout_ms,
		    size_t max_out, struct guest_exec_result *res, char *err, size_t errsize);
	void (*close)(struct guest_transport *t);
};

struct guest_transport {
	const struct guest_transport_ops *ops;
	char where[320];	/* "qga socket PATH": for messages */
	const char *via;	/* what reaches the guest: "qemu-ga", "incus exec" */
	char agent_version[64]; /* the guest side's own version ("7.2.22"), or "" */
};

/*
 * The QEMU guest agent on ch (taken over: closed with the transport). Asks
 * guest-info first: -EPERM when a command it needs (guest-exec,
 * guest-exec-status, guest-file-open/-write/-close) is missing or disabled,
 * err naming it and how to enable it.
 */
int guest_transport_qga(struct qga_channel *ch, struct guest_transport **out, char *err,
			size_t errsize);

/*
 * An Incus instance ("NAME" or "REMOTE:NAME") through the `incus` client
 * (PATH, or $GUESTCHECK_INCUS): `incus query` must say it is a running VM
 * (allow_container: a container too, for the test suite only) and `incus
 * exec -- true` must answer. -EINVAL a name Incus would not take, -ENOENT no
 * such instance, -EOPNOTSUPP a container, -ENOTCONN not running (or a VM's
 * incus-agent not answering), -ECONNREFUSED incusd not reachable, -ENOPKG no
 * incus client; err names the instance and the fix.
 */
int guest_transport_incus(const char *instance, bool allow_container, struct guest_transport **out,
			  char *err, size_t errsize);

static inline void guest_transport_close(struct guest_transport *t)
{
	if (t)
		t->ops->close(t);
}

#endif
