// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A DHCP server's reply as the guest's usb-net client reads it
 * (checks/usbnet/dhcp.h), for the transaction and MAC the seeds carry
 * (xid 0x12345678, 52:54:00:12:34:56), then the mask it gave turned into
 * a prefix as the client does.
 */
#include "fuzz.h"

#include "usbnet/dhcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct dhcp_reply r;

	if (size > DHCP_MAX_PACKET)
		return 0; /* the client reads at most this much */
	if (dhcp_parse(data, size, 0x12345678, mac, &r) == 0 && r.has_mask)
		dhcp_mask_prefix(r.mask);
	return 0;
}
