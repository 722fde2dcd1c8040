/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OVMF with nothing to boot: it tries each boot option, says which failed,
 * and starts its interactive shell, which waits for a key for ever. Seen on
 * the serial console, that ends a boot at once instead of at boot_timeout.
 */
#ifndef GUESTCHECK_FIRMWARE_SHELL_H
#define GUESTCHECK_FIRMWARE_SHELL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Did the console (its last lines) reach OVMF's shell? Then why holds the
 * firmware's last "failed to load" line, or "" when it printed none.
 */
bool ovmf_in_shell(const char *console, char *why, size_t whysize);

#endif
