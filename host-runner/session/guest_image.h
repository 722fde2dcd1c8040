/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel a guest boots and the base initramfs that matches it.
 * Precedence, first wins: the command line, the environment
 * (GUESTCHECK_KERNEL, GUESTCHECK_INITRAMFS), the scenario, the default.
 */
#ifndef GUESTCHECK_GUEST_IMAGE_H
#define GUESTCHECK_GUEST_IMAGE_H

#include <stddef.h>

/* Newest /boot/vmlinuz-* whose /lib/modules/RELEASE exists. */
int kernel_default(char *buf, size_t size, char *err, size_t errsize);

/* What `uname -r` says in the guest: from /boot naming or the bzImage header. */
int kernel_release(const char *kernel, char *buf, size_t size);

/*
 * The architecture a kernel image is built for, from its header: "x86_64"
 * (a bzImage: "HdrS" at 0x202), "aarch64" (an arm64 Image: "ARM\x64" at
 * 0x38), or NULL when it is neither (compressed, unreadable, another arch).
 */
const char *kernel_arch(const char *kernel);

/*
 * The base initramfs for `release`: beside the runner binary
 * (initramfs-RELEASE.img, where `make` puts it), else in the user's cache as
 * initramfs-RELEASE.agent-KEY.img, KEY from the agent, the builder and its
 * modules.list (image_key()), built there with build-initramfs on first use.
 * -ENOTDIR (message in err) when it must be built and the kernel's modules
 * are missing (kernel_modules_dir()); -ENOENT, -EIO otherwise.
 */
int initramfs_for(const char *release, const char *kernel, char *buf, size_t size, char *err,
		  size_t errsize);

/* Between the release and the key in a cached image's name. */
#define IMAGE_KEY_SEP ".agent-"

/* 12 hex digits from the files' bytes (FNV-1a): same files, same key. 0 or -errno. */
int image_key(const char *const *files, char *buf, size_t size);

/*
 * Where the modules of `kernel` are: ROOT/lib/modules/R for an unpacked
 * package's ROOT/boot/vmlinuz-R, else /lib/modules/RELEASE. 0, or -ENOENT
 * when that folder does not exist (buf holds it all the same).
 */
int kernel_modules_dir(const char *kernel, const char *release, char *buf, size_t size);

/*
 * The static agent the runner ships ($GUESTCHECK_AGENT, else beside the
 * runner, else ../lib/guestcheck/), for copying into a running guest. 0 or
 * -ENOENT (buf holds the last path tried).
 */
int guest_agent_path(char *buf, size_t size);

#endif
