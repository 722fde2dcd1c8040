/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a guest's vCPUs are, from one `info registers -a`: what a guest that
 * never said hello leaves to go on when its console is silent. Each vCPU is
 * in the kernel or in user space (x86's CPL, arm64's exception level),
 * halted or running (x86's HLT flag: a halted vCPU waits for an interrupt),
 * at a program counter. All halted: the guest is idle, waiting for a
 * device, a timer or a process that sleeps; one running in user space: init
 * or the agent is busy; running in the kernel: a loop, a spinning lock, a
 * device poll.
 *
 *   vcpu_states_parse()     the dump into one entry per vCPU; pure
 *   vcpu_states_describe()  one line for a person; pure
 */
#ifndef GUESTCHECK_VCPU_STATE_H
#define GUESTCHECK_VCPU_STATE_H

#include <stddef.h>

enum vcpu_mode {
	VCPU_MODE_UNKNOWN,
	VCPU_MODE_KERNEL, /* x86 CPL 0, arm64 EL1 or above */
	VCPU_MODE_USER,	  /* x86 CPL 3, arm64 EL0 */
};

enum vcpu_halted {
	VCPU_HALTED_UNKNOWN, /* the dump does not say (arm64 shows no WFI state) */
	VCPU_HALTED_NO,
	VCPU_HALTED_YES,
};

struct vcpu_state {
	unsigned int cpu; /* the dump's CPU#n */
	char pc[48];	  /* as vcpu_pc_of() gives it: "RIP=ffffffff81bf1a6b", or "" */
	enum vcpu_mode mode;
	enum vcpu_halted halted;
};

/*
 * The dump of `info registers -a` (each vCPU's block starts with a line
 * "CPU#n") into at most max entries; a dump without such lines is one vCPU,
 * numbered 0. Returns the number filled. Pure.
 */
size_t vcpu_states_parse(const char *dump, struct vcpu_state *out, size_t max);

/*
 * One line: the vCPUs in runs of the same state ("vCPU 0 running in the
 * kernel at RIP=...; vCPUs 1-3 halted in the kernel"), then what that
 * state means for a guest that is late. Pure.
 */
void vcpu_states_describe(const struct vcpu_state *v, size_t n, char *buf, size_t size);

#endif
