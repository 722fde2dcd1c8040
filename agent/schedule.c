// SPDX-License-Identifier: GPL-2.0-or-later
#include "schedule.h"

static bool done(const struct sched_item *it)
{
	return it->state >= SCHED_DONE;
}

/* The previous check of i's area is done (or there is none). */
static bool area_ready(const struct sched *s, size_t i)
{
	for (size_t j = i; j-- > 0;)
		if (s->items[j].area == s->items[i].area)
			return done(&s->items[j]);
	return true;
}

size_t sched_running(const struct sched *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->items[i].state == SCHED_RUNNING;
	return n;
}

static bool alone_running(const struct sched *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].alone && s->items[i].state == SCHED_RUNNING)
			return true;
	return false;
}

/*
 * The first pending alone check, when every result before it is written (so
 * its own output may go to the stream at once).
 */
static size_t alone_due(const struct sched *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sched_item *it = &s->items[i];

		if (it->state == SCHED_PENDING && it->alone)
			return s->emitted == i ? i : SCHED_NONE;
	}
	return SCHED_NONE;
}

size_t sched_next_start(const struct sched *s)
{
	size_t due;

	if (alone_running(s))
		return SCHED_NONE;
	due = alone_due(s);
	if (due != SCHED_NONE)
		return sched_running(s) || s->items[due].waiting ? SCHED_NONE : due;
	for (size_t i = 0; i < s->n; i++) {
		const struct sched_item *it = &s->items[i];

		/* An alone check not yet due waits; the checks after it need not. */
		if (it->state == SCHED_PENDING && !it->alone && !it->waiting && area_ready(s, i))
			return i;
	}
	return SCHED_NONE;
}

bool sched_live(const struct sched *s, size_t i)
{
	return s->items[i].alone;
}

void sched_started(struct sched *s, size_t i)
{
	s->items[i].state = SCHED_RUNNING;
}

void sched_finished(struct sched *s, size_t i)
{
	s->items[i].state = SCHED_DONE;
}

size_t sched_next_emit(struct sched *s)
{
	if (s->emitted == s->n || s->items[s->emitted].state != SCHED_DONE)
		return SCHED_NONE;
	s->items[s->emitted].state = SCHED_EMITTED;
	return s->emitted++;
}

bool sched_complete(const struct sched *s)
{
	return s->emitted == s->n;
}
