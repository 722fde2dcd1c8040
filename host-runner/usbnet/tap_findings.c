// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/tap_findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Detached tap queues take no frames either way: the kernel's view, not QEMU's. */
char *tap_queue_finding(const char *tap, const uint8_t *state, unsigned int queues,
			const char *when)
{
	char *list = NULL, *out = NULL;
	size_t len = 0;
	FILE *f;
	unsigned int detached = 0, known = 0;
	int r;

	for (unsigned int q = 0; q < queues; q++)
		known += state[q] != TAP_QUEUE_UNKNOWN;
	if (!known)
		return NULL;
	f = open_memstream(&list, &len);
	if (!f)
		return NULL;
	for (unsigned int q = 0; q < queues; q++)
		if (state[q] == TAP_QUEUE_DETACHED)
			fprintf(f, "%s%u", detached++ ? ", " : "", q);
	if (fclose(f)) {
		free(list);
		return NULL;
	}
	if (!detached)
		r = asprintf(&out, "note: tap %s: all %u queues attached (TUNGETIFF) %s", tap,
			     queues, when);
	else
		r = asprintf(&out,
			     "%s: tap %s: queue%s %s of %u detached (TUNGETIFF: IFF_DETACH_QUEUE) "
			     "%s: the kernel neither hands frames to a detached queue nor takes "
			     "frames written to it%s",
			     detached == queues || state[0] == TAP_QUEUE_DETACHED ? "loss" : "note",
			     tap, detached > 1 ? "s" : "", list, queues, when,
			     state[0] == TAP_QUEUE_DETACHED
				     ? "; queue 0, the one a single-queue usb-net sends on, is "
				       "among them: nothing the guest sends reaches the tap"
				     : "");
	free(list);
	return r < 0 ? NULL : out;
}
