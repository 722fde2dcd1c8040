/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A scenario: the machine to boot, the devices to attach, and what the
 * checks must see. Read from an INI file (see README.md, "Scenario files");
 * every key is validated against a table, and every error names the file,
 * the line and the fix.
 */
#ifndef GUESTCHECK_SCENARIO_H
#define GUESTCHECK_SCENARIO_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define SCENARIO_MAX_DEVICES 16
#define SCENARIO_MAX_EXPECTS 64
#define EXPECT_MAX_DIAGNOSES 8
#define EXPECT_MAX_CHECK     64

struct device_type;

struct scenario_device {
	char name[32]; /* from [device NAME] */
	const struct device_type *type;
	const struct config_section *section;
	int index; /* ordinal among devices of this type: sd-card 0, 1, ... */
	int line;

	/* Resolved by the type's validate() */
	char image[PATH_MAX]; /* backing file; "" for a scratch image made per run */
	char format[8];	      /* QEMU format of image: "" is raw; "qcow2" for an overlay */
	uint64_t size;	      /* bytes: of the image, or of the scratch image */
	bool readonly;
	char guest_node[64]; /* "mmcblk0", "nvme0n1"; "" when not a block device */
	/*
	 * The PCI function the runner pinned the device's controller to,
	 * "0000:00:10.0" (sd-card on sdhci-pci), "" otherwise. The agent finds
	 * the device below it (its config's pci_address), not by probe order.
	 */
	char guest_pci[16];
};

/*
 * A failure the scenario demonstrates on purpose: [expect AREA.CHECK] with
 * result = fail and one or more diagnoses (README.md, "Expected failures").
 * The strings point into the scenario's config and live as long as it.
 */
struct scenario_expect {
	char check[EXPECT_MAX_CHECK]; /* the test's KTAP name: "sdhci.supplies" */
	int line;		      /* of the [expect ...] header */
	const char *reason;	      /* why it fails on purpose; NULL when not given */
	/*
	 * Shell patterns (fnmatch, no flags) each matched anywhere in one line:
	 * every one must match one of the test's failure lines, and every
	 * failure line must be matched by one of them.
	 */
	const char *diagnosis[EXPECT_MAX_DIAGNOSES];
	int diagnosis_line[EXPECT_MAX_DIAGNOSES];
	size_t ndiagnoses;
};

struct scenario {
	struct config cfg;
	char path[PATH_MAX];
	char dir[PATH_MAX]; /* relative image paths are taken from here */
	char name[64];
	char description[256];
	/* "checks", or "non-interference" (installer_plan.h) */
	char kind[24];
	uint64_t boot_timeout_ms;   /* QEMU start to the agent's hello */
	uint64_t run_timeout_ms;    /* hello to the agent's end */
	uint64_t device_timeout_ms; /* the agent's wait for the devices to appear */

	char arch[16]; /* "x86_64" */
	char machine[32];
	const char *pci_root; /* the machine's root PCI bus: "pcie.0" on q35 */
	/* From the arch table (scenario.c): */
	const char *qemu;	 /* the QEMU binary, unless $GUESTCHECK_QEMU names one */
	const char *console;	 /* the kernel's console: "ttyS0" */
	const char *kernel_args; /* the machine's own kernel arguments ("" if none) */
	const char *ktap_tty;	 /* NULL: KTAP over virtio-serial; else the UART the agent uses */
	const char *machine_modules; /* drivers of the machine's own devices ("" if none) */
	char dtb[PATH_MAX];	     /* [machine] dtb: the guest's device tree; "" for QEMU's own */
	uint64_t memory;
	unsigned int cpus;
	/*
	 * q35 root ports with native PCIe hotplug instead of ACPI's: QEMU then
	 * completes device_del of a slot the guest never powered on at once
	 * (a NIC added while QEMU is paused), where ACPI waits for the guest.
	 */
	bool pci_hotplug_native;
	char kernel[PATH_MAX]; /* "" = default kernel */
	/*
	 * [machine] disk: the user's own disk image, booted by the firmware
	 * through a throwaway overlay (userdisk/), "" for the agent's initramfs.
	 */
	char disk[PATH_MAX];
	char disk_format[8]; /* "raw" or "qcow2", read from the image */
	bool firmware_uefi;  /* [machine] firmware = uefi: OVMF boots the disk, not SeaBIOS */
	char append[512];

	struct scenario_device devices[SCENARIO_MAX_DEVICES];
	size_t ndevices;

	struct scenario_expect expects[SCENARIO_MAX_EXPECTS]; /* in file order */
	size_t nexpects;
};

/* 0, -EINVAL (message in err: "FILE:LINE: what is wrong: fix"), -ENOENT. */
int scenario_load(struct scenario *s, const char *path, char *err, size_t errsize);
int scenario_load_string(struct scenario *s, const char *text, const char *dir, char *err,
			 size_t errsize);
void scenario_free(struct scenario *s);

#endif
