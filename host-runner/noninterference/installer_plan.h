/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The [installer] section of a scenario of kind = non-interference: the
 * user's installer guest (kernel + initrd, or a disk image the firmware
 * boots), its time limit, and which devices it must leave alone.
 * scenario.c checks the keys against installer_keys and calls
 * installer_plan_load() once all devices are known, so a bad section is
 * refused when the scenario loads.
 */
#ifndef GUESTCHECK_INSTALLER_PLAN_H
#define GUESTCHECK_INSTALLER_PLAN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/device_type.h"
#include "scenario/scenario.h"

#define SCENARIO_KIND_CHECKS	       "checks"
#define SCENARIO_KIND_NON_INTERFERENCE "non-interference"

#define INSTALLER_DEFAULT_TIMEOUT_MS (10 * 60 * 1000)

/* The q35's AHCI controller has six ports: hdd devices take the first ones. */
#define INSTALLER_AHCI_PORTS 6

struct installer_plan {
	char kernel[PATH_MAX]; /* "" = the kernel of the agent's phases */
	char initrd[PATH_MAX]; /* "" for a disk-image installer */
	/*
	 * A disk-image installer: SeaBIOS boots it from a SATA disk on the
	 * first AHCI port after the hdd devices, attached through a throwaway
	 * overlay. No -kernel, so no initrd to wrap: watch is false.
	 */
	char image[PATH_MAX];
	char image_format[8]; /* "raw" or "qcow2" */
	int image_port;	      /* its AHCI port: ide.N */
	char append[1024];    /* the installer's kernel command line, as written */
	uint64_t timeout_ms;  /* QEMU start to the installer's power-off */
	bool watch;	      /* wrap the initrd with the guest-side write monitor */
	/* Indexes into scenario->devices of the devices that must not be written. */
	size_t protect[SCENARIO_MAX_DEVICES];
	size_t nprotect;
};

extern const struct key_spec installer_keys[];

/* 0, or -EINVAL with "FILE:LINE: what is wrong: fix" in err. */
int installer_plan_load(const struct scenario *s, struct installer_plan *p, char *err,
			size_t errsize);

#endif
