/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `guestcheck preflight DEVICE`: is this host ready to pass DEVICE (an SD
 * host controller, or any platform or PCI device) through to a guest with
 * VFIO? Each step is one function in a table (preflight.c); each failed
 * step names the command that fixes it.
 *
 * The host is read through libudev. libudev takes only paths under /sys, so
 * a captured tree (--root DIR, as tests/sysroots/preflight-* hold) is bound
 * onto /sys in a private mount namespace (preflight_sysfs.c): the same code
 * reads the live host and a replayed one. Files outside /sys (/proc/cmdline,
 * /dev/vfio) are read under the root's prefix.
 */
#ifndef GUESTCHECK_PREFLIGHT_H
#define GUESTCHECK_PREFLIGHT_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct preflight_env {
	char root[PATH_MAX]; /* "" for the running host */
};

/* What the steps need to know about the device, read once. */
struct preflight_device {
	char name[64];	    /* "ff170000.mmc", "0000:03:00.0" */
	char subsystem[16]; /* "platform", "pci" */
	char syspath[PATH_MAX];
	char driver[64];      /* "" when unbound */
	char override[64];    /* driver_override, "" when "(null)" or absent */
	char compatible[128]; /* first compatible of the host DT node (platform) */
	bool has_of_node;
	bool dma_coherent; /* the host DT node says dma-coherent */
	bool irq_ppi;	   /* its interrupt is a per-CPU one */
	int group;	   /* IOMMU group number, -1 when none */
};

enum preflight_status { PREFLIGHT_OK, PREFLIGHT_FAIL, PREFLIGHT_NOTE };

struct preflight_result {
	enum preflight_status status;
	char what[512]; /* what was found, and why it matters */
	char fix[1024]; /* the command(s) that fix it, one per line; "" when none */
};

/* The VFIO driver for a subsystem: "vfio-platform", "vfio-pci"; NULL if none. */
const char *preflight_vfio_driver(const char *subsystem);

/*
 * Bind root's sys/ onto /sys in a new mount namespace (a user namespace
 * too when not root), so libudev reads the captured tree. Irreversible for
 * the calling process: the command runs it once, tests in a forked child.
 * 0 or -errno with a message in err.
 */
int preflight_enter_root(const char *root, char *err, size_t errsize);

/* Look DEVICE up (a name on the platform, amba or pci bus, or a /sys path). 0 or -ENODEV. */
int preflight_device_read(const struct preflight_env *env, const char *device,
			  struct preflight_device *out);

/*
 * Run every step for DEVICE and print the report to out: one line per step,
 * each failure with its fix, then the QEMU arguments. Returns the number of
 * failed steps, or -errno when the device cannot be read at all.
 */
int preflight_run(const struct preflight_env *env, const char *device, FILE *out);

/* A file under the root: root + path. */
int preflight_read_line(const struct preflight_env *env, const char *path, char *buf, size_t size);

#endif
