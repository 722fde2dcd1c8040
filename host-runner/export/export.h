/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `guestcheck export`: the scenario as the configuration of the tools users
 * already run. Every format starts from the same bundle: a folder with the
 * guest's initrd (base image + the scenario), its scratch images, and the QEMU
 * options `run` would use, regrouped (qemu_opts.h), with the agent's channel
 * and the console going to files in the folder.
 */
#ifndef GUESTCHECK_EXPORT_H
#define GUESTCHECK_EXPORT_H

#include <limits.h>
#include <stdio.h>

#include "cli/run_options.h"
#include "vm/qemu_opts.h"

struct export_bundle {
	char dir[PATH_MAX]; /* absolute */
	struct guest guest;
	struct qemu_config qemu;
	char initrd[PATH_MAX];
};

/*
 * ktap_on_console: the initrd's agent writes KTAP to the kernel's console
 * (LAVA reads the serial line), not to its virtio-serial port; the QEMU
 * options stay those of `run`.
 * 0 or -errno with one sentence in err: -EINVAL for bad input (the scenario,
 * an option, DIR). err is left empty when guest_resolve() has said it already.
 */
int export_bundle_prepare(struct export_bundle *b, const struct run_options *o, const char *dir,
			  bool ktap_on_console, char *err, size_t errsize);
void export_bundle_free(struct export_bundle *b);

/* The groups that libvirt expresses natively (channel, console, monitor) or not at all. */
bool export_group_is_plumbing(const struct qemu_group *g);

/* Each writer: 0 or -errno; on -EINVAL, err says what cannot be expressed. */
int export_write_qemu_config(const struct export_bundle *b, FILE *out, char *err, size_t errsize);
int export_write_libvirt(const struct export_bundle *b, FILE *out, char *err, size_t errsize);
int export_write_incus(const struct export_bundle *b, FILE *out, char *err, size_t errsize);
/* LAVA jobs: the qemu device type, and a ZynqMP board over U-Boot (lava.c). */
int export_write_lava(const struct export_bundle *b, FILE *out, char *err, size_t errsize);
int export_write_lava_uboot(const struct export_bundle *b, FILE *out, char *err, size_t errsize);
/* A writer's "nothing to write for this scenario" (the board job of an x86_64 one). */
#define EXPORT_NOT_APPLICABLE 1

#endif
