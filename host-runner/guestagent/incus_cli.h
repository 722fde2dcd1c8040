/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the Incus transport (incus_transport.c) says to the `incus` client and
 * reads back, kept apart from running it so the unit tests can hold it: the
 * instance's name, the command lines, the instance's record
 * (`incus query /1.0/instances/NAME`) and the client's own errors.
 */
#ifndef GUESTCHECK_INCUS_CLI_H
#define GUESTCHECK_INCUS_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Incus's own limit on an instance name. */
#define INCUS_NAME_MAX 63

struct incus_target {
	char remote[64]; /* "": the client's default remote */
	char name[INCUS_NAME_MAX + 1];
};

/*
 * "NAME" or "REMOTE:NAME" as `incus` takes it. -EINVAL (err says what Incus
 * accepts) for anything else: the name travels into command lines.
 */
int incus_target_parse(const char *arg, struct incus_target *t, char *err, size_t errsize);

enum incus_type { INCUS_TYPE_OTHER, INCUS_TYPE_CONTAINER, INCUS_TYPE_VM };

struct incus_instance {
	enum incus_type type;
	char type_name[32]; /* as Incus said it ("virtual-machine"), sanitised */
	char status[32];    /* "Running", "Stopped", "Frozen", ... sanitised */
	int status_code;    /* 103 running, 102 stopped, 110 frozen; -1 when absent */
};

/*
 * The reply of `incus query /1.0/instances/NAME` (the instance object, not
 * the envelope). -EPROTO (err says what is missing) when it is not one.
 */
int incus_instance_parse(const char *json, size_t len, struct incus_instance *inst, char *err,
			 size_t errsize);

/*
 * 0 when `check` may run in it: a running VM. -EOPNOTSUPP for a container
 * (unless allow_container: the test suite's switch) or another type,
 * -ENOTCONN when it is not running; err names the instance and the fix.
 */
int incus_instance_usable(const struct incus_instance *inst, const struct incus_target *t,
			  bool allow_container, char *err, size_t errsize);

/* The command lines, NULL-terminated in argv[max]; the count, or -E2BIG. */
int incus_query_argv(const char *incus, const struct incus_target *t, char *path, size_t pathsize,
		     const char **argv, size_t max);
/* `incus exec` of cmd (target holds "[REMOTE:]NAME"). */
int incus_exec_argv(const char *incus, const struct incus_target *t, const char *const *cmd,
		    char *target, size_t targetsize, const char **argv, size_t max);
/* `incus file push` from stdin into guest_path (dest holds "[REMOTE:]NAME/PATH"). */
int incus_push_argv(const char *incus, const struct incus_target *t, const char *guest_path,
		    char *dest, size_t destsize, const char **argv, size_t max);

/*
 * The client's own failure, read from its exit status and the last line of
 * its stderr ("Error: ..."). 0 when there is none: for exec, the status is
 * then the guest command's own. -ENOENT no such instance or remote,
 * -ECONNREFUSED incusd not running or unreachable, -ENOTCONN the instance
 * (or a VM's incus-agent) not running, -EACCES not allowed on the socket,
 * -EREMOTEIO the guest could not start the command (exit 126/127, err ends
 * in "(Permission denied)" or "(No such file or directory)"), -EIO another
 * failure. err names the instance, what Incus said and the fix.
 */
int incus_error(const struct incus_target *t, bool exec, int status, const char *errtext, char *err,
		size_t errsize);

#endif
