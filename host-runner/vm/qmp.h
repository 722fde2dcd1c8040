/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small QMP client (QEMU Machine Protocol: JSON lines over a unix socket,
 * docs/interop/qmp-spec). QEMU and the guest behind it are untrusted: every
 * message is bounded (QMP_MAX_MESSAGE), the event log is bounded
 * (QMP_MAX_EVENTS, the rest counted), every wait has a timeout, and garbage
 * is an error, never a crash.
 *
 *   qmp_attach(fd) / qmp_connect(path)   greeting + qmp_capabilities
 *   qmp_execute(q, "query-blockstats", NULL, 5000, &ret)
 *   qmp_read_events(q, 0)                collect what arrived, timestamped
 *   qmp_event_find(q, "SHUTDOWN")
 */
#ifndef GUESTCHECK_QMP_H
#define GUESTCHECK_QMP_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#define QMP_MAX_MESSAGE (1u << 20) /* one JSON line */
#define QMP_MAX_EVENTS	256

struct qmp_event {
	char name[64];	   /* "SHUTDOWN", "BLOCK_IO_ERROR", ... (sanitised) */
	double host_time;  /* CLOCK_MONOTONIC seconds when it was read */
	double qemu_time;  /* QEMU's own timestamp (seconds since the epoch), or -1 */
	json_object *data; /* the event's "data", owned by the client; may be NULL */
};

struct qmp;

/*
 * Take over a connected socket (QEMU as the client of a listening socket,
 * `-chardev socket,path=...` without server=on): read the greeting and
 * negotiate capabilities within timeout_ms. The client owns fd from then
 * on, also on failure. 0 or -errno, with a message in err.
 */
int qmp_attach(int fd, int timeout_ms, struct qmp **out, char *err, size_t errsize);

/* Connect to QEMU's QMP server socket (-qmp unix:PATH,server=on), then as qmp_attach. */
int qmp_connect(const char *path, int timeout_ms, struct qmp **out, char *err, size_t errsize);

/*
 * Run one command and wait for its reply, collecting the events that arrive
 * meanwhile. args may be NULL; it is not consumed. On success *ret (if not
 * NULL) gets the "return" value, which the caller puts. -EREMOTEIO when
 * QEMU answered with an error (qmp_error() says which), -ETIMEDOUT, -EPIPE
 * when QEMU went away, -EPROTO/-EMSGSIZE on garbage.
 */
int qmp_execute(struct qmp *q, const char *command, json_object *args, int timeout_ms,
		json_object **ret);

/*
 * A human monitor command (`info registers -a`, `info mtree -f`) through
 * human-monitor-command: 0 with *text, QEMU's answer (the caller frees it),
 * or as qmp_execute; -EPROTO when the answer is not text.
 */
int qmp_hmp(struct qmp *q, const char *command_line, int timeout_ms, char **text);

/*
 * Hand QEMU a descriptor as the monitor's fd named fdname: `getfd` with the
 * descriptor attached (SCM_RIGHTS), as libvirt and Incus pass tap queues.
 * QEMU gets its own copy; fd stays the caller's. 0 or as qmp_execute.
 */
int qmp_send_fd(struct qmp *q, int fd, const char *fdname, int timeout_ms);

/*
 * Read what QEMU sent within timeout_ms (0: only what is there) and collect
 * the events. 0, or -EPIPE at end of stream, -EPROTO/-EMSGSIZE on garbage.
 */
int qmp_read_events(struct qmp *q, int timeout_ms);

size_t qmp_event_count(const struct qmp *q);
const struct qmp_event *qmp_event_at(const struct qmp *q, size_t i);
/* The first event of that name, or NULL. */
const struct qmp_event *qmp_event_find(const struct qmp *q, const char *name);
/* Events past QMP_MAX_EVENTS: counted, not kept. */
size_t qmp_events_dropped(const struct qmp *q);

/* For poll(): readable means qmp_read_events() has something to do. */
int qmp_fd(const struct qmp *q);

/* The last error in words: "GenericError: ...", "timed out after 5000 ms", ... */
const char *qmp_error(const struct qmp *q);

/* Closes the socket and frees the events. NULL is fine. */
void qmp_close(struct qmp *q);

#endif
