// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest transport over the `incus` client: `incus query` to learn what
 * the instance is, `incus file push` from stdin, `incus exec`. In a VM the
 * last two go through its incus-agent; incusd owns the channel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "macro.h"

#include "guestagent/command.h"
#include "guestagent/guest_transport.h"
#include "guestagent/incus_cli.h"

#define QUERY_TIMEOUT_MS 30000
#define PROBE_TIMEOUT_MS 30000
/* `incus exec` is sent SIGTERM at the timeout and passes it on; SIGKILL this much later. */
#define TERM_GRACE_MS 10000
#define MAX_STDERR    (64u << 10)
#define MAX_ARGV      128

struct incus_transport {
	struct guest_transport t;
	struct incus_target target;
	const char *incus; /* the client: incus from PATH, or $GUESTCHECK_INCUS */
};

/* Run the client: 0 when it ran to its end (o->status says how), else -errno with err. */
static int run_incus(struct incus_transport *x, const char *const *argv, const void *in,
		     size_t inlen, size_t max_out, uint64_t timeout_ms, uint64_t grace_ms,
		     struct command_output *o, char *err, size_t errsize)
{
	int r = command_capture_term(argv, in, inlen, max_out, MAX_STDERR, timeout_ms, grace_ms, o);

	if (r < 0 && r != -ETIME) {
		free(o->out);
		free(o->errout);
		o->out = o->errout = NULL;
	}
	/* A tool missing on this host: infrastructure, not the user's instance. */
	if (r == -ENOENT)
		return errmsg(err, errsize, -ENOPKG,
			      "%s: the incus client is not installed: apt-get install incus-client "
			      "(Debian 12: from bookworm-backports), or set GUESTCHECK_INCUS",
			      x->t.where);
	if (r < 0 && r != -ETIME)
		return errmsg(err, errsize, r, "%s: cannot run %s: %s", x->t.where, x->incus,
			      strerror(-r));
	return r;
}

static int incus_push(struct guest_transport *t, const char *path, const void *data, size_t len,
		      char *err, size_t errsize)
{
	struct incus_transport *x = (struct incus_transport *)t;
	char dest[512];
	const char *argv[MAX_ARGV];
	struct command_output o;
	int r;

	if (incus_push_argv(x->incus, &x->target, path, dest, sizeof(dest), argv, MAX_ARGV) < 0)
		return errmsg(err, errsize, -ENAMETOOLONG, "%s: %s: cannot name it to incus",
			      t->where, path);
	/* A minute, and a second per MiB on top: the agent is 2-3 MiB. */
	r = run_incus(x, argv, data, len, 4096, 60000 + (len >> 20) * 1000, 0, &o, err, errsize);
	if (r == -ETIME)
		r = errmsg(err, errsize, -ETIMEDOUT, "%s: incus file push %s did not finish",
			   t->where, path);
	else if (r == 0)
		r = incus_error(&x->target, false, o.status, o.errout, err, errsize);
	if (r == -EIO)
		errmsg_prefix(err, errsize, r, "pushing %s", path);
	free(o.out);
	free(o.errout);
	return r;
}

static int incus_exec(struct guest_transport *t, const char *const *cmd, uint64_t timeout_ms,
		      size_t max_out, struct guest_exec_result *res, char *err, size_t errsize)
{
	struct incus_transport *x = (struct incus_transport *)t;
	char target[sizeof(x->target.remote) + sizeof(x->target.name) + 1];
	const char *argv[MAX_ARGV];
	struct command_output o;
	int r, rc;

	*res = (struct guest_exec_result){ 0 };
	if (incus_exec_argv(x->incus, &x->target, cmd, target, sizeof(target), argv, MAX_ARGV) < 0)
		return errmsg(err, errsize, -E2BIG, "%s: %s: too many arguments", t->where, cmd[0]);
	r = run_incus(x, argv, NULL, 0, max_out, timeout_ms, TERM_GRACE_MS, &o, err, errsize);
	if (r < 0 && r != -ETIME)
		return r;
	rc = r == -ETIME ? 0 : incus_error(&x->target, true, o.status, o.errout, err, errsize);
	if (rc < 0) {
		free(o.out);
		free(o.errout);
		return rc;
	}
	/* incusd and incus-agent give a process a signal ended 128 + the signal. */
	if (o.status > 128 && o.status <= 128 + 64) {
		res->exitcode = -1;
		res->signal = o.status - 128;
	} else {
		res->exitcode = o.status;
	}
	res->out = o.out ?: strdup("");
	res->outlen = o.outlen;
	res->out_truncated = o.out_cut;
	res->errout = o.errout ?: strdup("");
	res->errlen = o.errlen;
	if (!res->out || !res->errout) {
		guest_exec_result_free(res);
		return -ENOMEM;
	}
	return r;
}

static void incus_close(struct guest_transport *t)
{
	free(t);
}

static const struct guest_transport_ops incus_ops = {
	.push = incus_push,
	.exec = incus_exec,
	.close = incus_close,
};

/* What the instance is (a running VM, or the test suite's container): 0 or -errno with err. */
static int check_instance(struct incus_transport *x, bool allow_container, char *err,
			  size_t errsize)
{
	char path[sizeof(x->target.remote) + sizeof(x->target.name) + 32];
	const char *argv[8];
	struct command_output o;
	struct incus_instance inst;
	char why[256];
	int r;

	if (incus_query_argv(x->incus, &x->target, path, sizeof(path), argv, ARRAY_SIZE(argv)) < 0)
		return -E2BIG;
	r = run_incus(x, argv, NULL, 0, 4u << 20, QUERY_TIMEOUT_MS, 0, &o, err, errsize);
	if (r == -ETIME)
		r = errmsg(err, errsize, -ETIMEDOUT,
			   "%s: `incus query %s` did not answer within %d s: is incusd answering?",
			   x->t.where, path, QUERY_TIMEOUT_MS / 1000);
	else if (r == 0)
		r = incus_error(&x->target, false, o.status, o.errout, err, errsize);
	if (r == 0 && o.out_cut)
		r = errmsg(err, errsize, -EPROTO, "%s: `incus query %s` answered over 4 MiB",
			   x->t.where, path);
	if (r == 0) {
		r = incus_instance_parse(o.out ?: "", o.outlen, &inst, why, sizeof(why));
		if (r < 0)
			errmsg(err, errsize, r, "%s: incus query %s: %s", x->t.where, path, why);
	}
	free(o.out);
	free(o.errout);
	if (r < 0)
		return r;
	r = incus_instance_usable(&inst, &x->target, allow_container, err, errsize);
	if (r < 0)
		return r;
	snprintf(x->t.where, sizeof(x->t.where), "incus %s %s%s%s",
		 inst.type == INCUS_TYPE_VM ? "VM" : "container", x->target.remote,
		 x->target.remote[0] ? ":" : "", x->target.name);
	return 0;
}

int guest_transport_incus(const char *instance, bool allow_container, struct guest_transport **out,
			  char *err, size_t errsize)
{
	struct incus_transport *x;
	struct guest_exec_result res;
	const char *probe[] = { "true", NULL };
	int r;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->t.ops = &incus_ops;
	x->t.via = "incus exec";
	x->incus = getenv("GUESTCHECK_INCUS") ?: "incus";
	r = incus_target_parse(instance, &x->target, err, errsize);
	if (r == 0) {
		snprintf(x->t.where, sizeof(x->t.where), "incus instance %s", instance);
		r = check_instance(x, allow_container, err, errsize);
	}
	/* It answers exec (a VM: its incus-agent runs) before anything is copied. */
	if (r == 0) {
		r = incus_exec(&x->t, probe, PROBE_TIMEOUT_MS, 4096, &res, err, errsize);
		if (r == -ETIME)
			r = errmsg(err, errsize, -ETIMEDOUT,
				   "%s: `incus exec -- true` did not end within %d s: is the VM's "
				   "incus-agent answering?",
				   x->t.where, PROBE_TIMEOUT_MS / 1000);
		else if (r == 0 && res.exitcode != 0)
			r = errmsg(err, errsize, -EPROTO,
				   "%s: `incus exec -- true` exited %d: the guest has no working "
				   "`true` on its PATH",
				   x->t.where, res.exitcode);
		guest_exec_result_free(&res);
	}
	if (r < 0) {
		incus_close(&x->t);
		return r;
	}
	*out = &x->t;
	return 0;
}
