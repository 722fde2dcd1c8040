/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef GUESTCHECK_UNIX_SOCKET_H
#define GUESTCHECK_UNIX_SOCKET_H

/*
 * A non-blocking listening unix socket at dir/name, for QEMU to connect to
 * as a client (the runner listens, QEMU connects at start-up). fd or -errno.
 */
int listen_unix(const char *dir, const char *name);

#endif
