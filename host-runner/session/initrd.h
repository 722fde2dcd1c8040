/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's initrd for one run: the base image, padded to 4 bytes, then an
 * uncompressed newc archive holding AGENT_CONFIG_PATH. The kernel unpacks
 * concatenated archives in order, so the base image is never rebuilt.
 */
#ifndef GUESTCHECK_INITRD_H
#define GUESTCHECK_INITRD_H

#include <stddef.h>

int initrd_write(const char *base, const char *config_text, const char *out, char *err,
		 size_t errsize);

#endif
