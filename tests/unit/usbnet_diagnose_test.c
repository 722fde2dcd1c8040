// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `guestcheck diagnose`'s pure parts: the allow-list every QMP command it
 * sends goes through (queries only: it must change nothing), the tap
 * queue wording it shares with the runner (usbnet/tap_findings.c), and the
 * header finding (usbnet/diagnose_header.c) over `info network` as QEMU 7.2
 * printed it after the users' remap at pre-start.
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

/* net1-orig (virtio-net) and net1 (usb-net) on the descriptors of tap gcd1. */
static const char remap_info[] =
	"net1-virtio: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:12:34:56\r\n"
	" \\ net1-orig: index=0,type=tap,fd=108\r\n"
	"net1: index=0,type=nic,model=usb-net,macaddr=40:54:00:12:34:71\r\n"
	" \\ net1: index=0,type=tap,fd=108\r\n";

static void remapped(struct diagnosis *d, int hdr)
{
	*d = (struct diagnosis){ .nfds = 1, .ntaps = 1 };
	d->nclients = netinfo_parse(remap_info, d->clients, NETINFO_MAX_CLIENTS);
	d->fds[0] = (struct diag_fd){ .fd = 108, .netdev = "net1-orig" };
	strcpy(d->fds[0].tap, "gcd1");
	d->taps[0] = (struct diag_tap){ .name = "gcd1", .hdr = hdr, .hdr_fd = -1, .netns_fd = -1 };
}

TEST(header_findings)
{
	struct diagnosis d;
	char *s;

	/* QEMU's own size: nothing to say. */
	remapped(&d, 10);
	EXPECT_EQ(4U, d.nclients);
	EXPECT_EQ(NULL, diagnose_header_finding(&d, &d.taps[0]));

	/* The guest's driver holds the old NIC: 12 bytes under the usb-net. */
	remapped(&d, 12);
	s = diagnose_header_finding(&d, &d.taps[0]);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(0,
		  strncmp(s,
			  "loss: tap gcd1 puts a 12-byte virtio-net header before every "
			  "frame (TUNGETVNETHDRSZ now), and netdev net1 on it serves "
			  "usb-net net1, which reads and writes with QEMU's 10: every frame "
			  "is misplaced by 2 bytes both ways.",
			  strlen("loss: tap gcd1 puts a 12-byte virtio-net header before every "
				 "frame (TUNGETVNETHDRSZ now), and netdev net1 on it serves "
				 "usb-net net1, which reads and writes with QEMU's 10: every frame "
				 "is misplaced by 2 bytes both ways.")))
	{
		TH_LOG("%s", s);
	}
	free(s);

	/* Over a watch: released at 4 s, bound at 6 s. */
	d.watch_s = 10;
	d.taps[0].hdr_changes[0] = (struct diag_hdr_change){ .t = 4.0, .size = 10 };
	d.taps[0].hdr_changes[1] = (struct diag_hdr_change){ .t = 6.0, .size = 12 };
	d.taps[0].nhdr_changes = 2;
	d.taps[0].hdr_seconds[0] = 2.0;
	d.taps[0].hdr_seconds[1] = 8.0;
	s = diagnose_header_finding(&d, &d.taps[0]);
	ASSERT_NE(NULL, s);
	EXPECT_NE(NULL,
		  strstr(s, "loss: tap gcd1's virtio-net header changed 2 times in 10.0 s "
			    "(TUNGETVNETHDRSZ every 50 ms; 12 bytes at the start; then 4.00 "
			    "s: 10, 6.00 s: 12): 2.0 s at QEMU's 10, which netdev net1 "
			    "(usb-net net1) reads and writes, when the usb-net works, and 8.0 s "
			    "at 12,"))
	{
		TH_LOG("%s", s);
	}
	free(s);

	/* A 12-byte tap with no usb-net on it is a virtio-net's own: nothing to say. */
	remapped(&d, 12);
	strcpy(d.fds[0].tap, "other");
	EXPECT_EQ(NULL, diagnose_header_finding(&d, &d.taps[0]));
}

TEST_HARNESS_MAIN
