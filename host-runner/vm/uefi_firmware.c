// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/uefi_firmware.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "errmsg.h"
#include "macro.h"
#include "write_file.h"

/*
 * Code and variable store come in pairs of one build and size: Debian 12
 * ships the 4 MiB ones (OVMF_CODE_4M.fd), older releases the 2 MiB ones.
 * The secure-boot builds need SMM, which q35 under TCG lacks by default.
 */
static const struct {
	const char *code, *vars;
} ovmf_pairs[] = {
	{ "OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd" },
	{ "OVMF_CODE.fd", "OVMF_VARS.fd" },
};

/* A variable store is a flash image: a few MiB at most. */
#define VARS_MAX (16u << 20)

int uefi_firmware_find(struct uefi_firmware *fw, char *err, size_t errsize)
{
	const char *dir = getenv("GUESTCHECK_OVMF_DIR");

	if (!dir || !dir[0])
		dir = OVMF_DIR_DEFAULT;
	for (size_t i = 0; i < ARRAY_SIZE(ovmf_pairs); i++) {
		snprintf(fw->code, sizeof(fw->code), "%s/%s", dir, ovmf_pairs[i].code);
		snprintf(fw->vars, sizeof(fw->vars), "%s/%s", dir, ovmf_pairs[i].vars);
		if (access(fw->code, R_OK) == 0 && access(fw->vars, R_OK) == 0)
			return 0;
	}
	snprintf(fw->code, sizeof(fw->code), "%s/%s", dir, ovmf_pairs[0].code);
	snprintf(fw->vars, sizeof(fw->vars), "%s/%s", dir, ovmf_pairs[0].vars);
	return errmsg(err, errsize, -ENOENT,
		      "[machine] firmware = uefi: no OVMF firmware in %s (%s and %s): install "
		      "it (apt-get install ovmf), or name its folder with GUESTCHECK_OVMF_DIR",
		      dir, ovmf_pairs[0].code, ovmf_pairs[0].vars);
}

int uefi_vars_copy(const struct uefi_firmware *fw, const char *dest, char *err, size_t errsize)
{
	_cleanup_close_ int fd = open(fw->vars, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t got = 0;
	int r;

	if (fd < 0 || fstat(fd, &st) < 0)
		return errmsg(err, errsize, -errno,
			      "%s: %s: reinstall it (apt-get install "
			      "--reinstall ovmf)",
			      fw->vars, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > VARS_MAX)
		return errmsg(err, errsize, -EINVAL,
			      "%s is no UEFI variable store (%lld bytes): reinstall it (apt-get "
			      "install --reinstall ovmf)",
			      fw->vars, (long long)st.st_size);
	buf = malloc(st.st_size);
	if (!buf)
		return errmsg(err, errsize, -ENOMEM, "out of memory");
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return errmsg(err, errsize, n < 0 ? -errno : -EIO, "%s: %s", fw->vars,
				      n < 0 ? strerror(errno) : "shorter than its size");
		got += n;
	}
	r = write_file(dest, buf, got);
	if (r < 0)
		return errmsg(err, errsize, r, "%s: cannot write the UEFI variable store: %s", dest,
			      strerror(-r));
	return 0;
}
