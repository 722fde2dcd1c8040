/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whether a guest's vCPUs run at all, judged within a fraction of a second
 * rather than by the agent's hello: what `--accel auto` needs on hosts where
 * KVM guests hang. A running guest changes its registers between two looks
 * a quarter of a second apart, or writes to its console or the agent's
 * port; a guest whose vCPUs never enter guest code (a KVM that hangs,
 * QEMU's -S) shows the same register dump every time, and one that KVM
 * could not run shows QEMU's run state "internal-error".
 *
 *   vcpu_look()         one look over QMP: run state and CPU 0's registers
 *   vcpu_watch_start()  from QEMU's start, with the time it has
 *   vcpu_watch_judge()  each look (or its failure) and the guest's bytes in,
 *                       a verdict out; pure, so a unit test drives it
 */
#ifndef GUESTCHECK_VCPU_PROGRESS_H
#define GUESTCHECK_VCPU_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qmp;

/* Between two looks; one look waits at most VCPU_LOOK_TIMEOUT_MS for QEMU. */
#define VCPU_LOOK_EVERY_MS   250
#define VCPU_LOOK_TIMEOUT_MS 500
/*
 * The vCPUs start when QEMU has built the machine, about when its monitor
 * first answers (0.3-1 s after exec here, more on a loaded host): from the
 * first look they have this long to move, if the watch's own time is not
 * up first. A working guest moves between the first two looks.
 */
#define VCPU_MOVE_WITHIN_MS 1000

struct vcpu_look {
	char status[32];    /* query-status's "status": "running", "prelaunch", ... */
	uint64_t dump_hash; /* FNV-1a of `info registers` (CPU 0): equal dumps, equal hashes */
	char pc[48];	    /* "EIP=0000fff0", "RIP=...", "PC=...", as the dump says it; or "" */
};

/*
 * One look: query-status, then `info registers` through
 * human-monitor-command. 0, or -errno (qmp_execute()'s) with err saying
 * which command did not answer.
 */
int vcpu_look(struct qmp *q, int timeout_ms, struct vcpu_look *out, char *err, size_t errsize);

/* The program counter as the dump names it ("RIP=ffffffff81000000"), or "". Pure. */
void vcpu_pc_of(const char *dump, char *buf, size_t size);

/* A run state in which the vCPUs will not run again by themselves. Pure. */
bool vcpu_status_dead(const char *status);

struct vcpu_watch {
	double start, deadline; /* seconds (clock.h's now_s()) */
	double next;		/* when the next look is due */
	unsigned int looks;	/* that answered */
	struct vcpu_look first, last;
	char look_error[160]; /* the last look's failure, or "" */
	bool seen;	      /* the vCPUs ran: why says how */
	bool failed;	      /* no sign in time, or a dead run state: why says which */
	double seen_after;    /* seconds from start to the sign */
	char why[400];
};

/* The watch from now (QEMU's start), for at most within_ms. */
void vcpu_watch_start(struct vcpu_watch *w, double now, uint64_t within_ms);

/* Is a look due? */
bool vcpu_watch_look_due(const struct vcpu_watch *w, double now);

/*
 * Take in what is known now: look (NULL when none was taken or it failed:
 * look_err then says why, or NULL), and whether the guest has written to
 * its console or the agent's port. Returns 1 once the vCPUs ran, -EHOSTDOWN
 * once they cannot or the time is up without a sign (w->why says which
 * sign was missing), 0 while it is too early to say. Pure.
 */
int vcpu_watch_judge(struct vcpu_watch *w, double now, const struct vcpu_look *look,
		     const char *look_err, bool guest_wrote);

#endif
