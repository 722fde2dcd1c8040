// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/errmsg.c: the one error convention. The code given is the code
 * returned, whatever happens to the message; a message longer than its
 * buffer ends in "(cut)", never silently short; a NULL err is allowed.
 */
#include <errno.h>
#include <string.h>

#include "errmsg.h"
#include "kselftest_harness.h"

/* 20 characters: "abcdefghij" twice. */
#define TWENTY "abcdefghijabcdefghij"

FIXTURE(fit)
{
	char buf[65]; /* one past the largest variant, to see nothing is written there */
};

FIXTURE_VARIANT(fit)
{
	size_t size;	  /* the buffer errmsg() is given */
	const char *want; /* what it holds after TWENTY */
};

FIXTURE_VARIANT_ADD(fit, roomy){ .size = 64, .want = TWENTY };
FIXTURE_VARIANT_ADD(fit, exact){ .size = 21, .want = TWENTY };
FIXTURE_VARIANT_ADD(fit, one_short){ .size = 20, .want = "abcdefghijabc (cut)" };
FIXTURE_VARIANT_ADD(fit, cut_mark_only){ .size = 7, .want = " (cut)" };
/* Too small for the mark: cut without it, still terminated. */
FIXTURE_VARIANT_ADD(fit, below_the_mark){ .size = 4, .want = "abc" };

FIXTURE_SETUP(fit)
{
	memset(self->buf, 'x', sizeof(self->buf));
}

FIXTURE_TEARDOWN(fit)
{
}

TEST_F(fit, message_or_its_cut)
{
	EXPECT_EQ(-EINVAL, errmsg(self->buf, variant->size, -EINVAL, "%s", TWENTY));
	EXPECT_STREQ(variant->want, self->buf);
	EXPECT_EQ('x', self->buf[variant->size]); /* nothing past the buffer it was given */
}

TEST(returns_the_code_it_is_given)
{
	char buf[32];

	EXPECT_EQ(-ENOSPC, errmsg(buf, sizeof(buf), -ENOSPC, "%s: full", "out"));
	EXPECT_STREQ("out: full", buf);
	EXPECT_EQ(0, errmsg(buf, sizeof(buf), 0, "fine"));
	EXPECT_EQ(3, errmsg(buf, sizeof(buf), 3, "an exit status in cli/"));
}

TEST(null_or_empty_buffer_still_returns_the_code)
{
	char buf[4] = "abc";

	EXPECT_EQ(-EIO, errmsg(NULL, 0, -EIO, "%s", "lost"));
	EXPECT_EQ(-EIO, errmsg(NULL, 64, -EIO, "%s", "lost"));
	EXPECT_EQ(-EIO, errmsg_prefix(NULL, 64, -EIO, "%s", "lost"));
	EXPECT_EQ(-EIO, errmsg(buf, 0, -EIO, "%s", "lost"));
	EXPECT_STREQ("abc", buf);
}

TEST(prefix_adds_to_the_context)
{
	char buf[64] = "";

	/* Nothing before it: no ": ". */
	EXPECT_EQ(-ENOENT, errmsg_prefix(buf, sizeof(buf), -ENOENT, "%s", "no file"));
	EXPECT_STREQ("no file", buf);
	errmsg(buf, sizeof(buf), -ENOSPC, "out/junit.xml: No space left on device");
	EXPECT_EQ(-ENOSPC, errmsg_prefix(buf, sizeof(buf), -ENOSPC, "free space in %s", "out"));
	EXPECT_STREQ("out/junit.xml: No space left on device: free space in out", buf);
}

TEST(prefix_cut_says_so)
{
	char buf[24] = "context";

	EXPECT_EQ(-EINVAL, errmsg_prefix(buf, sizeof(buf), -EINVAL, "%s", TWENTY));
	EXPECT_STREQ("context: abcdefgh (cut)", buf);
	EXPECT_EQ(sizeof(buf) - 1, strlen(buf));
}

TEST_HARNESS_MAIN
