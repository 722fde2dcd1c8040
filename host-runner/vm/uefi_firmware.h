/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UEFI for x86_64 guests ([machine] firmware = uefi): Debian's OVMF (package
 * ovmf), as Incus and libvirt boot their VMs. The firmware's code is
 * mapped read-only; its variable store (boot entries, NVRAM) is written by
 * the firmware, so each boot gets its own copy of the template in the run
 * directory and the system's file is never written.
 */
#ifndef GUESTCHECK_UEFI_FIRMWARE_H
#define GUESTCHECK_UEFI_FIRMWARE_H

#include <limits.h>
#include <stddef.h>

/* Where OVMF is looked for unless $GUESTCHECK_OVMF_DIR names another folder. */
#define OVMF_DIR_DEFAULT "/usr/share/OVMF"

struct uefi_firmware {
	char code[PATH_MAX]; /* OVMF_CODE*.fd: the firmware, read-only */
	char vars[PATH_MAX]; /* OVMF_VARS*.fd of the same build: the template */
};

/*
 * The first code/vars pair present: 0, or -ENOENT with a line naming the fix
 * (fw then names the preferred pair, the one a command line shows).
 */
int uefi_firmware_find(struct uefi_firmware *fw, char *err, size_t errsize);

/* A private copy of the variable store at dest: 0 or -errno with a line. */
int uefi_vars_copy(const struct uefi_firmware *fw, const char *dest, char *err, size_t errsize);

#endif
