// SPDX-License-Identifier: GPL-2.0-or-later
#include "inet_port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

int parse_inet_port(const char *s, struct in_addr *addr, uint16_t *port, bool need_port,
		    bool zero_ok)
{
	char buf[32], *colon;
	uint64_t p;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (!colon && need_port)
		return -EINVAL;
	if (colon) {
		*colon = '\0';
		if (parse_u64(colon + 1, &p) < 0 || p > 65535 || (!p && !zero_ok))
			return -EINVAL;
	}
	if (inet_pton(AF_INET, buf, addr) != 1)
		return -EINVAL;
	if (colon)
		*port = p;
	return 0;
}
