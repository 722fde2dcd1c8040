/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files of the source tree (scenarios, captured sysroots) for unit tests,
 * wherever the tests run from: found from this header's own path.
 */
#ifndef GUESTCHECK_TEST_SOURCE_PATH_H
#define GUESTCHECK_TEST_SOURCE_PATH_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* buf = the repository's top folder + "/" + rel. */
static inline void source_path(char *buf, size_t size, const char *rel)
{
	char here[PATH_MAX] = "", cwd[PATH_MAX];
	char *cut;

	if (__FILE__[0] == '/')
		snprintf(here, sizeof(here), "%s", __FILE__);
	else if (getcwd(cwd, sizeof(cwd)))
		snprintf(here, sizeof(here), "%s/%s", cwd, __FILE__);
	cut = strstr(here, "/tests/unit/");
	if (cut)
		*cut = '\0';
	snprintf(buf, size, "%s/%s", here, rel);
}

#endif
