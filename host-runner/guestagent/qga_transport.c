// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest transport over the QEMU guest agent: guest-file-* and guest-exec(-status). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"
#include "macro.h"

#include "guestagent/guest_transport.h"
#include "guestagent/qga_channel.h"
#include "guestagent/qga_wire.h"

#define CALL_TIMEOUT_MS	 10000
#define WRITE_TIMEOUT_MS 30000
/* Raw bytes per guest-file-write: its base64 (64 KiB) fits one virsh argument (128 KiB). */
#define WRITE_CHUNK (48u << 10)
#define POLL_MIN_MS 50
#define POLL_MAX_MS 500

struct qga_transport {
	struct guest_transport t;
	struct qga_channel *ch;
};

void guest_exec_result_free(struct guest_exec_result *res)
{
	free(res->out);
	free(res->errout);
	*res = (struct guest_exec_result){ 0 };
}

/* One command: 0 with *ret (put it), or -errno with err naming the command. */
static int call(struct qga_transport *q, const char *command, struct json_object *args,
		unsigned int timeout_ms, struct json_object **ret, char *err, size_t errsize)
{
	_cleanup_free_ char *req = qga_request(command, args), *reply = NULL;
	char why[512];
	size_t len;
	int r;

	*ret = NULL;
	json_object_put(args);
	if (!req)
		return -ENOMEM;
	r = q->ch->ops->call(q->ch, req, &reply, &len, timeout_ms, why, sizeof(why));
	/* The channel's message names the guest; a timeout also names the command. */
	if (r == -ETIMEDOUT)
		return errmsg(err, errsize, r, "%s (%s)", why, command);
	if (r < 0)
		return errmsg(err, errsize, r, "%s", why);
	r = qga_reply_parse(reply, len, ret, why, sizeof(why));
	if (r < 0)
		return errmsg(err, errsize, r, "%s: %s: %s", q->t.where, command, why);
	return 0;
}

static int64_t int_of(struct json_object *o, const char *key, int64_t dflt)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	return dflt;
}

static bool bool_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static int file_write_all(struct qga_transport *q, int64_t handle, const char *path,
			  const char *data, size_t len, char *err, size_t errsize)
{
	for (size_t off = 0; off < len || (len == 0 && off == 0);) {
		size_t n = len - off < WRITE_CHUNK ? len - off : WRITE_CHUNK;
		_cleanup_free_ char *b64 = qga_base64_encode(data + off, n);
		struct json_object *args = json_object_new_object(), *ret;
		int64_t count;
		int r;

		if (!b64 || !args) {
			json_object_put(args);
			return -ENOMEM;
		}
		if (!n)
			return 0;
		json_object_object_add(args, "handle", json_object_new_int64(handle));
		json_object_object_add(args, "buf-b64", json_object_new_string(b64));
		r = call(q, "guest-file-write", args, WRITE_TIMEOUT_MS, &ret, err, errsize);
		if (r < 0)
			return r;
		count = int_of(ret, "count", -1);
		json_object_put(ret);
		if (count <= 0 || (size_t)count > n)
			return errmsg(
				err, errsize, -EIO,
				"%s: guest-file-write %s: wrote %lld of %zu bytes: is the guest's "
				"tmpfs full?",
				q->t.where, path, (long long)count, n);
		off += count;
	}
	return 0;
}

static int qga_push(struct guest_transport *t, const char *path, const void *data, size_t len,
		    char *err, size_t errsize)
{
	struct qga_transport *q = (struct qga_transport *)t;
	struct json_object *args = json_object_new_object(), *ret;
	int64_t handle;
	char ignored[256];
	int r, rc;

	if (!args)
		return -ENOMEM;
	json_object_object_add(args, "path", json_object_new_string(path));
	json_object_object_add(args, "mode", json_object_new_string("w"));
	r = call(q, "guest-file-open", args, CALL_TIMEOUT_MS, &ret, err, errsize);
	if (r < 0)
		return r;
	handle = ret && json_object_is_type(ret, json_type_int) ? json_object_get_int64(ret) : -1;
	json_object_put(ret);
	if (handle < 0)
		return errmsg(err, errsize, -EPROTO,
			      "%s: guest-file-open %s: no handle in the reply", t->where, path);
	r = file_write_all(q, handle, path, data, len, err, errsize);
	args = json_object_new_object();
	if (!args)
		return -ENOMEM;
	json_object_object_add(args, "handle", json_object_new_int64(handle));
	rc = call(q, "guest-file-close", args, CALL_TIMEOUT_MS, &ret, r < 0 ? ignored : err,
		  r < 0 ? sizeof(ignored) : errsize);
	json_object_put(ret);
	return r < 0 ? r : rc;
}

/* out-data/err-data: base64 from the guest, decoded and bounded. */
static int take_data(struct json_object *st, const char *key, size_t max, char **out, size_t *len,
		     bool *cut)
{
	struct json_object *v;
	const char *s;
	int r;

	*out = NULL;
	*len = 0;
	if (!json_object_object_get_ex(st, key, &v) || !(s = json_object_get_string(v)))
		return (*out = strdup("")) ? 0 : -ENOMEM;
	r = qga_base64_decode(s, strlen(s), max, out, len);
	if (r == -EFBIG) {
		/* Keep what fits: decode the first max bytes' worth. */
		size_t keep = max / 3 * 4;

		if (cut)
			*cut = true;
		r = qga_base64_decode(s, keep, max, out, len);
	}
	return r;
}

static void kill_guest_process(struct qga_transport *q, int64_t pid)
{
	char num[24], ignored[256];
	const char *argv[] = { "kill", "-KILL", num, NULL };
	struct json_object *args = json_object_new_object(), *arg = json_object_new_array(), *ret;

	snprintf(num, sizeof(num), "%lld", (long long)pid);
	if (!args || !arg) {
		json_object_put(args);
		json_object_put(arg);
		return;
	}
	json_object_object_add(args, "path", json_object_new_string(argv[0]));
	for (size_t i = 1; argv[i]; i++)
		json_object_array_add(arg, json_object_new_string(argv[i]));
	json_object_object_add(args, "arg", arg);
	if (call(q, "guest-exec", args, CALL_TIMEOUT_MS, &ret, ignored, sizeof(ignored)) == 0)
		json_object_put(ret);
}

static int qga_exec(struct guest_transport *t, const char *const *argv, uint64_t timeout_ms,
		    size_t max_out, struct guest_exec_result *res, char *err, size_t errsize)
{
	struct qga_transport *q = (struct qga_transport *)t;
	struct json_object *args = json_object_new_object(), *arg = json_object_new_array(), *ret;
	uint64_t deadline = now_ms() + timeout_ms, wait = POLL_MIN_MS, kill_deadline = 0;
	int64_t pid;
	int r;

	*res = (struct guest_exec_result){ 0 };
	if (!args || !arg) {
		json_object_put(args);
		json_object_put(arg);
		return -ENOMEM;
	}
	json_object_object_add(args, "path", json_object_new_string(argv[0]));
	for (size_t i = 1; argv[i]; i++)
		json_object_array_add(arg, json_object_new_string(argv[i]));
	json_object_object_add(args, "arg", arg);
	json_object_object_add(args, "capture-output", json_object_new_boolean(true));
	r = call(q, "guest-exec", args, CALL_TIMEOUT_MS, &ret, err, errsize);
	if (r < 0)
		return r;
	pid = int_of(ret, "pid", -1);
	json_object_put(ret);
	if (pid <= 0)
		return errmsg(err, errsize, -EPROTO, "%s: guest-exec %s: no pid in the reply",
			      t->where, argv[0]);
	for (;;) {
		struct json_object *st;

		args = json_object_new_object();
		if (!args)
			return -ENOMEM;
		json_object_object_add(args, "pid", json_object_new_int64(pid));
		r = call(q, "guest-exec-status", args, CALL_TIMEOUT_MS, &st, err, errsize);
		if (r < 0)
			return r;
		if (bool_of(st, "exited")) {
			res->exitcode = (int)int_of(st, "exitcode", -1);
			res->signal = (int)int_of(st, "signal", 0);
			res->out_truncated = bool_of(st, "out-truncated");
			r = take_data(st, "out-data", max_out, &res->out, &res->outlen,
				      &res->out_truncated);
			if (!r)
				r = take_data(st, "err-data", 64 << 10, &res->errout, &res->errlen,
					      NULL);
			json_object_put(st);
			if (r < 0) {
				guest_exec_result_free(res);
				return errmsg(err, errsize, r == -ENOMEM ? r : -EPROTO,
					      "%s: guest-exec-status: its output is not base64",
					      t->where);
			}
			return kill_deadline ? -ETIME : 0;
		}
		json_object_put(st);
		if (!kill_deadline && now_ms() >= deadline) {
			/* Killed, then reaped: guest-exec-status forgets it once it said exited. */
			kill_guest_process(q, pid);
			kill_deadline = now_ms() + CALL_TIMEOUT_MS;
		} else if (kill_deadline && now_ms() >= kill_deadline) {
			return errmsg(
				err, errsize, -ETIME,
				"%s: guest process %lld still runs %llu s after it was killed",
				t->where, (long long)pid,
				(unsigned long long)CALL_TIMEOUT_MS / 1000);
		}
		usleep(wait * 1000);
		wait = wait * 2 > POLL_MAX_MS ? POLL_MAX_MS : wait * 2;
	}
}

static void qga_close(struct guest_transport *t)
{
	struct qga_transport *q = (struct qga_transport *)t;

	qga_channel_close(q->ch);
	free(q);
}

static const struct guest_transport_ops qga_ops = {
	.push = qga_push,
	.exec = qga_exec,
	.close = qga_close,
};

/* What `check` uses, and since which qemu-ga. */
static const char *const needed[] = { "guest-file-open", "guest-file-write", "guest-file-close",
				      "guest-exec", "guest-exec-status" };

static int check_commands(struct qga_transport *q, struct json_object *info, char *err,
			  size_t errsize)
{
	struct json_object *list, *v;

	if (json_object_object_get_ex(info, "version", &v) && json_object_get_string(v))
		snprintf(q->t.agent_version, sizeof(q->t.agent_version), "%.40s",
			 json_object_get_string(v));
	if (!json_object_object_get_ex(info, "supported_commands", &list) ||
	    !json_object_is_type(list, json_type_array))
		return errmsg(err, errsize, -EPROTO,
			      "%s: guest-info: no supported_commands in the reply", q->t.where);
	for (size_t i = 0; i < ARRAY_SIZE(needed); i++) {
		bool found = false, enabled = false;

		for (size_t k = 0; k < json_object_array_length(list) && !found; k++) {
			struct json_object *c = json_object_array_get_idx(list, k), *name;

			if (c && json_object_object_get_ex(c, "name", &name) &&
			    json_object_get_string(name) &&
			    !strcmp(json_object_get_string(name), needed[i])) {
				found = true;
				enabled = bool_of(c, "enabled");
			}
		}
		if (!found)
			return errmsg(err, errsize, -EPERM,
				      "%s: the guest agent (qemu-ga %s) has no %s: install qemu-ga "
				      "2.5 or newer in the guest",
				      q->t.where, q->t.agent_version, needed[i]);
		if (!enabled)
			return errmsg(err, errsize, -EPERM,
				      "%s: the guest agent refuses %s (disabled): remove it from "
				      "qemu-ga's --block-rpcs (-b) or add it to --allow-rpcs, in "
				      "/etc/qemu/qemu-ga.conf or the service's command line, and "
				      "restart qemu-ga",
				      q->t.where, needed[i]);
	}
	return 0;
}

int guest_transport_qga(struct qga_channel *ch, struct guest_transport **out, char *err,
			size_t errsize)
{
	struct qga_transport *q = calloc(1, sizeof(*q));
	struct json_object *info;
	int r;

	*out = NULL;
	if (!q) {
		qga_channel_close(ch);
		return -ENOMEM;
	}
	q->t.ops = &qga_ops;
	q->t.via = "guest agent qemu-ga";
	q->ch = ch;
	snprintf(q->t.where, sizeof(q->t.where), "%s", ch->where);
	r = call(q, "guest-info", NULL, CALL_TIMEOUT_MS, &info, err, errsize);
	if (!r) {
		r = check_commands(q, info, err, errsize);
		json_object_put(info);
	}
	if (r < 0) {
		qga_close(&q->t);
		return r;
	}
	*out = &q->t;
	return 0;
}
