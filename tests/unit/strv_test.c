// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/strv.c: argument vectors, and the shell-quoted line written to
 * qemu-cmdline.txt, which a user pastes into a shell: it must give back
 * exactly the same arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "strv.h"

static char *join(const char *const *args, size_t n)
{
	struct strv v = { 0 };
	char *line;

	for (size_t i = 0; i < n; i++)
		strv_add(&v, args[i]);
	line = v.error ? NULL : strv_join_shell(&v);
	strv_free(&v);
	return line;
}

#define JOIN(...)                                                                                  \
	({                                                                                         \
		static const char *const _a[] = { __VA_ARGS__ };                                   \
		join(_a, ARRAY_SIZE(_a));                                                          \
	})

TEST(add_and_addf)
{
	struct strv v = { 0 };

	EXPECT_EQ(0U, v.n);
	strv_add(&v, "qemu");
	strv_addf(&v, "%s,accel=%s", "q35", "tcg");
	strv_addf(&v, "%lluM", 512ULL);
	ASSERT_EQ(0, v.error);
	ASSERT_EQ(3U, v.n);
	EXPECT_STREQ("qemu", v.v[0]);
	EXPECT_STREQ("q35,accel=tcg", v.v[1]);
	EXPECT_STREQ("512M", v.v[2]);
	EXPECT_EQ(NULL, v.v[3]);
	strv_free(&v);
	EXPECT_EQ(0U, v.n);
	EXPECT_EQ(NULL, v.v);
	strv_free(&v); /* twice is fine */
}

TEST(many_args)
{
	struct strv v = { 0 };

	for (int i = 0; i < 1000; i++)
		strv_addf(&v, "arg%d", i);
	ASSERT_EQ(0, v.error);
	ASSERT_EQ(1000U, v.n);
	EXPECT_STREQ("arg0", v.v[0]);
	EXPECT_STREQ("arg999", v.v[999]);
	EXPECT_EQ(NULL, v.v[1000]);
	strv_free(&v);
}

TEST(plain_words_stay_bare)
{
	_cleanup_free_ char *line = JOIN("qemu-system-x86_64", "-machine", "q35,accel=tcg", "-m",
					 "512M", "socket,id=ktap,path=/tmp/x/ktap.sock",
					 "chardev:console", "user@host", "a+b%c");

	ASSERT_NE(NULL, line);
	EXPECT_STREQ("qemu-system-x86_64 -machine q35,accel=tcg -m 512M "
		     "socket,id=ktap,path=/tmp/x/ktap.sock chardev:console user@host a+b%c",
		     line);
}

TEST(spaces_quotes_and_empty_strings)
{
	static const struct {
		const char *arg, *quoted;
	} cases[] = {
		{ "console=ttyS0 panic=-1 quiet", "'console=ttyS0 panic=-1 quiet'" },
		{ "", "''" },
		{ "it's", "'it'\\''s'" },
		{ "'", "''\\'''" },
		{ "''", "''\\'''\\'''" },
		{ "say \"hi\"", "'say \"hi\"'" },
		{ "$HOME", "'$HOME'" },
		{ "`id`", "'`id`'" },
		{ "a;b", "'a;b'" },
		{ "a|b&c", "'a|b&c'" },
		{ "*.img", "'*.img'" },
		{ "~", "'~'" },
		{ "back\\slash", "'back\\slash'" },
		{ "tab\there", "'tab\there'" },
		{ "new\nline", "'new\nline'" },
		{ "#comment", "'#comment'" },
		{ "(x)", "'(x)'" },
		{ "a!b", "'a!b'" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *args[] = { "x", cases[i].arg };
		_cleanup_free_ char *line = join(args, 2);
		char want[128];

		ASSERT_NE(NULL, line);
		snprintf(want, sizeof(want), "x %s", cases[i].quoted);
		EXPECT_STREQ(want, line);
	}
}

TEST(empty_vector)
{
	struct strv v = { 0 };
	_cleanup_free_ char *line = strv_join_shell(&v);

	ASSERT_NE(NULL, line);
	EXPECT_STREQ("", line);
}

/* Run `printf '%s\0' LINE` in /bin/sh and split what it prints. */
static size_t shell_split(const char *line, char out[][64], size_t max)
{
	char cmd[4096], buf[4096];
	size_t len, n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "printf '%%s\\0' %s", line);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	len = fread(buf, 1, sizeof(buf), p);
	pclose(p);
	for (size_t off = 0; off < len && n < max; n++) {
		snprintf(out[n], 64, "%s", buf + off);
		off += strlen(buf + off) + 1;
	}
	return n;
}

TEST(the_shell_gives_back_the_same_arguments)
{
	static const char *const args[] = {
		"qemu-system-x86_64",
		"-append",
		"console=ttyS0 panic=-1 quiet loglevel=7",
		"",
		"it's \"quoted\"",
		"$(touch /tmp/guestcheck-strv-pwned)",
		"`id` ; rm -rf nothing",
		"a\\b\tc\nd",
		"'",
		"-drive",
		"if=none,id=sd0,file=/tmp/a b/sd0.img,format=raw",
	};
	struct strv v = { 0 };
	_cleanup_free_ char *line = NULL;
	char out[ARRAY_SIZE(args) + 2][64];
	size_t n;

	for (size_t i = 0; i < ARRAY_SIZE(args); i++)
		strv_add(&v, args[i]);
	line = strv_join_shell(&v);
	strv_free(&v);
	ASSERT_NE(NULL, line);
	n = shell_split(line, out, ARRAY_SIZE(out));
	ASSERT_EQ(ARRAY_SIZE(args), n) TH_LOG("%s", line);
	for (size_t i = 0; i < n; i++)
		EXPECT_STREQ(args[i], out[i]);
	EXPECT_NE(0, access("/tmp/guestcheck-strv-pwned", F_OK));
}

TEST_HARNESS_MAIN
