/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One check in a forked child, in its own process group (so its timeout
 * kills whatever it started too). Its output goes to a memfd the runner
 * copies into the stream when the check's turn comes, or, live, straight to
 * the stream.
 */
#ifndef GUESTCHECK_AGENT_CHECK_PROC_H
#define GUESTCHECK_AGENT_CHECK_PROC_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "checklist.h"
#include "ktap_out.h"

/* Diagnostics a buffered check may put in the stream; the rest is cut. */
#define CHECK_OUTPUT_MAX (1024 * 1024)

struct check_shared;

struct check_proc {
	const struct agent_check *check;
	pid_t pid;		     /* > 0 while running */
	int buf;		     /* the memfd with its output, or -1 (live) */
	struct check_shared *shared; /* what the child leaves for the runner */
	uint64_t started_ns, ended_ns, deadline_ns;
	bool timed_out;
	struct check_outcome outcome; /* once ended */
};

/*
 * Fork the check. live_fd >= 0: its output goes there; else to a new memfd.
 * The child runs with child_mask as its signal mask. 0, or -errno (the
 * outcome then says so and the check counts as ended).
 */
int check_proc_start(struct check_proc *p, const struct agent_check *check,
		     const struct check_env *env, int live_fd, const sigset_t *child_mask);

/* The child was reaped with this wait status. */
void check_proc_reaped(struct check_proc *p, int status);

/*
 * Past its deadline at `now`: kill its process group and end it as timed
 * out, without waiting (a child stuck in the kernel may not die at once; it
 * is reaped whenever it does). Returns whether it was ended.
 */
bool check_proc_expire(struct check_proc *p, uint64_t now_ns);

/* Copy a buffered check's output to fd, ending on a newline. */
void check_proc_copy_output(const struct check_proc *p, int fd);

/* Free the memfd and the shared page. */
void check_proc_release(struct check_proc *p);

#endif
