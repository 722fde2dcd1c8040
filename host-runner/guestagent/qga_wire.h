/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QEMU guest agent's wire format, pure (unit-tested without a guest):
 * requests are one JSON object each, replies one JSON object per line
 * ({"return": ...} or {"error": {"class", "desc"}}). After
 * guest-sync-delimited the agent sends a 0xFF byte before its reply: the
 * reader drops everything before it (a previous client's stale replies).
 *
 * Every byte from the guest is untrusted: a reply line is bounded (longer
 * ones are dropped whole and counted), parsing never crashes on garbage,
 * and the guest's text kept in messages is sanitised and cut.
 */
#ifndef GUESTCHECK_QGA_WIRE_H
#define GUESTCHECK_QGA_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/*
 * The longest reply kept: guest-exec-status carries up to 16 MiB of stdout
 * and as much stderr (qemu-ga's GUEST_EXEC_MAX_OUTPUT), base64 (4/3) in one
 * line. QEMU's own JSON parser stops at 64 MiB.
 */
#define QGA_MAX_REPLY (48u << 20)

/* The sentinel qemu-ga writes before guest-sync-delimited's reply, and a client before its request.
 */
#define QGA_SENTINEL 0xff

struct qga_reader {
	char *buf; /* the partial line, then the complete one */
	size_t len, cap;
	size_t max;	    /* QGA_MAX_REPLY, or smaller in tests */
	bool want_sentinel; /* drop everything until a 0xFF */
	bool overlong;	    /* the current line passed max: dropped when it ends */
	size_t dropped;	    /* lines dropped as overlong */
	bool line_ready;    /* buf holds a complete line (without its '\n') */
};

void qga_reader_init(struct qga_reader *r, size_t max);
void qga_reader_free(struct qga_reader *r);

/* Start waiting for a sentinel (after sending guest-sync-delimited): the partial line is dropped.
 */
void qga_reader_expect_sentinel(struct qga_reader *r);

/*
 * Take bytes from data until a line is complete. Returns how many bytes it
 * consumed; when r->line_ready, r->buf holds the line (NUL-terminated,
 * r->len bytes) until qga_reader_next_line(). The caller feeds the rest again.
 */
size_t qga_reader_feed(struct qga_reader *r, const char *data, size_t n);
void qga_reader_next_line(struct qga_reader *r);

/* A request line (with its '\n'): malloc'd, NULL when out of memory. args may be NULL. */
char *qga_request(const char *command, struct json_object *args);

/*
 * One reply line: 0 with *ret (a reference the caller puts, may be NULL for
 * {"return": {}}-less replies), -EREMOTEIO when the agent answered an error
 * (err: its class and description, sanitised), -EPROTO when the line is not
 * a reply (err says what it was).
 */
int qga_reply_parse(const char *line, size_t len, struct json_object **ret, char *err,
		    size_t errsize);

/* guest-sync-delimited's reply to id? (a line, after the sentinel) */
bool qga_reply_is_sync(const char *line, size_t len, int64_t id);

/* Base64 (RFC 4648, with padding). encode: malloc'd, NUL-terminated, or NULL. */
char *qga_base64_encode(const void *data, size_t len);
/*
 * Decode at most max bytes into a malloc'd *out (NUL-terminated for
 * convenience): 0, -EINVAL on a character outside the alphabet or bad
 * padding, -EFBIG when the decoded data would exceed max.
 */
int qga_base64_decode(const char *s, size_t len, size_t max, char **out, size_t *outlen);

#endif
