// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/inet_port.c: "ADDR[:PORT]" for the agent's `peer =` (port optional,
 * 1-65535) and `guestcheck peer --listen` (port required, 0 = any free).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>

#include "inet_port.h"
#include "kselftest_harness.h"

TEST(accepted)
{
	static const struct {
		const char *s;
		bool need, zero;
		const char *addr;
		uint16_t port; /* 99: left as it was */
	} cases[] = {
		{ "10.0.2.2:7000", false, false, "10.0.2.2", 7000 },
		{ "10.0.2.2", false, false, "10.0.2.2", 99 },
		{ "127.0.0.1:0", true, true, "127.0.0.1", 0 },
		{ "255.255.255.255:65535", true, false, "255.255.255.255", 65535 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct in_addr a, want;
		uint16_t port = 99;

		ASSERT_EQ(0, parse_inet_port(cases[i].s, &a, &port, cases[i].need, cases[i].zero));
		ASSERT_EQ(1, inet_pton(AF_INET, cases[i].addr, &want));
		EXPECT_EQ(want.s_addr, a.s_addr);
		EXPECT_EQ(cases[i].port, port);
	}
}

TEST(refused)
{
	static const struct {
		const char *s;
		bool need, zero;
	} cases[] = {
		{ "10.0.2.2", true, true },	/* --listen needs a port */
		{ "10.0.2.2:0", false, false }, /* peer = ...:0 names no port */
		{ "10.0.2.2:65536", true, true },
		{ "10.0.2.2:70x", true, true },
		{ "localhost:7000", true, true }, /* no names: IPv4 only */
		{ ":7000", true, true },
		{ "10.0.2.2:7000:1", true, true },
		{ "1111111111111111111111111111111111:1", true, true }, /* too long */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct in_addr a;
		uint16_t port = 99;

		EXPECT_EQ(-EINVAL,
			  parse_inet_port(cases[i].s, &a, &port, cases[i].need, cases[i].zero))
		{
			TH_LOG("%s", cases[i].s);
		}
		EXPECT_EQ(99, port);
	}
}

TEST_HARNESS_MAIN
