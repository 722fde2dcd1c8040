/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which QEMU runs a scenario and what that QEMU can do, asked of the binary
 * itself and once per binary: its version (`-version`), its devices
 * (`-machine none -device help`) and, for machines with built-in audio,
 * whether the machine takes an audiodev (`-machine NAME,help`). Every
 * question has a time limit: a QEMU that hangs is reported, never waited for.
 */
#ifndef GUESTCHECK_QEMU_PROBE_H
#define GUESTCHECK_QEMU_PROBE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "scenario/scenario.h"

struct qemu_version {
	unsigned int major, minor, micro;
	char text[32]; /* "10.0.2": as the binary printed it */
};

enum qemu_answer { QEMU_UNKNOWN, QEMU_NO, QEMU_YES };

struct qemu_binary {
	char path[PATH_MAX]; /* what is run: as named, or found on PATH */
	struct qemu_version version;
	bool devices_asked;
	char *devices; /* `-device help` output; NULL when QEMU could not list them */
	/* `-machine NAME,help` lists audiodev=; asked for audio_machine only */
	char audio_machine[32];
	enum qemu_answer machine_audiodev;
};

/* Every binary a run (or a run set, before it forks its jobs) has asked. */
#define QEMU_CACHE_MAX 32
struct qemu_cache {
	struct qemu_binary bin[QEMU_CACHE_MAX];
	size_t n;
};

/*
 * "QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2)" -> 10, 0, 2, "10.0.2".
 * 0, or -EINVAL when the text has no such line. Pure.
 */
int qemu_version_parse(const char *text, struct qemu_version *v);

/* <0, 0, >0 as v is older than, equal to or newer than major.minor. */
int qemu_version_cmp(const struct qemu_version *v, unsigned int major, unsigned int minor);

/* Does `-device help` output list device `name` ("name \"nvme-ns\", bus ...")? Pure. */
bool qemu_device_listed(const char *help, const char *name);

/*
 * The binary for a scenario whose arch runs `arch_binary` (qemu-system-aarch64),
 * given FILE (--qemu or $GUESTCHECK_QEMU): a FILE named qemu-system-* names a
 * QEMU installation, and the scenario runs its sibling in FILE's folder
 * (DIR/qemu-system-x86_64 -> DIR/qemu-system-aarch64); any other FILE (a
 * wrapper script) runs every arch as it is. Pure.
 */
void qemu_for_arch(const char *file, const char *arch_binary, char *buf, size_t size);

/* The Debian package that installs `binary` (qemu-system-arm for -aarch64). */
const char *qemu_package(const char *binary);

/*
 * The binary `path` from the cache, or found (PATH searched for a bare name),
 * run with -version and added. NULL with one line in err: -ENOENT (no such
 * file, or not on PATH), -EACCES, or -EIO (no version, a crash, a hang) in
 * *error.
 */
struct qemu_binary *qemu_cache_get(struct qemu_cache *c, const char *path, int *error, char *err,
				   size_t errsize);

/*
 * Can q run s as qemu_argv_build() would write it? Every -device in it must
 * be one q lists, and as new as the features it uses need (a zoned nvme-ns
 * needs QEMU 6.0). Asks q's devices and machine once. 0, or -ENODEV with one
 * line in err naming the device, the QEMU that has it and the fix.
 */
int qemu_check_scenario(struct qemu_binary *q, const struct scenario *s, char *err, size_t errsize);

/* Does `machine` take audiodev= on q (QEMU 10.0 does, 7.2 does not)? Asked once. */
bool qemu_machine_audiodev(struct qemu_binary *q, const char *machine);

void qemu_cache_free(struct qemu_cache *c);

#endif
