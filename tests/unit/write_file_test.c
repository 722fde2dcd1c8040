// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/write_file.c: a write that fails is seen, whether it fails at the
 * write, in the middle of a stream, or only at the close. /dev/full takes
 * the open and refuses every byte with ENOSPC, as a full disk does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "write_file.h"

TEST(small_write_fails_at_the_close)
{
	EXPECT_EQ(-ENOSPC, write_file("/dev/full", "x\n", 2));
}

TEST(large_write_fails_at_the_write)
{
	static char big[1 << 16];

	EXPECT_EQ(-ENOSPC, write_file("/dev/full", big, sizeof(big)));
}

TEST(stream_failing_midway_says_why)
{
	FILE *f = fopen("/dev/full", "w");

	ASSERT_NE(NULL, f);
	for (int i = 0; i < 10000; i++)
		fputs("a line of a long report\n", f);
	EXPECT_EQ(-ENOSPC, fclose_checked(f));
}

TEST(missing_folder_is_its_errno)
{
	EXPECT_EQ(-ENOENT, write_file("/nonexistent/guestcheck/x", "x", 1));
}

TEST(good_write_is_zero)
{
	char path[] = "/tmp/guestcheck-write-file-XXXXXX", back[8] = "";
	int fd = mkstemp(path);
	FILE *f;

	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, write_file(path, "hello", 5));
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	EXPECT_NE(NULL, fgets(back, sizeof(back), f));
	fclose(f);
	unlink(path);
	EXPECT_STREQ("hello", back);
}

TEST_HARNESS_MAIN
