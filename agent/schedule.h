/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which check may start now and which result may be written now: pure
 * bookkeeping, no processes (agent/runner.c drives it; tests/unit tests it).
 *
 * The checks are in registry order. A check may start when its area's
 * devices are there (the caller keeps `waiting`), the check before it in its
 * own area is done (areas run side by side, each in order), no CHECK_ALONE
 * check is running, and no alone check is due. An alone check is
 * due once every result before it is written (the caller writes each as soon
 * as it can); nothing new starts then, and it starts when nothing runs. So it
 * waits at most for the checks after it that were already running, and its
 * own output can go to the stream as it comes (live).
 *
 * Results are written in registry order, each as soon as it and all before
 * it are done.
 */
#ifndef GUESTCHECK_AGENT_SCHEDULE_H
#define GUESTCHECK_AGENT_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

enum sched_state {
	SCHED_PENDING,
	SCHED_RUNNING,
	SCHED_DONE,    /* finished, result not yet written */
	SCHED_EMITTED, /* result written */
};

struct sched_item {
	unsigned int area; /* checks with the same number run one after another */
	bool alone;
	bool waiting; /* for its area's devices: may not start yet */
	enum sched_state state;
};

struct sched {
	struct sched_item *items; /* the caller's array, registry order */
	size_t n;
	size_t emitted; /* items[0 .. emitted) are written */
};

#define SCHED_NONE ((size_t)-1)

/* A check that may start now (the first in registry order), or SCHED_NONE. */
size_t sched_next_start(const struct sched *s);

/* Whether check i writes its output straight to the stream (an alone check). */
bool sched_live(const struct sched *s, size_t i);

void sched_started(struct sched *s, size_t i);
void sched_finished(struct sched *s, size_t i);

/*
 * The next result to write, now marked written, or SCHED_NONE when the
 * first unwritten check is not done yet (or all are written).
 */
size_t sched_next_emit(struct sched *s);

/* How many checks are running. */
size_t sched_running(const struct sched *s);

/* Every result written. */
bool sched_complete(const struct sched *s);

#endif
