// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where upstream loss is placed (usbnet/peer_report_hops.c), from the
 * counters on each side of each hop. The case that misled before: a guest
 * whose ARP for the gateway failed sends few frames, the tap receives them
 * all, and the lost probes were blamed on the host between the tap and the
 * peer (measured on a remap with native PCIe hotplug, 1 Dec: 9294 lost, the
 * guest's interface sent 2812 frames for 12000 probes).
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "session/ktap_parse.h"
#include "usbnet/peer.h"
#include "usbnet/peer_report.h"

static void counters(struct peer_report *r, uint32_t arrived, unsigned long long guest_tx,
		     unsigned long long tap_rx)
{
	memset(r, 0, sizeof(*r));
	r->g.summary = true;
	r->g.counters = true;
	r->g.tx = guest_tx;
	r->d.have_tap = 1;
	r->d.nprobes = 1;
	r->d.received = arrived;
	r->d.echoed = arrived;
	r->g.answered = arrived;
	r->d.tap_after.rx_packets = tap_rx;
}

TEST(probes_held_in_the_guest_are_not_blamed_on_the_host)
{
	static struct peer_report r;

	counters(&r, 2706, 2812, 2818);
	peer_report_hop_findings(&r, 12000);
	ASSERT_EQ(2U, r.nfindings);
	EXPECT_NE(NULL, strstr(r.findings[0], "loss: 9294 probes never reached the peer, and at "
					      "least 9188 of them never left the guest"));
	EXPECT_NE(NULL, strstr(r.findings[0], "died in the guest's stack, before the usb-net"));
	EXPECT_EQ(NULL, strstr(r.findings[0], "between the tap and the peer"));
	EXPECT_NE(NULL, strstr(r.findings[1], "the other 106 lost probes"));
}

TEST(all_left_the_guest_and_the_tap_got_them_the_host_lost_them)
{
	static struct peer_report r;

	counters(&r, 1890, 2010, 2010);
	peer_report_hop_findings(&r, 2000);
	ASSERT_EQ(1U, r.nfindings);
	EXPECT_NE(NULL, strstr(r.findings[0], "note: 110 probes never reached the peer, but the "
					      "tap received every frame"));
	EXPECT_NE(NULL, strstr(r.findings[0], "between the tap and the peer"));
}

TEST(the_tap_got_fewer_than_the_guest_sent_qemu_lost_them)
{
	static struct peer_report r;

	counters(&r, 1500, 2010, 1510);
	peer_report_hop_findings(&r, 2000);
	ASSERT_EQ(1U, r.nfindings);
	EXPECT_NE(NULL, strstr(r.findings[0], "died between the guest and the tap"));
}

/*
 * A guest starved by its host caught up in a burst and its socket refused
 * probes (1 Dec, before the agent waited for room): the send errors named,
 * not an unresolved ARP entry guessed at. Read from the agent's own lines.
 */
TEST(send_errors_are_named_from_the_agents_line)
{
	static struct peer_report r;
	static struct peer p = { .spec = { .name = "net1" } };
	struct ktap_test probe = {
		.name = "usbnet.probe",
		.diagnostics =
			"net1: 10000 sent, 9481 answered, 519 lost (5.19%): 519 upstream, 0 "
			"downstream; 0 duplicates and 0 reordered (apart from loss)\n"
			"net1: sending: 6485 late (at most 807.6 ms behind schedule), 518 send "
			"errors (first: Resource temporarily unavailable), 0 stray datagrams; the "
			"peer's last echo counted 9481 probes received, 0 dropped on purpose\n"
			"net1: eth0 counters during the probe (libnl): rx +9486 packets (+0 "
			"errors, "
			"+0 dropped, +0 over, +0 fifo), tx +9490 packets (+0 errors, +0 dropped, "
			"+0 "
			"fifo)\n",
	};
	struct ktap_run run = { .tests = &probe, .ntests = 1 };

	counters(&r, 9481, 0, 9498);
	r.g.summary = r.g.counters = false;
	r.p = &p;
	r.n = 10000;
	peer_report_read_guest(&r, &run);
	EXPECT_TRUE(r.g.summary);
	EXPECT_TRUE(r.g.counters);
	EXPECT_EQ(9490ULL, r.g.tx);
	EXPECT_EQ(518U, r.g.send_errors);
	EXPECT_STREQ("Resource temporarily unavailable", r.g.send_error);
	peer_report_hop_findings(&r, 10000);
	ASSERT_LE(1U, r.nfindings);
	EXPECT_NE(NULL, strstr(r.findings[0], "the agent's send() failed for 518 probes (first: "
					      "Resource temporarily unavailable"))
	TH_LOG("%s", r.findings[0]);
	EXPECT_EQ(NULL, strstr(r.findings[0], "ARP"));
	free(r.g.lost_map);
}

TEST_HARNESS_MAIN
