// SPDX-License-Identifier: GPL-2.0-or-later
#include "mix_outcome.h"

#include <stdio.h>

#include "macro.h"

static const char *const names[] = {
	[MIX_IN_STEP] = "in step: the kernel keeps no write pointer of its own here",
	[MIX_LANDED_WRONG] = "a write succeeded away from the device's write pointer",
	[MIX_STALE_REPORT] = "stale: resynced by BLKREPORTZONE after a failed write",
	[MIX_STALE_RESET] = "stale: resynced only by a zone reset through the block device",
	[MIX_STALE_STUCK] = "stale: neither BLKREPORTZONE nor a zone reset resynced it",
};

static const char *const short_names[] = {
	[MIX_IN_STEP] = "in step",
	[MIX_LANDED_WRONG] = "landed wrong",
	[MIX_STALE_REPORT] = "stale, BLKREPORTZONE after a failed write resyncs",
	[MIX_STALE_RESET] = "stale, only a block-device reset resyncs",
	[MIX_STALE_STUCK] = "stale, nothing resyncs",
};

enum mix_outcome mix_classify(const struct mix_probe *p)
{
	if (p->at_device == 0)
		return p->landed ? MIX_IN_STEP : MIX_LANDED_WRONG;
	/* The device's pointer is elsewhere: a write the kernel let through there is wrong. */
	if (p->kernel_tried && p->at_kernel == 0)
		return MIX_LANDED_WRONG;
	if (p->after_report == 0)
		return MIX_STALE_REPORT;
	if (p->after_reset == 0)
		return MIX_STALE_RESET;
	return MIX_STALE_STUCK;
}

const char *mix_outcome_name(enum mix_outcome o)
{
	return (size_t)o < ARRAY_SIZE(names) ? names[o] : "unknown";
}

const char *mix_outcome_short(enum mix_outcome o)
{
	return (size_t)o < ARRAY_SIZE(short_names) ? short_names[o] : "unknown";
}

bool mix_outcome_fails(enum mix_outcome o)
{
	return o == MIX_LANDED_WRONG || o == MIX_STALE_STUCK;
}

const char *mix_advice(enum mix_outcome o, const char *node, const char *generic, char *buf,
		       size_t size)
{
	switch (o) {
	case MIX_STALE_REPORT:
		snprintf(buf, size,
			 "do not write one zone through both %s and /dev/%s; after a zone "
			 "operation through %s, reset or finish the zone through /dev/%s "
			 "(BLKRESETZONE, BLKFINISHZONE, blkzone reset), or expect the next "
			 "write to fail with EIO and issue BLKREPORTZONE on the zone after it "
			 "(a report before a failed write does not resync the kernel)",
			 generic, node, generic, node);
		break;
	case MIX_STALE_RESET:
		snprintf(buf, size,
			 "do not write one zone through both %s and /dev/%s; after a zone "
			 "operation through %s, reset or finish the zone through /dev/%s "
			 "(BLKRESETZONE, BLKFINISHZONE, blkzone reset): here BLKREPORTZONE, "
			 "even after a failed write, did not resync the kernel",
			 generic, node, generic, node);
		break;
	case MIX_STALE_STUCK:
		snprintf(buf, size,
			 "the zone cannot be written through /dev/%s any more: detach and "
			 "re-attach the namespace (nvme ns-rescan, or reboot) and never mix %s "
			 "and /dev/%s on one zone",
			 node, generic, node);
		break;
	case MIX_LANDED_WRONG:
		snprintf(buf, size,
			 "a write through /dev/%s was accepted away from the device's write "
			 "pointer: the device does not enforce sequential writes, or data went "
			 "where the application did not mean it; report it with this log",
			 node);
		break;
	default:
		snprintf(buf, size, "%s", "");
	}
	return buf;
}
