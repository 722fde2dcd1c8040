/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `guestcheck check`: the agent copied into a running guest's tmpfs through
 * a guest transport, run there, its KTAP judged and reported as `run` does,
 * and its folder removed (and seen to be gone).
 */
#ifndef GUESTCHECK_CHECK_RUN_H
#define GUESTCHECK_CHECK_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHECK_MAX_ONLY 32

struct check_options {
	/* Exactly one of these names the guest. */
	const char *qga_socket;
	const char *libvirt_domain;
	const char *libvirt_uri; /* NULL: virsh's default */
	const char *incus_instance;
	bool incus_allow_container; /* the test suite's switch: a container too (not a VM) */

	const char *scenario_path;  /* --config; NULL: no devices, the agent's own checks */
	char results_dir[PATH_MAX]; /* "": guestcheck-results/NAME */
	const char *only[CHECK_MAX_ONLY];
	size_t nonly;
	const char *peer;    /* usb-net probes go to this ADDR:PORT (`guestcheck peer`), or NULL */
	uint64_t timeout_ms; /* the agent's run; 0: the scenario's run_timeout */
	uint64_t connect_ms; /* the guest agent's first answer (CHECK_CONNECT_MS) */
	bool quiet;
};

/* How long a guest agent that is there takes to answer, at most (--connect-timeout). */
#define CHECK_CONNECT_MS 10000

/* The command's exit status: 0 passed, 1 a check failed, 2 usage, 3 infrastructure. */
int check_run(const struct check_options *o);

#endif
