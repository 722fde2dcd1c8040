// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU's `info network` text (usbnet/netinfo.h), as the usb-net diagnosis
 * and the hot-plug steps get it from the monitor: parsed into clients, then
 * compared with what a scenario configured (net0 with a MAC, net1 without).
 */
#include "fuzz.h"

#include "usbnet/netinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct netinfo_client c[NETINFO_MAX_CLIENTS];
	static char out[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	const struct netinfo_expect expect[] = { { .name = "net0", .mac = "52:54:00:12:34:56" },
						 { .name = "net1" } };
	char *text = fuzz_text(data, size);
	size_t n = netinfo_parse(text, c, NETINFO_MAX_CLIENTS);

	netinfo_findings(c, n, expect, 2, out, NETINFO_MAX_FINDINGS);
	free(text);
	return 0;
}
