// SPDX-License-Identifier: GPL-2.0-or-later
#include "guestagent/qga_wire.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "errmsg.h"

#include "session/ktap_parse.h"

void qga_reader_init(struct qga_reader *r, size_t max)
{
	*r = (struct qga_reader){ .max = max ?: QGA_MAX_REPLY };
}

void qga_reader_free(struct qga_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = 0;
}

void qga_reader_expect_sentinel(struct qga_reader *r)
{
	r->want_sentinel = true;
	r->len = 0;
	r->overlong = false;
	r->line_ready = false;
}

void qga_reader_next_line(struct qga_reader *r)
{
	r->len = 0;
	r->line_ready = false;
}

static int append(struct qga_reader *r, const char *data, size_t n)
{
	if (r->overlong || r->len + n > r->max) {
		r->overlong = true;
		r->len = 0;
		return 0;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		char *p;

		while (cap < r->len + n + 1)
			cap *= 2;
		if (cap > r->max + 1)
			cap = r->max + 1;
		p = realloc(r->buf, cap);
		if (!p)
			return -ENOMEM;
		r->buf = p;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return 0;
}

size_t qga_reader_feed(struct qga_reader *r, const char *data, size_t n)
{
	size_t i = 0;

	if (r->line_ready)
		return 0;
	while (i < n) {
		const char *ff, *nl;
		size_t chunk;

		if (r->want_sentinel) {
			ff = memchr(data + i, QGA_SENTINEL, n - i);
			if (!ff)
				return n;
			i = ff - data + 1;
			r->want_sentinel = false;
			r->len = 0;
			r->overlong = false;
			continue;
		}
		/* A sentinel in the middle: the agent restarted its output; start afresh. */
		ff = memchr(data + i, QGA_SENTINEL, n - i);
		nl = memchr(data + i, '\n', n - i);
		if (ff && (!nl || ff < nl)) {
			r->len = 0;
			r->overlong = false;
			i = ff - data + 1;
			continue;
		}
		chunk = (nl ? (size_t)(nl - data) : n) - i;
		if (append(r, data + i, chunk) < 0) {
			/* Out of memory: the line is lost like an overlong one. */
			r->overlong = true;
			r->len = 0;
		}
		i += chunk;
		if (!nl)
			break;
		i++; /* the '\n' */
		if (r->overlong) {
			r->overlong = false;
			r->len = 0;
			r->dropped++;
			continue;
		}
		/* Blank lines (and a '\r' before '\n') separate nothing. */
		while (r->len && (r->buf[r->len - 1] == '\r' || r->buf[r->len - 1] == ' '))
			r->buf[--r->len] = '\0';
		if (!r->len)
			continue;
		r->line_ready = true;
		return i;
	}
	return i;
}

char *qga_request(const char *command, struct json_object *args)
{
	struct json_object *o = json_object_new_object();
	const char *s;
	char *line = NULL;

	if (!o)
		return NULL;
	json_object_object_add(o, "execute", json_object_new_string(command));
	if (args)
		json_object_object_add(o, "arguments", json_object_get(args));
	s = json_object_to_json_string_ext(o,
					   JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s && asprintf(&line, "%s\n", s) < 0)
		line = NULL;
	json_object_put(o);
	return line;
}

/* The guest's text for a message: sanitised, at most size - 1 bytes of its first max. */
static void guest_text(char *buf, size_t size, const char *s, size_t max)
{
	size_t n = s ? strnlen(s, max) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(buf, s, n);
	buf[n] = '\0';
	ktap_sanitize(buf, n);
}

static struct json_object *parse_object(const char *line, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	struct json_object *o;

	if (!tok)
		return NULL;
	o = json_tokener_parse_ex(tok, line, (int)len);
	/* Trailing bytes after the object, or an unfinished one: not a reply. */
	if (o && (json_tokener_get_error(tok) != json_tokener_success ||
		  tok->char_offset != (int)len || !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

int qga_reply_parse(const char *line, size_t len, struct json_object **ret, char *err,
		    size_t errsize)
{
	struct json_object *o, *v, *e;
	char cls[64], desc[256];
	int r;

	*ret = NULL;
	if (len > INT32_MAX || !(o = parse_object(line, len))) {
		guest_text(desc, sizeof(desc), line, len);
		return errmsg(err, errsize, -EPROTO, "not a JSON object: \"%s%s\"", desc,
			      len >= sizeof(desc) ? "..." : "");
	}
	if (json_object_object_get_ex(o, "return", &v)) {
		*ret = json_object_get(v);
		r = 0;
	} else if (json_object_object_get_ex(o, "error", &e) &&
		   json_object_is_type(e, json_type_object)) {
		guest_text(cls, sizeof(cls),
			   json_object_object_get_ex(e, "class", &v) ? json_object_get_string(v)
								     : NULL,
			   200);
		guest_text(desc, sizeof(desc),
			   json_object_object_get_ex(e, "desc", &v) ? json_object_get_string(v)
								    : NULL,
			   200);
		r = errmsg(err, errsize, -EREMOTEIO, "%s: %s", cls[0] ? cls : "error",
			   desc[0] ? desc : "(no description)");
	} else {
		r = errmsg(err, errsize, -EPROTO,
			   "a JSON object with neither \"return\" nor \"error\"");
	}
	json_object_put(o);
	return r;
}

bool qga_reply_is_sync(const char *line, size_t len, int64_t id)
{
	struct json_object *ret = NULL;
	char err[8];
	bool yes;

	if (qga_reply_parse(line, len, &ret, err, sizeof(err)) < 0)
		return false;
	yes = ret && json_object_is_type(ret, json_type_int) && json_object_get_int64(ret) == id;
	json_object_put(ret);
	return yes;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *qga_base64_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = p[i] << 16 | (i + 1 < len ? p[i + 1] << 8 : 0) |
			     (i + 2 < len ? p[i + 2] : 0);

		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < len ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? b64[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int qga_base64_decode(const char *s, size_t len, size_t max, char **out, size_t *outlen)
{
	size_t n = 0, pad = 0;
	uint32_t acc = 0;
	unsigned int bits = 0;
	char *buf;

	*out = NULL;
	*outlen = 0;
	if (len % 4)
		return -EINVAL;
	while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
		pad++;
	if (len / 4 * 3 - pad > max)
		return -EFBIG;
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < len - pad; i++) {
		int v = b64_value((unsigned char)s[i]);

		if (v < 0) {
			free(buf);
			return -EINVAL;
		}
		acc = acc << 6 | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[n++] = (char)(acc >> bits);
		}
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}
