// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `guestcheck diagnose`'s pure parts: the allow-list every QMP command it
 * sends goes through (queries only: it must change nothing), and the tap
 * queue wording it shares with the runner (usbnet/tap_findings.c).
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "usbnet/diagnose.h"
#include "usbnet/tap_findings.h"

static bool hmp_allowed(const char *line)
{
	json_object *a = json_object_new_object();
	bool ok;

	json_object_object_add(a, "command-line", json_object_new_string(line));
	ok = diagnose_command_allowed("human-monitor-command", a);
	json_object_put(a);
	return ok;
}

TEST(only_queries_leave)
{
	static const char *const changing[] = { "set_link",   "device_del",   "device_add",
						"netdev_del", "netdev_add",   "cont",
						"stop",	      "system_reset", "quit",
						"qom-set",    "getfd",	      "" };

	EXPECT_TRUE(diagnose_command_allowed("query-version", NULL));
	EXPECT_TRUE(diagnose_command_allowed("query-status", NULL));
	EXPECT_TRUE(diagnose_command_allowed("qom-list", NULL));
	EXPECT_TRUE(diagnose_command_allowed("qom-get", NULL));
	for (size_t i = 0; i < sizeof(changing) / sizeof(changing[0]); i++)
		EXPECT_FALSE(diagnose_command_allowed(changing[i], NULL));
	EXPECT_TRUE(hmp_allowed("info network"));
	EXPECT_FALSE(hmp_allowed("set_link net1 off"));
	EXPECT_FALSE(hmp_allowed("netdev_del net1-orig"));
	EXPECT_FALSE(hmp_allowed("information"));
	EXPECT_FALSE(diagnose_command_allowed("human-monitor-command", NULL));
}

struct queue_case {
	uint8_t state[4];
	unsigned int queues;
	const char *expect; /* NULL: no finding */
};

static const struct queue_case queue_cases[] = {
	{ { 0, 0, 0, 0 }, 4, NULL },
	{ { 1 }, 1, "note: tap gc0: all 1 queues attached (TUNGETIFF) now" },
	{ { 1, 2, 2, 2 },
	  4,
	  "note: tap gc0: queues 1, 2, 3 of 4 detached (TUNGETIFF: IFF_DETACH_QUEUE) now: the "
	  "kernel neither hands frames to a detached queue nor takes frames written to it" },
	{ { 2, 1 },
	  2,
	  "loss: tap gc0: queue 0 of 2 detached (TUNGETIFF: IFF_DETACH_QUEUE) now: the kernel "
	  "neither hands frames to a detached queue nor takes frames written to it; queue 0, the "
	  "one a single-queue usb-net sends on, is among them: nothing the guest sends reaches "
	  "the tap" },
	{ { 0, 2 },
	  2,
	  "note: tap gc0: queue 1 of 2 detached (TUNGETIFF: IFF_DETACH_QUEUE) now: the kernel "
	  "neither hands frames to a detached queue nor takes frames written to it" },
};

TEST(queue_wording)
{
	for (size_t i = 0; i < sizeof(queue_cases) / sizeof(queue_cases[0]); i++) {
		const struct queue_case *c = &queue_cases[i];
		char *s = tap_queue_finding("gc0", c->state, c->queues, "now");

		if (!c->expect) {
			EXPECT_EQ(NULL, s);
		} else {
			EXPECT_STREQ(c->expect, s ?: "(null)");
		}
		free(s);
	}
}

TEST_HARNESS_MAIN
