// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/config.c: INI documents with line numbers. Every error must name the
 * line (and, for a repeat, the first one too) so scenario errors can.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kselftest_harness.h"

static int load(struct config *cfg, const char *text, char *err, size_t size)
{
	return config_load_string(cfg, text, err, size);
}

TEST(sections_keys_values_and_lines)
{
	static const char text[] = "# a comment\n"
				   "; another\n"
				   "[scenario]\n"
				   "name = default\n"
				   "\n"
				   "description=  spaces around are trimmed   \n"
				   "[device sd0]\n"
				   "type = sd-card\n"
				   "size: 64M\n"; /* inih takes ':' too */
	struct config cfg;
	const struct config_section *sec;
	const struct config_entry *e;
	char err[256];

	ASSERT_EQ(0, load(&cfg, text, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("", err);
	EXPECT_STREQ("<string>", cfg.path);
	ASSERT_EQ(2U, cfg.nsections);

	sec = config_section(&cfg, "scenario");
	ASSERT_NE(NULL, sec);
	EXPECT_EQ(3, sec->line);
	ASSERT_EQ(2U, sec->nentries);
	e = config_entry(sec, "name");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("default", e->value);
	EXPECT_EQ(4, e->line);
	e = config_entry(sec, "description");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("spaces around are trimmed", e->value);
	EXPECT_EQ(6, e->line);

	sec = config_section(&cfg, "device sd0");
	ASSERT_NE(NULL, sec);
	EXPECT_EQ(7, sec->line);
	EXPECT_EQ(9, config_entry(sec, "size")->line);
	EXPECT_STREQ("sd-card", config_get(&cfg, "device sd0", "type"));
	EXPECT_STREQ("64M", config_get(&cfg, "device sd0", "size"));

	EXPECT_EQ(NULL, config_section(&cfg, "machine"));
	EXPECT_EQ(NULL, config_entry(sec, "image"));
	EXPECT_EQ(NULL, config_entry(NULL, "image"));
	EXPECT_EQ(NULL, config_get(&cfg, "machine", "memory"));
	EXPECT_EQ(NULL, config_get(&cfg, "scenario", "size"));
	config_free(&cfg);
	EXPECT_EQ(0U, cfg.nsections);
	EXPECT_EQ(NULL, cfg.sections);
}

TEST(section_line_is_the_header_even_after_blank_lines)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(0, load(&cfg, "[a]\n\n# c\n\nx = 1\n\n[b]\n\n\ny = 2\n", err, sizeof(err)));
	EXPECT_EQ(1, config_section(&cfg, "a")->line);
	EXPECT_EQ(5, config_entry(config_section(&cfg, "a"), "x")->line);
	EXPECT_EQ(7, config_section(&cfg, "b")->line);
	EXPECT_EQ(10, config_entry(config_section(&cfg, "b"), "y")->line);
	config_free(&cfg);
}

TEST(inline_semicolon_comments)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(0, load(&cfg,
			  "[m] ; the machine\n"
			  "memory = 512M ; guest RAM\n"
			  "append = a;b\n" /* no space before ';': part of the value */
			  "hash = x # not a comment\n",
			  err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_STREQ("512M", config_get(&cfg, "m", "memory"));
	EXPECT_STREQ("a;b", config_get(&cfg, "m", "append"));
	EXPECT_STREQ("x # not a comment", config_get(&cfg, "m", "hash"));
	config_free(&cfg);
}

TEST(empty_documents)
{
	static const char *const texts[] = { "", "\n\n", "# only\n; comments\n", "   \n\t\n" };
	struct config cfg;
	char err[256];

	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		ASSERT_EQ(0, load(&cfg, texts[i], err, sizeof(err))) TH_LOG("%s", err);
		EXPECT_EQ(0U, cfg.nsections);
		EXPECT_EQ(NULL, config_section(&cfg, "scenario"));
		EXPECT_EQ(NULL, config_get(&cfg, "scenario", "name"));
		config_free(&cfg);
	}
}

TEST(last_line_without_newline)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(0, load(&cfg, "[a]\nx = 1\ny = 2", err, sizeof(err)));
	EXPECT_STREQ("2", config_get(&cfg, "a", "y"));
	EXPECT_EQ(3, config_entry(config_section(&cfg, "a"), "y")->line);
	config_free(&cfg);
}

TEST(crlf_lines)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(0, load(&cfg, "[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2\r\n", err, sizeof(err)));
	EXPECT_STREQ("1", config_get(&cfg, "a", "x"));
	EXPECT_EQ(4, config_section(&cfg, "b")->line);
	EXPECT_EQ(5, config_entry(config_section(&cfg, "b"), "y")->line);
	config_free(&cfg);
}

TEST(keys_before_any_section)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(0, load(&cfg, "# top\nx = 1\ny = 2\n[a]\nz = 3\n", err, sizeof(err)));
	ASSERT_EQ(2U, cfg.nsections);
	EXPECT_STREQ("", cfg.sections[0].name);
	EXPECT_EQ(2, cfg.sections[0].line);
	EXPECT_EQ(2U, cfg.sections[0].nentries);
	EXPECT_STREQ("2", config_get(&cfg, "", "y"));
	config_free(&cfg);
}

TEST(same_key_in_two_sections_is_fine)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(0, load(&cfg, "[device a]\ntype = x\n[device b]\ntype = y\n", err, sizeof(err)));
	EXPECT_STREQ("x", config_get(&cfg, "device a", "type"));
	EXPECT_STREQ("y", config_get(&cfg, "device b", "type"));
	config_free(&cfg);
}

/* A key or a section set twice: refused, naming both lines and the fix. */
FIXTURE(repeated){};
FIXTURE_SETUP(repeated)
{
}
FIXTURE_TEARDOWN(repeated)
{
}

FIXTURE_VARIANT(repeated)
{
	const char *text;
	const char *error;
};

FIXTURE_VARIANT_ADD(repeated, key){
	.text = "[scenario]\nname = a\n\ndescription = d\nname = b\n",
	.error = "<string>:5: 'name' is set twice in [scenario] (first on line 2): keep one",
};
FIXTURE_VARIANT_ADD(repeated, section){
	.text = "[machine]\ncpus = 1\n[scenario]\nname = x\n\n[machine]\nmemory = 1G\n",
	.error = "<string>:6: section [machine] appears twice (first on line 1): merge the two "
		 "into one",
};
/* The handler sees "machine" twice in a row: only the header lines tell. */
FIXTURE_VARIANT_ADD(repeated, section_back_to_back){
	.text = "[machine]\ncpus = 1\n[machine]\nmemory = 1G\n",
	.error = "<string>:3: section [machine] appears twice (first on line 1): merge the two "
		 "into one",
};

TEST_F(repeated, names_both_lines)
{
	struct config cfg;
	char err[256];

	EXPECT_EQ(-EINVAL, load(&cfg, variant->text, err, sizeof(err)));
	EXPECT_STREQ(variant->error, err);
	EXPECT_EQ(0U, cfg.nsections);
}

TEST(syntax_error_names_the_line)
{
	static const struct {
		const char *text;
		int line;
	} cases[] = {
		{ "[scenario]\nthis is not ini\n", 2 },
		{ "[scenario]\nname = x\n\n[machine\ncpus = 1\n", 4 },
		{ "[a]\nx = 1\njust words\n", 3 },
		{ "garbage first\n[a]\nx = 1\n", 1 },
	};
	struct config cfg;
	char err[256], want[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ(-EINVAL, load(&cfg, cases[i].text, err, sizeof(err)));
		snprintf(want, sizeof(want),
			 "<string>:%d: not 'key = value', '[section]' or a '#'/';' comment: fix "
			 "the line",
			 cases[i].line);
		EXPECT_STREQ(want, err);
		EXPECT_EQ(0U, cfg.nsections);
	}
}

TEST(overlong_line_is_an_error_not_two_lines)
{
	/* inih reads 200-byte lines: a longer one must not become two entries. */
	char text[512], err[256];
	struct config cfg;

	snprintf(text, sizeof(text), "[machine]\ncpus = 1\nappend = %0300d=1\n", 0);
	EXPECT_EQ(-EINVAL, load(&cfg, text, err, sizeof(err)));
	EXPECT_STREQ("<string>:3: line longer than 198 characters: shorten it", err);

	/* 198 characters and its newline still fit. */
	snprintf(text, sizeof(text), "[m]\nk = %0194d\n", 7);
	ASSERT_EQ(203U, strlen(text));
	ASSERT_EQ(0, load(&cfg, text, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(194U, strlen(config_get(&cfg, "m", "k")));
	config_free(&cfg);
}

TEST(load_file_counts_lines_like_load_string)
{
	static const char text[] = "[scenario]\nname = f\n\n[device x]\ntype = t\n";
	char path[] = "/tmp/guestcheck-config-XXXXXX", err[256];
	struct config cfg;
	FILE *f;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	fputs(text, f);
	fclose(f);
	ASSERT_EQ(0, config_load_file(&cfg, path, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ(path, cfg.path);
	EXPECT_EQ(4, config_section(&cfg, "device x")->line);
	EXPECT_EQ(5, config_entry(config_section(&cfg, "device x"), "type")->line);
	config_free(&cfg);

	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "[a]\nk = 1\nk = 2\n");
	fclose(f);
	EXPECT_EQ(-EINVAL, config_load_file(&cfg, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":3: 'k' is set twice in [a] (first on line 2)"))
	TH_LOG("%s", err);

	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "[a]\nk = %0300d\n", 1);
	fclose(f);
	EXPECT_EQ(-EINVAL, config_load_file(&cfg, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":2: line longer than 198 characters")) TH_LOG("%s", err);
	unlink(path);

	EXPECT_EQ(-ENOENT, config_load_file(&cfg, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "cannot open")) TH_LOG("%s", err);
}

TEST(section_suffix)
{
	struct config_section sec = { .name = "device sd0" };

	EXPECT_STREQ("sd0", config_section_suffix(&sec, "device"));
	EXPECT_EQ(NULL, config_section_suffix(&sec, "machine"));
	EXPECT_EQ(NULL, config_section_suffix(&sec, "dev"));
	sec.name = "device";
	EXPECT_EQ(NULL, config_section_suffix(&sec, "device"));
	sec.name = "device ";
	EXPECT_EQ(NULL, config_section_suffix(&sec, "device"));
	sec.name = "devicesd0";
	EXPECT_EQ(NULL, config_section_suffix(&sec, "device"));
	sec.name = "device a b";
	EXPECT_STREQ("a b", config_section_suffix(&sec, "device"));
	sec.name = "";
	EXPECT_EQ(NULL, config_section_suffix(&sec, "device"));
}

TEST_HARNESS_MAIN
