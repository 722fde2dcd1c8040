/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Faultable access to a controller's registers. Every access runs in a
 * forked child that maps the window and streams what it read through a
 * pipe: an access to MMIO nothing answers (SIGBUS on Arm, or a hang) kills
 * or stalls the child, never the agent, which may be PID 1. The parent
 * learns which register faulted from how far the stream got.
 */
#ifndef GUESTCHECK_SDHCI_MMIO_H
#define GUESTCHECK_SDHCI_MMIO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A register window in a mappable file. */
struct mmio_window {
	char path[PATH_MAX]; /* sysroot-prefixed: ".../resource0" or "/dev/mem" */
	uint64_t offset;     /* of the window in the file: 0, or the physical base */
};

struct mmio_fault {
	int signal;	  /* the signal that killed the access (SIGBUS), 0 if none */
	uint16_t offset;  /* the register being accessed when it faulted or hung */
	const char *step; /* "open", "mmap", "read", "write": where it stopped */
};

#define MMIO_TIMEOUT_MS 2000

/*
 * Read the aligned dwords at offsets[0..n) into values. *nread says how many
 * arrived. Returns 0; -EFAULT when an access faulted (fault->signal and
 * ->offset say which); -ETIMEDOUT when an access hung; -errno from open or
 * mmap (-EPERM/-EINVAL: the kernel refused the mapping, e.g.
 * CONFIG_IO_STRICT_DEVMEM with a driver holding the region).
 */
int mmio_read_dwords(const struct mmio_window *w, const uint16_t *offsets, size_t n,
		     uint32_t *values, size_t *nread, struct mmio_fault *fault);

struct mmio_clock_test {
	uint16_t before; /* clock control as found, written back afterwards */
	uint16_t after;	 /* clock control at the end of the wait */
	bool stable;	 /* "internal clock stable" came up */
	uint32_t waited_us;
};

/*
 * The kernel's first step with a controller (sdhci_enable_clk()): set
 * "internal clock enable" in the clock control register and wait up to
 * limit_ms for "internal clock stable", then restore the register as found.
 * It writes to the controller: callers make sure the scenario allows it
 * and that no driver holds the controller. Returns as mmio_read_dwords.
 */
int mmio_clock_test(const struct mmio_window *w, unsigned int limit_ms, struct mmio_clock_test *out,
		    struct mmio_fault *fault);

#endif
