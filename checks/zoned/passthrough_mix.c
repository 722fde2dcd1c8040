// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.passthrough_mix: destructive, on scratch NVMe namespaces only. A zone
 * operation sent around the block layer (a reset, write or zone append
 * through the generic device, /dev/ngXnY) and then a regular write through
 * the block device: does the kernel still know where the zone's write
 * pointer is? Since Linux 6.10 it caches the pointer of every zone it has
 * written (zone write plugging) and refuses writes elsewhere, so after a
 * passthrough operation the next write fails with EIO until the cache is
 * resynced. Each case measures which user action resyncs it: BLKREPORTZONE
 * (6.12 resyncs a zone's pointer only once a write has failed), or a reset
 * through the block device. This is view (d) of issue 17: after passthrough,
 * what the kernel believes against what the device did.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "mix_outcome.h"
#include "nvme_passthrough.h"
#include "scratch.h"

#define NVME_CMD_WRITE		0x01
#define NVME_CMD_ZONE_MGMT_SEND 0x79
#define NVME_CMD_ZONE_APPEND	0x7d
#define NVME_ZSA_RESET		0x04 /* Zone Send Action: Reset Zone (NVMe ZNS 1.1, figure 38) */

enum pt_op { PT_RESET, PT_WRITE, PT_APPEND };

/* The cases, each on its own zone: what the kernel wrote first, then what went around it. */
static const struct mix_case {
	const char *what;  /* "a zone reset": in messages, after "after" */
	const char *where; /* said after the device: "" or " into a zone the kernel saw empty" */
	const char *label; /* "reset": in the summary line */
	unsigned int prep; /* granules written through the block device first */
	enum pt_op op;
} cases[] = {
	{ "a zone reset", "", "reset", 2, PT_RESET },
	{ "a write", "", "write", 1, PT_WRITE },
	{ "a zone append", "", "append", 1, PT_APPEND },
	{ "a write", " into a zone the kernel saw empty", "write to an empty zone", 0, PT_WRITE },
};

struct mix {
	struct zoned_scratch *s;
	struct nvme_passthrough pt;
	unsigned int lbs;
	uint64_t g; /* sectors in one granule */
};

/* One passthrough command on the zone starting at `zone` (sectors). 0, -errno or an NVMe status. */
static int pt_send(struct mix *m, enum pt_op op, uint64_t zone, uint64_t at)
{
	uint64_t lba = (op == PT_WRITE ? at : zone) * 512 / m->lbs;
	struct nvme_passthru_cmd64 cmd = {
		.cdw10 = (uint32_t)lba,
		.cdw11 = (uint32_t)(lba >> 32),
	};

	if (op == PT_RESET) {
		cmd.opcode = NVME_CMD_ZONE_MGMT_SEND;
		cmd.cdw13 = NVME_ZSA_RESET;
	} else {
		cmd.opcode = op == PT_WRITE ? NVME_CMD_WRITE : NVME_CMD_ZONE_APPEND;
		cmd.addr = (uintptr_t)m->s->buf;
		cmd.data_len = m->s->gran;
		cmd.cdw12 = m->s->gran / m->lbs - 1; /* logical blocks, 0's based */
	}
	return nvme_passthrough_io(&m->pt, &cmd);
}

static const char *op_words(int r, char *buf, size_t size)
{
	if (r < 0)
		snprintf(buf, size, "%s", zoned_error_words(r));
	else
		nvme_status_words(r, buf, size);
	return buf;
}

/* The zone's write pointer by BLKREPORTZONE, as an offset; false (reported) on failure. */
static bool report_wp(struct mix *m, size_t i, uint64_t *off, unsigned int *cond)
{
	struct blk_zone z;
	int r = zone_report_one(m->s->fd, m->s->seq[i], &z);

	if (r < 0) {
		check_fail(m->s->ctx, "%s: BLKREPORTZONE of the zone at sector %llu failed: %s",
			   m->s->who, (unsigned long long)m->s->seq[i], zoned_error_words(r));
		return false;
	}
	*off = z.wp - z.start;
	*cond = z.cond;
	return true;
}

/* A one-granule write through the block device at offset `off` of zone i: 0 or -errno. */
static int bdev_write(struct mix *m, size_t i, uint64_t off)
{
	return scratch_write(m->s, i, m->s->seq[i] + off, m->s->gran);
}

/* A probe's result: "landed", or the error's name alone (who refused is said around it). */
static const char *res(int r)
{
	if (!r)
		return "landed";
	return r == -EIO ? "failed with EIO" : zoned_error_words(r);
}

/* One case on zone i: 0 with *out, or -1 when it could not be set up (reported). */
static int run_case(struct mix *m, const struct mix_case *c, size_t i, enum mix_outcome *out)
{
	struct zoned_scratch *s = m->s;
	struct mix_probe p = { .after_report = 1, .after_reset = 1 };
	uint64_t kernel = c->prep * m->g, dev, wp, S = s->seq[i];
	unsigned int cond;
	char st[64], steps[512];
	int r;

	if (!scratch_reset(s, i))
		return -1;
	for (unsigned int k = 0; k < c->prep; k++) {
		r = bdev_write(m, i, k * m->g);
		if (r < 0) {
			check_fail(s->ctx,
				   "%s: a write at the write pointer of an empty zone failed: %s",
				   s->who, zoned_error_words(r));
			return -1;
		}
	}
	r = pt_send(m, c->op, S, S + kernel);
	if (r) {
		check_fail(s->ctx,
			   "%s: %s through %s on the zone at sector %llu failed: %s: the device "
			   "refused a valid command",
			   s->who, c->what, m->pt.path, (unsigned long long)S,
			   op_words(r, st, sizeof(st)));
		return -1;
	}
	dev = c->op == PT_RESET ? 0 : kernel + m->g;
	/* View (d): BLKREPORTZONE asks the device on NVMe, so it must say what the device did. */
	if (!report_wp(m, i, &wp, &cond))
		return -1;
	if (wp != dev) {
		check_fail(s->ctx,
			   "%s: after %s through %s, BLKREPORTZONE says %s at +%llu, but the "
			   "device's completed commands put the write pointer at +%llu: the "
			   "kernel's zone report does not show the device",
			   s->who, c->what, m->pt.path, zone_cond_name(cond),
			   (unsigned long long)wp, (unsigned long long)dev);
		return -1;
	}
	p.at_device = bdev_write(m, i, dev);
	if (p.at_device == 0) {
		p.landed = report_wp(m, i, &wp, &cond) && wp == dev + m->g;
		snprintf(steps, sizeof(steps),
			 "a write at the device's write pointer (+%llu) landed and moved it to "
			 "+%llu",
			 (unsigned long long)dev, (unsigned long long)wp);
	} else {
		size_t n;

		if (kernel != dev) {
			p.kernel_tried = true;
			p.at_kernel = bdev_write(m, i, kernel);
		}
		if (report_wp(m, i, &wp, &cond))
			p.after_report = bdev_write(m, i, wp);
		if (p.after_report) {
			p.after_reset = scratch_mgmt(s, BLKRESETZONE, i);
			if (p.after_reset == 0)
				p.after_reset = bdev_write(m, i, 0);
		}
		n = snprintf(steps, sizeof(steps),
			     "a write at the device's write pointer (+%llu) %s: the kernel "
			     "refused it",
			     (unsigned long long)dev, res(p.at_device));
		if (p.kernel_tried && n < sizeof(steps))
			n += snprintf(steps + n, sizeof(steps) - n,
				      "; a write where the kernel last left it (+%llu) %s%s",
				      (unsigned long long)kernel, res(p.at_kernel),
				      p.at_kernel ? ": the device refused it" : "");
		if (n < sizeof(steps))
			n += snprintf(steps + n, sizeof(steps) - n,
				      "; BLKREPORTZONE, then a write at +%llu %s",
				      (unsigned long long)wp, res(p.after_report));
		if (p.after_report && n < sizeof(steps))
			snprintf(steps + n, sizeof(steps) - n,
				 "; BLKRESETZONE, then a write at +0 %s", res(p.after_reset));
	}
	*out = mix_classify(&p);
	if (mix_outcome_fails(*out))
		check_fail(s->ctx, "%s: Linux %s, after %s through %s%s (sector offsets): %s: %s",
			   s->who, s->t->release, c->what, m->pt.path, c->where, steps,
			   mix_outcome_name(*out));
	else
		check_note(s->ctx, "%s: Linux %s, after %s through %s%s (sector offsets): %s: %s",
			   s->who, s->t->release, c->what, m->pt.path, c->where, steps,
			   mix_outcome_name(*out));
	scratch_reset(s, i);
	return 0;
}

static const char *passthrough_mix_tests(struct zoned_scratch *s)
{
	struct mix m = { .s = s, .lbs = s->q.logical_block_size, .g = s->gran / 512 };
	enum mix_outcome worst = MIX_IN_STEP, o[ARRAY_SIZE(cases)];
	char why[160], summary[512], advice[512];
	size_t len = 0;

	if (nvme_passthrough_open(s->ctx->env->root, s->t->node, O_RDWR, &m.pt, why, sizeof(why)) <
	    0) {
		check_note(s->ctx, "%s: passthrough mix not tested: %s", s->who, why);
		return "no scratch device is an NVMe namespace with a passthrough device";
	}
	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		if (run_case(&m, &cases[k], k % s->nseq, &o[k]) < 0) {
			nvme_passthrough_close(&m.pt);
			return NULL;
		}
		if (o[k] > worst)
			worst = o[k];
		len += snprintf(summary + len, len < sizeof(summary) ? sizeof(summary) - len : 0,
				"%s%s: %s", k ? "; " : "", cases[k].label, mix_outcome_short(o[k]));
	}
	nvme_passthrough_close(&m.pt);
	check_note(s->ctx, "%s: Linux %s, a regular write after a passthrough operation: %s",
		   s->who, s->t->release, summary);
	if (worst == MIX_STALE_RESET && s->t->path[0])
		/* Read in 6.12's block/blk-zoned.c: a report resyncs the plugs of the disk it ran
		 * on. */
		check_note(s->ctx,
			   "%s: a multipath head: the cached write pointers are its path %s's, "
			   "and BLKREPORTZONE on /dev/%s resyncs only the head's (Linux 6.12 "
			   "block/blk-zoned.c); a plain namespace (QEMU 7.2) is resynced by it",
			   s->who, s->t->path, s->t->node);
	if (worst != MIX_IN_STEP)
		check_note(s->ctx, "%s: what to do: %s", s->who,
			   mix_advice(worst, s->t->node, m.pt.path, advice, sizeof(advice)));
	return NULL;
}

int check_zoned_passthrough_mix(struct check_ctx *ctx)
{
	zoned_for_each_scratch(ctx, "the passthrough-mix tests", passthrough_mix_tests);
	return 0;
}
