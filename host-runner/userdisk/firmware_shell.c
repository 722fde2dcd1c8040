// SPDX-License-Identifier: GPL-2.0-or-later
#include "userdisk/firmware_shell.h"

#include <stdio.h>
#include <string.h>

/* OVMF's words (edk2 2022.11, Debian 12's ovmf): the shell's banner, BdsDxe's failure. */
#define SHELL_BANNER "UEFI Interactive Shell"
#define LOAD_FAILED  "BdsDxe: failed to load "

bool ovmf_in_shell(const char *console, char *why, size_t whysize)
{
	const char *p, *last = NULL;
	size_t len;

	if (whysize)
		why[0] = '\0';
	if (!console || !strstr(console, SHELL_BANNER))
		return false;
	for (p = console; (p = strstr(p, LOAD_FAILED)); p++)
		last = p;
	if (last && whysize) {
		len = strcspn(last, "\r\n");
		while (len && (last[len - 1] == ' ' || last[len - 1] == '\t'))
			len--;
		snprintf(why, whysize, "%.*s", (int)len, last);
	}
	return true;
}
