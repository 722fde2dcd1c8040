// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Each area waits only for the devices it reads (agent/device_wait.h and
 * registry.def's AREA lines): the card's checks may start while the usb-net
 * is still enumerating; devices.present waits for all; the time limit ends
 * every wait.
 */
#include <string.h>

#include "checklist.h"
#include "clock.h"
#include "device_wait.h"
#include "kselftest_harness.h"

static const struct agent_area *area_of(const char *check)
{
	size_t n;
	const struct agent_check *all = checklist_all(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i].name, check))
			return all[i].area;
	return NULL;
}

TEST(registry_areas_read_their_kinds)
{
	const struct agent_area *mmc = area_of("mmc.fingerprint"), *net = area_of("usbnet.probe");
	const struct agent_area *zoned = area_of("zoned.views"), *all = area_of("devices.present");
	const struct agent_area *agent = area_of("agent.config"), *sdhci = area_of("sdhci.card");

	ASSERT_NE(NULL, mmc);
	ASSERT_NE(NULL, net);
	ASSERT_NE(NULL, zoned);
	ASSERT_NE(NULL, all);
	ASSERT_NE(NULL, agent);
	ASSERT_NE(NULL, sdhci);
	EXPECT_TRUE(agent_area_reads(mmc, &sd_card_kind));
	EXPECT_FALSE(agent_area_reads(mmc, &usb_net_kind));
	EXPECT_TRUE(agent_area_reads(sdhci, &sd_card_kind));
	EXPECT_TRUE(agent_area_reads(net, &usb_net_kind));
	EXPECT_FALSE(agent_area_reads(net, &sd_card_kind));
	EXPECT_TRUE(agent_area_reads(zoned, &nvme_zns_kind));
	EXPECT_TRUE(agent_area_reads(zoned, &null_blk_kind));
	EXPECT_TRUE(agent_area_reads(zoned, &scsi_debug_kind));
	EXPECT_FALSE(agent_area_reads(zoned, &hdd_kind));
	EXPECT_TRUE(agent_area_reads(all, &hdd_kind));
	EXPECT_TRUE(agent_area_reads(all, NULL));
	EXPECT_FALSE(agent_area_reads(agent, &sd_card_kind));
	EXPECT_FALSE(agent_area_reads(mmc, NULL));
}

/* A card present, the usb-net not yet, a zoned namespace not yet. */
static void card_only(struct device_wait *w, uint64_t timeout_ns)
{
	*w = (struct device_wait){ .t0_ns = now_ns(), .timeout_ns = timeout_ns, .n = 3 };
	w->devs[0] =
		(struct check_device){ .name = "sd0", .type = "sd-card", .kind = &sd_card_kind };
	w->devs[1] =
		(struct check_device){ .name = "net0", .type = "usb-net", .kind = &usb_net_kind };
	w->devs[2] =
		(struct check_device){ .name = "zns0", .type = "nvme-zns", .kind = &nvme_zns_kind };
	w->present[0] = true;
}

TEST(an_area_waits_only_for_its_own_devices)
{
	struct device_wait w;

	card_only(&w, 3600ull * 1000000000ull);
	EXPECT_TRUE(device_wait_ready(&w, area_of("mmc.identity")));
	EXPECT_TRUE(device_wait_ready(&w, area_of("sdhci.registers")));
	EXPECT_TRUE(device_wait_ready(&w, area_of("agent.modules")));
	EXPECT_FALSE(device_wait_ready(&w, area_of("usbnet.link")));
	EXPECT_FALSE(device_wait_ready(&w, area_of("zoned.queue_model")));
	EXPECT_FALSE(device_wait_ready(&w, area_of("devices.present")));
	w.present[1] = true;
	EXPECT_TRUE(device_wait_ready(&w, area_of("usbnet.link")));
	EXPECT_FALSE(device_wait_ready(&w, area_of("devices.present")));
	w.present[2] = true;
	EXPECT_TRUE(device_wait_ready(&w, area_of("devices.present")));
}

/* Once the time is up every area runs, and its checks say what is missing. */
TEST(the_time_limit_ends_every_wait)
{
	struct device_wait w;

	card_only(&w, 0);
	EXPECT_TRUE(device_wait_ready(&w, area_of("usbnet.link")));
	EXPECT_TRUE(device_wait_ready(&w, area_of("devices.present")));
}

TEST_HARNESS_MAIN
