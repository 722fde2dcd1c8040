// SPDX-License-Identifier: GPL-2.0-or-later
#include "order_outcome.h"

#include <stdio.h>
#include <string.h>

#include "zoned.h"

bool order_kept(const struct order_run *o)
{
	return o->failed == 0 && o->wp_off == o->want_off;
}

const char *order_words(const struct order_run *o, const char *sched, unsigned int busy_nth,
			char *buf, size_t size)
{
	char busy[64] = "";
	size_t n;

	if (busy_nth)
		snprintf(busy, sizeof(busy), ", every %uth command bounced host-busy", busy_nth);
	n = snprintf(buf, size,
		     "scheduler %s, bursts of %u writes of %zu bytes, %u in flight%s: ", sched,
		     o->writes, o->bytes, o->depth, busy);
	if (n >= size)
		return buf;
	if (order_kept(o))
		snprintf(buf + n, size - n,
			 "%u of %u bursts, every write landed in order, the write pointer at +%llu",
			 o->burst, o->bursts, (unsigned long long)o->wp_off);
	else if (o->failed)
		snprintf(buf + n, size - n,
			 "burst %u of %u: %u failed (first %s), the write pointer at +%llu "
			 "of +%llu: the block layer reordered them",
			 o->burst, o->bursts, o->failed, zoned_error_words(o->first_error),
			 (unsigned long long)o->wp_off, (unsigned long long)o->want_off);
	else
		snprintf(buf + n, size - n,
			 "burst %u of %u: all reported success, but the write pointer is at "
			 "+%llu, not +%llu",
			 o->burst, o->bursts, (unsigned long long)o->wp_off,
			 (unsigned long long)o->want_off);
	return buf;
}

const char *order_advice(const char *sched, const char *release, const char *queue, char *buf,
			 size_t size)
{
	if (!strcmp(sched, "none"))
		snprintf(buf, size,
			 "Linux %s does not keep a zone's writes in order without a zoned "
			 "scheduler: echo mq-deadline > /sys/block/%s/queue/scheduler, or keep "
			 "one write per zone in flight in the application (from 6.10 zone "
			 "write plugging does it for every scheduler)",
			 release, queue);
	else
		snprintf(buf, size,
			 "scheduler %s did not keep a zone's writes in order on Linux %s: keep "
			 "one write per zone in flight in the application, and report it with "
			 "this log",
			 sched, release);
	return buf;
}
