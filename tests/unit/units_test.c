// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/units.c: the strict number, size, duration and boolean parsers every
 * scenario key goes through, and format_size() that messages print with.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "units.h"

/* A sentinel: a failed parse must leave the output alone. */
#define UNTOUCHED 0x5a5a5a5a5a5a5a5aULL

TEST(u64_valid)
{
	uint64_t v = UNTOUCHED;

	ASSERT_EQ(0, parse_u64("0", &v));
	EXPECT_EQ(0ULL, v);
	ASSERT_EQ(0, parse_u64("42", &v));
	EXPECT_EQ(42ULL, v);
	ASSERT_EQ(0, parse_u64("007", &v));
	EXPECT_EQ(7ULL, v);
	ASSERT_EQ(0, parse_u64("18446744073709551615", &v));
	EXPECT_EQ(UINT64_MAX, v);
}

TEST(u64_overflow_is_erange)
{
	uint64_t v = UNTOUCHED;

	EXPECT_EQ(-ERANGE, parse_u64("18446744073709551616", &v));
	EXPECT_EQ(-ERANGE, parse_u64("99999999999999999999999", &v));
	EXPECT_EQ(UNTOUCHED, v);
}

TEST(u64_rejects_signs_junk_empty_null)
{
	static const char *const bad[] = {
		"", " 1", "1 ", "+1", "-1", "-0", "1x", "0x10", "1.0", "1e3", "one", "1K", "\t1",
	};
	uint64_t v = UNTOUCHED;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, parse_u64(bad[i], &v)) TH_LOG("parse_u64('%s')", bad[i]);
	}
	EXPECT_EQ(-EINVAL, parse_u64(NULL, &v));
	EXPECT_EQ(UNTOUCHED, v);
}

TEST(size_suffixes_are_powers_of_1024)
{
	static const struct {
		const char *in;
		uint64_t bytes;
	} cases[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "512B", 512 },
		{ "64K", 64ULL << 10 },
		{ "64k", 64ULL << 10 },
		{ "64KiB", 64ULL << 10 },
		{ "64kib", 64ULL << 10 },
		{ "64M", 64ULL << 20 },
		{ "64MiB", 64ULL << 20 },
		{ "1G", 1ULL << 30 },
		{ "1GiB", 1ULL << 30 },
		{ "2T", 2ULL << 40 },
		{ "2TiB", 2ULL << 40 },
		{ "16777215T", 16777215ULL << 40 }, /* the largest T that fits */
		{ "18446744073709551615", UINT64_MAX },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t v = UNTOUCHED;

		ASSERT_EQ(0, parse_size(cases[i].in, &v)) TH_LOG("parse_size('%s')", cases[i].in);
		EXPECT_EQ(cases[i].bytes, v) TH_LOG("parse_size('%s')", cases[i].in);
	}
}

TEST(size_overflow_is_erange)
{
	uint64_t v = UNTOUCHED;

	EXPECT_EQ(-ERANGE, parse_size("16777216T", &v)); /* exactly 2^64 */
	EXPECT_EQ(-ERANGE, parse_size("17179869184G", &v));
	EXPECT_EQ(-ERANGE, parse_size("17592186044416M", &v));
	EXPECT_EQ(-ERANGE, parse_size("18014398509481984K", &v));
	EXPECT_EQ(-ERANGE, parse_size("18446744073709551616", &v));
	EXPECT_EQ(UNTOUCHED, v);
}

TEST(size_rejects_junk)
{
	static const char *const bad[] = {
		"",   "M",    "-1M",  "+1M", " 1M",   "1M ", "1 M", "1MB",  "1KB", "1P",
		"1E", "1.5M", "0x10", "1e3", "1MiBx", "1i",  "1iB", "64Mi", "ten",
	};
	uint64_t v = UNTOUCHED;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, parse_size(bad[i], &v)) TH_LOG("parse_size('%s')", bad[i]);
	}
	EXPECT_EQ(-EINVAL, parse_size(NULL, &v));
	EXPECT_EQ(UNTOUCHED, v);
}

TEST(duration_forms)
{
	static const struct {
		const char *in;
		uint64_t ms;
	} cases[] = {
		{ "30", 30000 },  { "30s", 30000 }, { "0", 0 },		{ "2m", 120000 },
		{ "1.5s", 1500 }, { "1.5", 1500 },  { "0.25m", 15000 }, { "250ms", 250 },
		{ "0.5ms", 1 },	  { "0ms", 0 },	    { "1.", 1000 },	{ "86400s", 86400000 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t v = UNTOUCHED;

		ASSERT_EQ(0, parse_duration_ms(cases[i].in, &v))
		TH_LOG("parse_duration_ms('%s')", cases[i].in);
		EXPECT_EQ(cases[i].ms, v) TH_LOG("parse_duration_ms('%s')", cases[i].in);
	}
}

TEST(duration_rejects_junk)
{
	/* Strict like the others: no hex, no exponent, no sign, no unknown unit. */
	static const char *const bad[] = {
		"",	"s",   "-1s",  "+1s", " 1s", "1s ",   "1 s",   "1h",   "1sec", ".5s",
		"0x10", "1e3", "1e3s", "inf", "nan", "1..5s", "1.2.3", "5mss", "ms",
	};
	uint64_t v = UNTOUCHED;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, parse_duration_ms(bad[i], &v))
		TH_LOG("parse_duration_ms('%s')", bad[i]);
	}
	EXPECT_EQ(-EINVAL, parse_duration_ms(NULL, &v));
	EXPECT_EQ(UNTOUCHED, v);
}

TEST(duration_overflow_is_erange)
{
	uint64_t v = UNTOUCHED;

	EXPECT_EQ(-ERANGE, parse_duration_ms("99999999999999999999s", &v));
	EXPECT_EQ(-ERANGE, parse_duration_ms("100000000000000m", &v));
	EXPECT_EQ(UNTOUCHED, v);
}

TEST(bool_words)
{
	static const char *const yes[] = { "yes", "YES", "true", "True", "1", "on", "ON" };
	static const char *const no[] = { "no", "No", "false", "FALSE", "0", "off", "Off" };
	static const char *const bad[] = { "", "y", "n", "2", "yes ", " no", "enable", "-1" };
	int b;

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		b = -1;
		ASSERT_EQ(0, parse_bool(yes[i], &b)) TH_LOG("parse_bool('%s')", yes[i]);
		EXPECT_EQ(1, b) TH_LOG("parse_bool('%s')", yes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
		b = -1;
		ASSERT_EQ(0, parse_bool(no[i], &b)) TH_LOG("parse_bool('%s')", no[i]);
		EXPECT_EQ(0, b) TH_LOG("parse_bool('%s')", no[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		b = -1;
		EXPECT_EQ(-EINVAL, parse_bool(bad[i], &b)) TH_LOG("parse_bool('%s')", bad[i]);
		EXPECT_EQ(-1, b);
	}
	EXPECT_EQ(-EINVAL, parse_bool(NULL, &b));
}

TEST(format_size_units_only_for_exact_multiples)
{
	static const struct {
		uint64_t bytes;
		const char *text;
	} cases[] = {
		{ 0, "0 bytes" },
		{ 1, "1 bytes" },
		{ 1023, "1023 bytes" },
		{ 1024, "1 KiB" },
		{ 1536, "1536 bytes" },
		{ 64ULL << 20, "64 MiB" },
		{ 1572864, "1536 KiB" }, /* 1.5 MiB: exact in KiB only */
		{ 1ULL << 30, "1 GiB" },
		{ 3ULL << 40, "3 TiB" },
		{ 1ULL << 50, "1024 TiB" }, /* no unit past TiB */
		{ UINT64_MAX, "18446744073709551615 bytes" },
	};
	char buf[64];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_TRUE(format_size(cases[i].bytes, buf, sizeof(buf)) == buf);
		EXPECT_STREQ(cases[i].text, buf);
	}
}

TEST(format_size_truncates_to_the_buffer)
{
	char buf[4];

	format_size(64ULL << 20, buf, sizeof(buf));
	EXPECT_STREQ("64 ", buf);
}

TEST(parse_size_reads_what_format_size_writes)
{
	/* Round trip through the QEMU-style suffix: "64 MiB" -> "64MiB". */
	static const uint64_t sizes[] = { 4096, 64ULL << 20, 3ULL << 30, 5ULL << 40 };
	char buf[64];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint64_t v = 0;
		char *space;

		format_size(sizes[i], buf, sizeof(buf));
		space = strchr(buf, ' ');
		ASSERT_NE(NULL, space);
		memmove(space, space + 1, strlen(space));
		if (!strcmp(space, "bytes"))
			*space = '\0';
		ASSERT_EQ(0, parse_size(buf, &v)) TH_LOG("parse_size('%s')", buf);
		EXPECT_EQ(sizes[i], v);
	}
}

TEST_HARNESS_MAIN
