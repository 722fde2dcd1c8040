// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host-runner/guestagent/qga_wire.c: the QEMU guest agent's framing and
 * replies, fed as an untrusted guest might send them: any split, stale
 * replies before the sync sentinel, overlong lines, garbage, errors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "kselftest_harness.h"

#include "guestagent/qga_wire.h"

/* Feed all of s (in pieces of step bytes); collect the complete lines, '|'-joined. */
static void lines_of(struct qga_reader *r, const char *s, size_t len, size_t step, char *out,
		     size_t size)
{
	out[0] = '\0';
	for (size_t off = 0; off < len;) {
		size_t n = len - off < step ? len - off : step, used = 0;

		while (used < n) {
			used += qga_reader_feed(r, s + off + used, n - used);
			if (r->line_ready) {
				snprintf(out + strlen(out), size - strlen(out), "%s%s",
					 out[0] ? "|" : "", r->buf);
				qga_reader_next_line(r);
			}
		}
		off += n;
	}
}

TEST(framing_any_split)
{
	static const char in[] = "{\"return\": 1}\r\n\n{\"return\": {}}\n{\"ret";
	char out[256];

	for (size_t step = 1; step <= sizeof(in); step++) {
		struct qga_reader r;

		qga_reader_init(&r, 0);
		lines_of(&r, in, sizeof(in) - 1, step, out, sizeof(out));
		EXPECT_STREQ("{\"return\": 1}|{\"return\": {}}", out);
		qga_reader_free(&r);
	}
}

TEST(sentinel_drops_stale_replies)
{
	/* A previous client's half reply, then the sentinel, then ours. */
	static const char in[] = "{\"return\": 99}\n{\"retu\xff{\"return\": 7}\n";
	struct qga_reader r;
	char out[256];

	qga_reader_init(&r, 0);
	qga_reader_expect_sentinel(&r);
	lines_of(&r, in, sizeof(in) - 1, 3, out, sizeof(out));
	EXPECT_STREQ("{\"return\": 7}", out);
	EXPECT_TRUE(qga_reply_is_sync(out, strlen(out), 7));
	EXPECT_FALSE(qga_reply_is_sync(out, strlen(out), 99));
	qga_reader_free(&r);
}

TEST(overlong_line_dropped_and_counted)
{
	struct qga_reader r;
	char *in = malloc(300), out[256];

	ASSERT_NE(NULL, in);
	memset(in, 'x', 200);
	strcpy(in + 200, "\n{\"return\": 2}\n");
	qga_reader_init(&r, 64);
	lines_of(&r, in, strlen(in), 17, out, sizeof(out));
	EXPECT_STREQ("{\"return\": 2}", out);
	EXPECT_EQ(1u, r.dropped);
	qga_reader_free(&r);
	free(in);
}

TEST(replies)
{
	static const struct {
		const char *line;
		int code;
		const char *err; /* a part of the message, or the return as JSON */
	} cases[] = {
		{ "{\"return\": 42}", 0, "42" },
		{ "{\"return\": {\"pid\": 7}}", 0, "{ \"pid\": 7 }" },
		{ "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-exec "
		  "has been disabled for this instance\"}}",
		  -EREMOTEIO, "CommandNotFound: The command guest-exec has been disabled" },
		/* The guest's text is sanitised before anyone prints it. */
		{ "{\"error\": {\"class\": \"X\", \"desc\": \"a\\u001b[31mb\"}}", -EREMOTEIO,
		  "X: a?[31mb" },
		{ "{\"error\": 5}", -EPROTO, "neither" },
		{ "{\"neither\": 1}", -EPROTO, "neither" },
		{ "[1, 2]", -EPROTO, "not a JSON object" },
		{ "{\"return\": 1} trailing", -EPROTO, "not a JSON object" },
		{ "{\"return\": ", -EPROTO, "not a JSON object" },
		{ "\x01\x02garbage", -EPROTO, "??garbage" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *ret = NULL;
		char err[512] = "";
		int r = qga_reply_parse(cases[i].line, strlen(cases[i].line), &ret, err,
					sizeof(err));

		EXPECT_EQ(cases[i].code, r)
		TH_LOG("%s", cases[i].line);
		if (r == 0) {
			ASSERT_NE(NULL, ret);
			EXPECT_STREQ(cases[i].err, json_object_to_json_string(ret));
		} else {
			EXPECT_NE(NULL, strstr(err, cases[i].err))
			TH_LOG("%s: %s", cases[i].line, err);
		}
		json_object_put(ret);
	}
}

TEST(request_escapes_arguments)
{
	struct json_object *args = json_object_new_object(), *back, *v;
	char *line;

	json_object_object_add(args, "path", json_object_new_string("/run/a \"b\"\n\\c"));
	line = qga_request("guest-file-open", args);
	json_object_put(args);
	ASSERT_NE(NULL, line);
	/* One line: nothing the agent's parser would split. */
	EXPECT_EQ('\n', line[strlen(line) - 1]);
	EXPECT_EQ(NULL, memchr(line, '\n', strlen(line) - 1));
	back = json_tokener_parse(line);
	ASSERT_NE(NULL, back);
	ASSERT_TRUE(json_object_object_get_ex(back, "execute", &v));
	EXPECT_STREQ("guest-file-open", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(back, "arguments", &v));
	ASSERT_TRUE(json_object_object_get_ex(v, "path", &v));
	EXPECT_STREQ("/run/a \"b\"\n\\c", json_object_get_string(v));
	json_object_put(back);
	free(line);
}

TEST(base64_round_trip_and_refusals)
{
	unsigned char data[64];
	char *enc, *dec;
	size_t len;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 37 + 255);
	for (size_t n = 0; n <= sizeof(data); n++) {
		enc = qga_base64_encode(data, n);
		ASSERT_NE(NULL, enc);
		EXPECT_EQ((n + 2) / 3 * 4, strlen(enc));
		ASSERT_EQ(0, qga_base64_decode(enc, strlen(enc), 1024, &dec, &len));
		EXPECT_EQ(n, len);
		EXPECT_EQ(0, memcmp(data, dec, n));
		free(enc);
		free(dec);
	}
	/* RFC 4648's own vectors. */
	enc = qga_base64_encode("foobar", 6);
	EXPECT_STREQ("Zm9vYmFy", enc);
	free(enc);
	enc = qga_base64_encode("fo", 2);
	EXPECT_STREQ("Zm8=", enc);
	free(enc);
	EXPECT_EQ(-EINVAL, qga_base64_decode("Zm9", 3, 100, &dec, &len));
	EXPECT_EQ(-EINVAL, qga_base64_decode("Zm9*YmFy", 8, 100, &dec, &len));
	EXPECT_EQ(-EINVAL, qga_base64_decode("Zm=vYmFy", 8, 100, &dec, &len));
	EXPECT_EQ(-EFBIG, qga_base64_decode("Zm9vYmFy", 8, 5, &dec, &len));
	EXPECT_EQ(NULL, dec);
}

TEST_HARNESS_MAIN
