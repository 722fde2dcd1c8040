// SPDX-License-Identifier: GPL-2.0-or-later
#include "guestagent/incus_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "errmsg.h"
#include "macro.h"

#include "session/ktap_parse.h"

/* A reply bigger than this is not an instance record. */
#define MAX_RECORD (4u << 20)

static bool name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '-');
}

int incus_target_parse(const char *arg, struct incus_target *t, char *err, size_t errsize)
{
	const char *colon = strchr(arg, ':'), *name = colon ? colon + 1 : arg;
	size_t rlen = colon ? (size_t)(colon - arg) : 0, nlen = strlen(name);
	bool ok = nlen && nlen <= INCUS_NAME_MAX && name[nlen - 1] != '-' &&
		  rlen < sizeof(t->remote) && (!colon || rlen);

	*t = (struct incus_target){ 0 };
	for (size_t i = 0; ok && i < nlen; i++)
		ok = name_char(name[i], i == 0);
	/* A remote's name is the user's own: anything but what would split the command line. */
	for (size_t i = 0; ok && i < rlen; i++)
		ok = arg[i] > ' ' && arg[i] < 0x7f && arg[i] != '/' && !(i == 0 && arg[i] == '-');
	if (!ok)
		return errmsg(
			err, errsize, -EINVAL,
			"--incus '%.80s': name an Incus instance as NAME or REMOTE:NAME (1-63 "
			"letters, digits and dashes, a letter first): see `incus list`",
			arg);
	memcpy(t->remote, arg, rlen);
	memcpy(t->name, name, nlen);
	return 0;
}

static void copy_string(struct json_object *o, const char *key, char *dst, size_t size)
{
	struct json_object *v;

	dst[0] = '\0';
	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)) {
		snprintf(dst, size, "%s", json_object_get_string(v));
		ktap_sanitize(dst, strlen(dst));
	}
}

int incus_instance_parse(const char *json, size_t len, struct incus_instance *inst, char *err,
			 size_t errsize)
{
	struct json_tokener *tok;
	struct json_object *o, *v;

	*inst = (struct incus_instance){ .status_code = -1 };
	if (len > MAX_RECORD)
		return errmsg(err, errsize, -EPROTO, "the instance record is over %u MiB",
			      MAX_RECORD >> 20);
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, json, (int)len);
	json_tokener_free(tok);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return errmsg(err, errsize, -EPROTO, "the instance record is not a JSON object");
	}
	copy_string(o, "type", inst->type_name, sizeof(inst->type_name));
	copy_string(o, "status", inst->status, sizeof(inst->status));
	if (json_object_object_get_ex(o, "status_code", &v) &&
	    json_object_is_type(v, json_type_int))
		inst->status_code = json_object_get_int(v);
	json_object_put(o);
	if (!inst->type_name[0] || (!inst->status[0] && inst->status_code < 0))
		return errmsg(err, errsize, -EPROTO,
			      "the instance record has no %s: is this Incus's /1.0/instances/NAME?",
			      inst->type_name[0] ? "status" : "type");
	if (!strcmp(inst->type_name, "virtual-machine"))
		inst->type = INCUS_TYPE_VM;
	else if (!strcmp(inst->type_name, "container"))
		inst->type = INCUS_TYPE_CONTAINER;
	return 0;
}

/* Incus's status codes (shared/api/status_code.go) we tell apart. */
#define INCUS_RUNNING 103
#define INCUS_STOPPED 102
#define INCUS_FROZEN  110

int incus_instance_usable(const struct incus_instance *inst, const struct incus_target *t,
			  bool allow_container, char *err, size_t errsize)
{
	const char *sep = t->remote[0] ? ":" : "";
	bool running = inst->status_code >= 0 ? inst->status_code == INCUS_RUNNING
					      : !strcmp(inst->status, "Running");

	if (inst->type == INCUS_TYPE_CONTAINER && !allow_container)
		return errmsg(err, errsize, -EOPNOTSUPP,
			      "incus instance %s is a container, not a virtual machine: the checks "
			      "look at a VM's own kernel and devices, and a container has the "
			      "host's: give --incus a VM (incus launch IMAGE NAME --vm), or run "
			      "`guestcheck run` for the host's view",
			      t->name);
	if (inst->type == INCUS_TYPE_OTHER)
		return errmsg(
			err, errsize, -EOPNOTSUPP,
			"incus instance %s is of type '%s', not virtual-machine: give --incus "
			"a VM (incus launch IMAGE NAME --vm)",
			t->name, inst->type_name);
	if (running)
		return 0;
	if (inst->status_code == INCUS_FROZEN || !strcmp(inst->status, "Frozen"))
		return errmsg(err, errsize, -ENOTCONN,
			      "incus instance %s is frozen: resume it (incus resume %s%s%s)",
			      t->name, t->remote, sep, t->name);
	if (inst->status_code == INCUS_STOPPED || !strcmp(inst->status, "Stopped"))
		return errmsg(err, errsize, -ENOTCONN,
			      "incus instance %s is stopped: start it (incus start %s%s%s) and "
			      "run the check once its agent answers (incus exec %s%s%s -- true)",
			      t->name, t->remote, sep, t->name, t->remote, sep, t->name);
	return errmsg(err, errsize, -ENOTCONN,
		      "incus instance %s is %s (status %d), not running: wait until `incus list "
		      "%s%s%s` says RUNNING",
		      t->name, inst->status[0] ? inst->status : "in an unknown state",
		      inst->status_code, t->remote, sep, t->name);
}

static int target_of(const struct incus_target *t, const char *tail, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s%s%s", t->remote, t->remote[0] ? ":" : "", t->name, tail);

	return n < 0 || (size_t)n >= size ? -E2BIG : 0;
}

int incus_query_argv(const char *incus, const struct incus_target *t, char *path, size_t pathsize,
		     const char **argv, size_t max)
{
	int n = snprintf(path, pathsize, "%s%s/1.0/instances/%s", t->remote,
			 t->remote[0] ? ":" : "", t->name);

	if (n < 0 || (size_t)n >= pathsize || max < 4)
		return -E2BIG;
	argv[0] = incus;
	argv[1] = "query";
	argv[2] = path;
	argv[3] = NULL;
	return 3;
}

int incus_exec_argv(const char *incus, const struct incus_target *t, const char *const *cmd,
		    char *target, size_t targetsize, const char **argv, size_t max)
{
	/* Non-interactive with stdin closed: the output is the command's own bytes, no terminal. */
	static const char *const head[] = { "exec", "--force-noninteractive", "--disable-stdin",
					    "--cwd", "/" };
	size_t n = 0;

	if (target_of(t, "", target, targetsize) < 0 || max < 1 + ARRAY_SIZE(head) + 3)
		return -E2BIG;
	argv[n++] = incus;
	for (size_t i = 0; i < ARRAY_SIZE(head); i++)
		argv[n++] = head[i];
	argv[n++] = target;
	argv[n++] = "--";
	for (size_t i = 0; cmd[i]; i++) {
		if (n + 1 >= max)
			return -E2BIG;
		argv[n++] = cmd[i];
	}
	argv[n] = NULL;
	return (int)n;
}

int incus_push_argv(const char *incus, const struct incus_target *t, const char *guest_path,
		    char *dest, size_t destsize, const char **argv, size_t max)
{
	/* Owned by root, private until the caller's chmod; "-": the bytes come on stdin. */
	static const char *const head[] = { "file",  "push", "--quiet", "--mode", "0600",
					    "--uid", "0",    "--gid",	"0",	  "-" };
	size_t n = 0;

	if (guest_path[0] != '/' || target_of(t, guest_path, dest, destsize) < 0 ||
	    max < 1 + ARRAY_SIZE(head) + 2)
		return -E2BIG;
	argv[n++] = incus;
	for (size_t i = 0; i < ARRAY_SIZE(head); i++)
		argv[n++] = head[i];
	argv[n++] = dest;
	argv[n] = NULL;
	return (int)n;
}

/* What the client prints, what it means, and what to do. */
static const struct {
	const char *needle;
	int code;
	const char *fix;
	bool then_name; /* the fix ends with the instance's name */
} incus_errors[] = {
	{ "Instance not found", -ENOENT, "no such instance: see `incus list`", false },
	{ "doesn't exist", -ENOENT, "see `incus remote list` and `incus list`", false },
	{ "doesn't appear to be started", -ECONNREFUSED,
	  "incusd is not running: start it (systemctl start incus), or set INCUS_DIR to the "
	  "folder of the one that runs",
	  false },
	{ "connection refused", -ECONNREFUSED,
	  "Incus does not answer there: start incusd, or check `incus remote list`", false },
	{ "permission denied", -EACCES,
	  "not allowed on Incus's socket: run as root or as a member of the incus-admin group",
	  false },
	{ "VM agent isn't currently running", -ENOTCONN,
	  "the VM's incus-agent does not answer: Incus's own images start it at boot; in your "
	  "own image install it (Debian: incus-agent) and enable its service, or reach the "
	  "VM's QEMU guest agent with --qga",
	  false },
	{ "Instance is not running", -ENOTCONN, "start it: incus start", true },
	{ "Instance is frozen", -ENOTCONN, "resume it: incus resume", true },
};

/* The last non-empty line of s, into buf; true when it is the client's "Error: ...". */
static bool error_line(const char *s, char *buf, size_t size)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	snprintf(buf, size, "%.*s", (int)(end - start), start);
	ktap_sanitize(buf, strlen(buf));
	return !strncmp(buf, "Error: ", 7);
}

int incus_error(const struct incus_target *t, bool exec, int status, const char *errtext, char *err,
		size_t errsize)
{
	char line[768], target[sizeof(t->remote) + sizeof(t->name) + 1];
	const char *what;
	bool is_error;

	if (status == 0)
		return 0;
	is_error = error_line(errtext ?: "", line, sizeof(line));
	what = is_error ? line + 7 : line;
	/* The guest could not start it: incusd and incus-agent say 127 or 126. */
	if (exec && is_error && (status == 126 || status == 127))
		return errmsg(err, errsize, -EREMOTEIO,
			      "incus instance %s: the guest could not start the command: %s (%s)",
			      t->name, what,
			      status == 126 ? "Permission denied" : "No such file or directory");
	/*
	 * The client fails with 1 and "Error: ...", which a guest command could
	 * also do: for exec only Incus's own words count.
	 */
	if (is_error && status == 1) {
		for (size_t i = 0; i < ARRAY_SIZE(incus_errors); i++)
			if (strstr(what, incus_errors[i].needle)) {
				target_of(t, "", target, sizeof(target));
				return errmsg(err, errsize, incus_errors[i].code,
					      "incus instance %s: %s: %s%s%s", t->name, what,
					      incus_errors[i].fix,
					      incus_errors[i].then_name ? " " : "",
					      incus_errors[i].then_name ? target : "");
			}
	}
	if (exec)
		return 0;
	return errmsg(err, errsize, -EIO, "incus instance %s: incus failed (exit %d): %s", t->name,
		      status, what[0] ? what : "(no message)");
}
