/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's reading of the guest's mmc.fingerprint lines (format in
 * checks/mmc/mmc.h): guest text, so every field is checked and anything
 * malformed is refused rather than guessed.
 */
#ifndef GUESTCHECK_PHASE_FINGERPRINT_H
#define GUESTCHECK_PHASE_FINGERPRINT_H

#include <stdint.h>

#include "session/ktap_parse.h"

struct phase_fingerprint {
	char device[32];
	char node[64];
	uint64_t bytes;
	char digest[33]; /* XXH3-128, 32 lowercase hex digits */
	char layout_digest[33];
	uint64_t wr_ios, wr_sectors, discard_ios, discard_sectors;
	double seconds; /* guest time the digest took, -1 if not said */
};

/* 0, or -EINVAL for anything but a complete, well-formed fingerprint line. */
int phase_fingerprint_parse(const char *line, struct phase_fingerprint *fp);

/* The fingerprint of `device` in the diagnostics of a run's mmc.fingerprint: 0 or -ENOENT. */
int phase_fingerprint_find(const struct ktap_run *run, const char *device,
			   struct phase_fingerprint *fp);

#endif
