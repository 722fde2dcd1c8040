/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's processes end with it. Run as a plain command (guestcheck
 * check over QGA or `incus exec`), the agent is what the host kills at its
 * time limit (kill -KILL PID): its check runner and the checks, forked below
 * it, must not live on in the user's guest (1 Dec: the runner, waiting for a
 * device, outlived a killed agent). As the guest's init the parent never dies.
 */
#ifndef GUESTCHECK_AGENT_LIFETIME_H
#define GUESTCHECK_AGENT_LIFETIME_H

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/* In a child just forked from `parent`: SIGKILL when it goes, or now if already gone. */
static inline void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
}

#endif
