// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned.write_order: destructive, on scratch devices only. The scheduler
 * trap, measured: many sequential writes to one zone in flight at once
 * (Linux AIO, submitted strictly in order), under each I/O scheduler the
 * queue offers. Before Linux 6.10 only mq-deadline's zone write locking kept
 * one write per zone in flight; with none, a write the driver bounced (busy)
 * is requeued while the next one is issued directly, reaches the device
 * first and fails as unaligned. From 6.10 zone write plugging holds a zone's
 * writes in order under every scheduler. A scsi_debug disk is made to bounce
 * every ORDER_BUSY_NTH command with "host busy" (its opts 0x8000), as a busy
 * HBA does; other devices run the same writes with nothing injected. The
 * verdict is the measurement under the scheduler the device has; the others
 * are reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "order_outcome.h"
#include "scratch.h"

#define ORDER_WRITES	     96 /* one granule each, into one zone */
#define ORDER_DEPTH	     32 /* in flight at once */
#define ORDER_BUSY_NTH	     7	/* scsi_debug: every 7th command is bounced host-busy */
#define ORDER_BURSTS	     12 /* at most, each on a freshly reset zone */
#define SDEBUG_DRV	     "/sys/bus/pseudo/drivers/scsi_debug"
#define SDEBUG_OPT_HOST_BUSY 0x8000 /* drivers/scsi/scsi_debug.c, 6.1 and 6.12 */

static const char *const schedulers[] = { "none", "mq-deadline" };

/* Host-busy injection on scsi_debug: on (saving its opts) or off (restoring them). */
static int inject_busy(const struct sysroot *root, bool on, unsigned long *saved)
{
	char buf[32];
	int r;

	if (on) {
		if (sysroot_read_line(root, buf, sizeof(buf), SDEBUG_DRV "/opts") < 0)
			return -ENOENT;
		*saved = strtoul(buf, NULL, 0);
		snprintf(buf, sizeof(buf), "0x%lx", *saved | SDEBUG_OPT_HOST_BUSY);
		r = sysroot_write(root, buf, "%s/opts", SDEBUG_DRV);
		if (r == 0)
			snprintf(buf, sizeof(buf), "%d", ORDER_BUSY_NTH);
		r = sysroot_write(root, buf, "%s/every_nth", SDEBUG_DRV);
		return r;
	}
	snprintf(buf, sizeof(buf), "0x%lx", *saved);
	r = sysroot_write(root, "0", "%s/every_nth", SDEBUG_DRV);
	return sysroot_write(root, buf, "%s/opts", SDEBUG_DRV) ?: r;
}

static long aio(long nr, aio_context_t ctx, long a, void *b, void *c)
{
	return syscall(nr, ctx, a, b, c);
}

/* ORDER_WRITES granules into empty zone i, in order, ORDER_DEPTH in flight. */
static int ordered_writes(struct zoned_scratch *s, size_t i, const char *sched, unsigned int burst,
			  struct order_run *o)
{
	struct iocb cbs[ORDER_DEPTH], *ptr[ORDER_DEPTH];
	struct io_event ev[ORDER_DEPTH];
	struct timespec tmo = { .tv_sec = 20 };
	aio_context_t ctx = 0;
	unsigned int next = 0, done = 0, inflight = 0, slot = 0;
	struct blk_zone z;
	int r = 0;

	*o = (struct order_run){ .writes = ORDER_WRITES, .depth = ORDER_DEPTH, .bytes = s->gran };
	if (syscall(SYS_io_setup, ORDER_DEPTH, &ctx) < 0)
		return -errno;
	while (done < ORDER_WRITES) {
		unsigned int n = 0;
		long got;

		while (inflight + n < ORDER_DEPTH && next + n < ORDER_WRITES) {
			struct iocb *cb = &cbs[(slot + n) % ORDER_DEPTH];

			*cb = (struct iocb){
				.aio_lio_opcode = IOCB_CMD_PWRITE,
				.aio_fildes = s->fd,
				.aio_buf = (uintptr_t)s->buf,
				.aio_nbytes = s->gran,
				.aio_offset =
					(s->seq[i] + (uint64_t)(next + n) * (s->gran / 512)) * 512,
			};
			ptr[n++] = cb;
		}
		if (n) {
			got = aio(SYS_io_submit, ctx, n, ptr, NULL);
			if (got <= 0) {
				r = got < 0 ? -errno : -EIO;
				break;
			}
			next += got;
			inflight += got;
			slot = (slot + got) % ORDER_DEPTH;
		}
		check_doing(s->ctx,
			    "%s: scheduler %s, burst %u of %u: waiting for %u of %u writes in "
			    "flight into the zone at sector %llu (io_getevents)",
			    s->who, sched, burst, ORDER_BURSTS, inflight, ORDER_WRITES,
			    (unsigned long long)s->seq[i]);
		got = syscall(SYS_io_getevents, ctx, 1, ORDER_DEPTH, ev, &tmo);
		if (got <= 0) {
			r = got < 0 ? -errno : -ETIMEDOUT;
			break;
		}
		for (long k = 0; k < got; k++)
			if (ev[k].res < 0) {
				if (!o->failed++)
					o->first_error = (int)ev[k].res;
			} else if ((size_t)ev[k].res != s->gran) {
				if (!o->failed++)
					o->first_error = -EIO;
			}
		done += got;
		inflight -= got;
	}
	/* It waits for every write still in flight. */
	check_doing(s->ctx,
		    "%s: scheduler %s, burst %u of %u: %u of %u writes still in flight "
		    "(io_destroy waits for them)",
		    s->who, sched, burst, ORDER_BURSTS, inflight, ORDER_WRITES);
	syscall(SYS_io_destroy, ctx);
	if (r < 0)
		return r;
	r = zone_report_one(s->fd, s->seq[i], &z);
	if (r < 0)
		return r;
	o->wp_off = z.wp - z.start;
	o->want_off = (uint64_t)ORDER_WRITES * (s->gran / 512);
	return 0;
}

static bool offered(const struct zoned_scratch *s, const char *name)
{
	char list[160], want[40];

	snprintf(list, sizeof(list), " %s ", s->q.schedulers);
	for (char *p = list; *p; p++)
		if (*p == '[' || *p == ']')
			*p = ' ';
	snprintf(want, sizeof(want), " %s ", name);
	return strstr(list, want) != NULL;
}

static const char *write_order_tests(struct zoned_scratch *s)
{
	const struct sysroot *root = s->ctx->env->root;
	const char *queue = s->t->path[0] ? s->t->path : s->t->node;
	bool sdebug = s->t->dev.type && !strcmp(s->t->dev.type, "scsi-debug");
	char orig[32], line[512], why[512];
	unsigned long saved = 0;
	size_t ran = 0;

	if (!s->q.schedulers[0]) {
		check_note(s->ctx, "%s: write order not tested: /sys/block/%s has no I/O scheduler",
			   s->who, queue);
		return "no scratch device has an I/O scheduler to choose";
	}
	snprintf(orig, sizeof(orig), "%s", s->q.scheduler);
	for (size_t k = 0; k < ARRAY_SIZE(schedulers); k++) {
		const char *sched = schedulers[k];
		struct order_run o;
		int r;

		if (!offered(s, sched))
			continue;
		/* The switch freezes the queue: it waits for every request in flight. */
		check_doing(s->ctx, "%s: echo %s > /sys/block/%s/queue/scheduler", s->who, sched,
			    queue);
		r = sysroot_write(root, sched, "/sys/block/%s/queue/scheduler", queue);
		if (r < 0) {
			check_fail(s->ctx, "%s: echo %s > /sys/block/%s/queue/scheduler failed: %s",
				   s->who, sched, queue, strerror(-r));
			continue;
		}
		/* Reordering is a race: bursts until one shows it, or all kept order. */
		for (unsigned int b = 1; b <= ORDER_BURSTS; b++) {
			check_doing(s->ctx, "%s: scheduler %s, burst %u of %u: resetting the zone",
				    s->who, sched, b, ORDER_BURSTS);
			if (!scratch_reset(s, 0)) {
				r = -EIO;
				break;
			}
			if (sdebug && (r = inject_busy(root, true, &saved)) < 0) {
				check_fail(s->ctx,
					   "%s: cannot make scsi_debug bounce commands (%s/opts, "
					   "every_nth): %s",
					   s->who, SDEBUG_DRV, strerror(-r));
				break;
			}
			r = ordered_writes(s, 0, sched, b, &o);
			if (sdebug)
				inject_busy(root, false, &saved);
			if (r < 0) {
				check_fail(s->ctx,
					   "%s: the ordered writes with scheduler %s could not "
					   "run: %s",
					   s->who, sched, zoned_error_words(r));
				break;
			}
			o.burst = b;
			o.bursts = ORDER_BURSTS;
			if (!order_kept(&o))
				break;
		}
		if (r < 0)
			break;
		ran++;
		order_words(&o, sched, sdebug ? ORDER_BUSY_NTH : 0, line, sizeof(line));
		if (!strcmp(sched, orig) && !order_kept(&o))
			check_fail(s->ctx, "%s: Linux %s, %s: %s", s->who, s->t->release, line,
				   order_advice(sched, s->t->release, queue, why, sizeof(why)));
		else
			check_note(s->ctx, "%s: Linux %s, %s%s", s->who, s->t->release, line,
				   strcmp(sched, orig) ? "" : " (the device's scheduler)");
		scratch_reset(s, 0);
	}
	check_doing(s->ctx, "%s: restoring the scheduler: echo %s > /sys/block/%s/queue/scheduler",
		    s->who, orig, queue);
	if (sysroot_write(root, orig, "/sys/block/%s/queue/scheduler", queue) < 0)
		check_fail(s->ctx,
			   "%s: restoring the I/O scheduler %s failed: echo %s > "
			   "/sys/block/%s/queue/scheduler",
			   s->who, orig, orig, queue);
	return ran ? NULL : "no scratch device offers none or mq-deadline";
}

int check_zoned_write_order(struct check_ctx *ctx)
{
	zoned_for_each_scratch(ctx, "the write-order tests", write_order_tests);
	return 0;
}
