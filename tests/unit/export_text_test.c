// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * export/export_text.c: what a value may carry into a configuration file,
 * and a refused value shown on one line: a folder with a newline once gave
 * `export` a two-line message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "export/export_text.h"

static char *visible(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	export_text_put_visible(f, s);
	fclose(f);
	return buf;
}

static const struct {
	const char *in, *out;
} cases[] = {
	{ "/tmp/o\n6/initrd.img", "/tmp/o\\n6/initrd.img" },
	{ "a\tb", "a\\tb" },
	{ "\x1b[31mred", "\\x1b[31mred" },
	{ "del\x7f", "del\\x7f" },
	{ "caf\xc3\xa9 it's, \"q\" #", "caf\xc3\xa9 it's, \"q\" #" },
	{ "", "" },
};

TEST(put_visible_keeps_one_line)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = visible(cases[i].in);

		ASSERT_NE(NULL, got);
		EXPECT_STREQ(cases[i].out, got);
		EXPECT_EQ(NULL, strchr(got, '\n'));
		free(got);
	}
}

TEST(clean_text)
{
	EXPECT_TRUE(export_text_clean("console=ttyS0,115200 a#b c: d"));
	EXPECT_FALSE(export_text_clean("a\nb"));
	EXPECT_FALSE(export_text_clean("a\x01"));
	EXPECT_FALSE(export_text_clean("\xff\xfe"));
}

TEST_HARNESS_MAIN
