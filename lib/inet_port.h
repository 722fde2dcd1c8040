/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "ADDR" or "ADDR:PORT" (IPv4), as the agent's `peer =` and `guestcheck peer --listen` take it. */
#ifndef GUESTCHECK_INET_PORT_H
#define GUESTCHECK_INET_PORT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Parse s into addr and, when s has ":PORT", port (0-65535; 0 only with
 * zero_ok). need_port: a missing port is an error; otherwise *port is left
 * as it was. 0, or -EINVAL for anything else (too long, no address, junk).
 */
int parse_inet_port(const char *s, struct in_addr *addr, uint16_t *port, bool need_port,
		    bool zero_ok);

#endif
