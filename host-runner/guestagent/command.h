/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run a host command (virsh, incus) and keep its output, bounded: what the
 * channels to a guest through another tool need.
 */
#ifndef GUESTCHECK_COMMAND_H
#define GUESTCHECK_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct command_output {
	char *out; /* stdout, NUL-terminated, at most max_out bytes (the rest dropped) */
	size_t outlen;
	bool out_cut;
	char err[1024]; /* the start of stderr, NUL-terminated */
	char *errout;	/* with max_err: stderr, NUL-terminated, at most max_err bytes */
	size_t errlen;
	bool err_cut;
	int status; /* exit status; 128 + N when killed by signal N */
};

/*
 * argv[0] from PATH; stdin from input (len bytes; NULL: /dev/null). Killed
 * (SIGKILL) at timeout_ms. 0 when it ran to its end (o->status says how),
 * -ETIME when it was killed at the timeout, -ENOENT when argv[0] is not
 * installed, another -errno when it could not be run. Free o->out.
 */
int command_capture(const char *const *argv, const void *input, size_t len, size_t max_out,
		    uint64_t timeout_ms, struct command_output *o);

/*
 * The same, but at timeout_ms SIGTERM first, and SIGKILL only grace_ms
 * later (0: at once): a tool that relays signals (incus exec) can end what
 * it started. -ETIME when the timeout passed, whichever signal ended it.
 * max_err (0: none) keeps that much of stderr in o->errout; free it too.
 */
int command_capture_term(const char *const *argv, const void *input, size_t len, size_t max_out,
			 size_t max_err, uint64_t timeout_ms, uint64_t grace_ms,
			 struct command_output *o);

#endif
