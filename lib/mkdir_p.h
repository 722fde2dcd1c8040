/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef GUESTCHECK_MKDIR_P_H
#define GUESTCHECK_MKDIR_P_H

/* mkdir -p: every missing folder of path, 0755. 0 or -errno. */
int mkdir_p(const char *path);

#endif
