// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * USB network interfaces from sysfs (checks/usbnet/iface.c) against
 * tests/sysroots/usbnet-guest, captured from a real guest booted with
 * scenarios/usbnet-user.ini (three usb-net adapters, one of them with a MAC
 * whose locally-administered bit is clear, hence eth0; the scenario's fourth,
 * net3 with address = dhcp, came later and is not in the capture), with the agent.ini
 * the runner writes for it; plus MAC matching and naming, and the settings
 * a device's keys and [probe NAME] give.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "kselftest_harness.h"
#include "source_path.h"

#include "scenario/scenario.h"
#include "usbnet/usbnet.h"
#include "vm/qemu_argv.h"

FIXTURE(guest)
{
	struct sysroot root;
	struct config cfg;
	struct check_env env;
};

FIXTURE_SETUP(guest)
{
	char path[PATH_MAX], err[512];
	struct scenario s;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	source_path(self->root.prefix, sizeof(self->root.prefix), "tests/sysroots/usbnet-guest");
	source_path(path, sizeof(path), "scenarios/usbnet-user.ini");
	ASSERT_EQ(0, scenario_load(&s, path, err, sizeof(err)));
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	agent_config_write(&s, f);
	/* What the session adds once its peers listen (peers_agent_config). */
	fputs("\n[probe net1]\naddress = 10.0.3.15/24\ngateway = 10.0.3.2\nport = 40001\n", f);
	fclose(f);
	scenario_free(&s);
	ASSERT_EQ(0, config_load_string(&self->cfg, text, err, sizeof(err)));
	free(text);
	self->env = (struct check_env){ .config = &self->cfg, .root = &self->root };
}

FIXTURE_TEARDOWN(guest)
{
	config_free(&self->cfg);
}

TEST_F(guest, finds_the_usb_interfaces_only)
{
	struct usbnet_iface ifs[USBNET_MAX_IFACES];

	ASSERT_EQ(3, usbnet_find_ifaces(&self->root, ifs, USBNET_MAX_IFACES));
	/* Name order; lo is virtual, not on USB. */
	EXPECT_STREQ("eth0", ifs[0].name);
	EXPECT_STREQ("usb0", ifs[1].name);
	EXPECT_STREQ("usb1", ifs[2].name);
	EXPECT_STREQ("cdc_ether", ifs[1].driver);
	EXPECT_STREQ("52:54:00:12:34:56", ifs[1].mac);
	EXPECT_STREQ("00:16:3e:12:34:57", ifs[0].mac);
	EXPECT_STREQ("1-1:1.0", ifs[1].usb_path);
	EXPECT_EQ(1500U, ifs[1].mtu);
	EXPECT_STREQ("down", ifs[1].operstate);
	EXPECT_EQ(-1, ifs[1].carrier); /* unreadable while the link is down */
	/* Counted past the room given. */
	EXPECT_EQ(3, usbnet_find_ifaces(&self->root, ifs, 1));
}

TEST_F(guest, matches_devices_by_mac)
{
	struct usbnet_scan scan;

	ASSERT_EQ(0, usbnet_scan(&self->env, &scan));
	ASSERT_EQ(4U, scan.ntargets);
	EXPECT_STREQ("net0", scan.targets[0].dev.name);
	/* net3 is not in the capture; its address = dhcp is read all the same. */
	EXPECT_STREQ("net3", scan.targets[3].dev.name);
	EXPECT_EQ(-1, scan.targets[3].iface);
	EXPECT_TRUE(scan.targets[3].cfg.dhcp);
	EXPECT_FALSE(scan.targets[0].cfg.dhcp);
	EXPECT_STREQ("usb0", scan.ifs[scan.targets[0].iface].name);
	EXPECT_STREQ("eth0", scan.ifs[scan.targets[1].iface].name);
	EXPECT_STREQ("usb1", scan.ifs[scan.targets[2].iface].name);
	EXPECT_FALSE(scan.targets[0].placeholder_mac);
	/* The runner's [probe net1] wins over the defaults; the device's keys are read. */
	EXPECT_EQ(htonl(0x0a00030f), scan.targets[1].cfg.local.s_addr);
	EXPECT_EQ(40001, scan.targets[1].cfg.peer_port);
	EXPECT_EQ(1000U, scan.targets[1].cfg.rate);
	EXPECT_EQ(125000U, scan.targets[1].cfg.inject_loss_ppm);
	EXPECT_EQ(1000U, scan.targets[2].cfg.outage_up_ms);
	EXPECT_EQ(500U, scan.targets[2].cfg.outage_down_ms);
	/* No [probe net0]: QEMU user networking's defaults. */
	EXPECT_EQ(htonl(0x0a00020f), scan.targets[0].cfg.local.s_addr);
	EXPECT_EQ(htonl(0x0a000202), scan.targets[0].cfg.gateway.s_addr);
	EXPECT_EQ(3000U, scan.targets[0].cfg.duration_ms);
}

/* The usb-net area's rule is net_adapter_pick()'s, with cdc_ether by default. */
static struct net_pick pick(const struct net_adapter *a, const bool *claimed, const char *mac,
			    const char *driver)
{
	struct net_pick p;

	net_adapter_pick(a, 3, claimed, mac, driver ?: USBNET_DEFAULT_DRIVER, &p);
	return p;
}

TEST(match_placeholder_and_missing)
{
	const struct net_adapter ifs[3] = {
		{ .name = "eth0", .driver = "cdc_ether", .mac = "40:54:00:12:34:56" },
		{ .name = "usb0", .driver = "cdc_ether", .mac = "52:54:00:aa:bb:cc" },
		{ .name = "usb1", .driver = "rndis_host", .mac = "52:54:00:12:34:60" },
	};
	bool claimed[3] = { false };
	struct net_pick p;

	p = pick(ifs, claimed, "52:54:00:AA:BB:CC", NULL);
	EXPECT_EQ(1, p.index);
	EXPECT_EQ((int)NET_MAC_EQUAL, (int)p.fit);
	/* QEMU usb-net's 0x40 first byte: found, and said so. */
	p = pick(ifs, claimed, "52:54:00:12:34:56", NULL);
	EXPECT_EQ(0, p.index);
	EXPECT_EQ((int)NET_MAC_PLACEHOLDER, (int)p.fit);
	/* Nothing fits: the nearest is the one with the expected driver and most bytes alike. */
	p = pick(ifs, claimed, "52:54:00:aa:bb:01", NULL);
	EXPECT_EQ(-1, p.index);
	EXPECT_EQ(1, p.closest);
	/* The MAC fits but the driver does not: not the device, yet the nearest miss. */
	p = pick(ifs, claimed, "52:54:00:12:34:60", NULL);
	EXPECT_EQ(-1, p.index);
	EXPECT_EQ(2, p.closest);
	p = pick(ifs, claimed, "52:54:00:12:34:60", "rndis_host");
	EXPECT_EQ(2, p.index);
	claimed[1] = true;
	EXPECT_EQ(0, pick(ifs, claimed, NULL, NULL).index); /* no MAC: the first unclaimed */
	claimed[0] = true;
	EXPECT_EQ(-1, pick(ifs, claimed, NULL, NULL).index);
}

TEST(names_from_macs)
{
	uint8_t mac[6];

	ASSERT_EQ(0, usbnet_parse_mac("52:54:00:12:34:56", mac));
	EXPECT_STREQ("usb", usbnet_name_prefix(mac));
	ASSERT_EQ(0, usbnet_parse_mac("00:16:3e:12:34:57", mac));
	EXPECT_STREQ("eth", usbnet_name_prefix(mac));
	ASSERT_EQ(0, usbnet_parse_mac("40:54:00:12:34:56", mac)); /* the placeholder: eth */
	EXPECT_STREQ("eth", usbnet_name_prefix(mac));
	EXPECT_EQ(-EINVAL, usbnet_parse_mac("52:54:00:12:34", mac));
	EXPECT_EQ(-EINVAL, usbnet_parse_mac("52:54:00:12:34:5g", mac));
	EXPECT_EQ(-EINVAL, usbnet_parse_mac("52-54-00-12-34-56", mac));
}

TEST(config_errors_name_the_key)
{
	static const struct {
		const char *ini, *message;
	} cases[] = {
		{ "probe_rate = 0", "net0: probe_rate = '0' is not 1..10000 probes per second" },
		{ "address = 10.0.2.15/33", "net0: address = '10.0.2.15/33' is not an IPv4" },
		{ "inject_outage = 20s", "net0: inject_outage = '20s' is not UP/DOWN durations" },
		{ "link_down = 2s:0", "net0: link_down = '2s:0' is not AT:FOR durations" },
		{ "virtio_release = 20s/0", "net0: virtio_release = '20s/0' is not RELEASED/BOUND "
					    "durations" },
		{ "max_loss = lots", "net0: max_loss = 'lots' is not a percentage" },
		{ "peer = 10.0.2.2:0", "net0: peer = '10.0.2.2:0' is not an IPv4 address with an "
				       "optional :PORT" },
		{ "peer = localhost:7000", "net0: peer = 'localhost:7000' is not an IPv4" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char text[256], err[256] = "";
		struct config cfg;
		struct check_env env = { .config = &cfg };
		struct check_device dev;
		struct usbnet_config c;

		snprintf(text, sizeof(text), "[device net0]\ntype = usb-net\n%s\n", cases[i].ini);
		ASSERT_EQ(0, config_load_string(&cfg, text, err, sizeof(err)));
		ASSERT_EQ(1U, check_devices(&env, &usb_net_kind, &dev, 1));
		EXPECT_EQ(-EINVAL, usbnet_config_read(&env, &dev, &c, err, sizeof(err)));
		EXPECT_EQ(0, strncmp(err, cases[i].message, strlen(cases[i].message)))
		{
			TH_LOG("%s: %s", cases[i].ini, err);
		}
		config_free(&cfg);
	}
}

/* The agent as a plain command probing `guestcheck peer`: peer = ADDR[:PORT] in [probe NAME]. */
TEST(config_peer_key)
{
	static const struct {
		const char *ini, *peer, *gateway;
		unsigned int port;
	} cases[] = {
		{ "", "10.0.2.2", "10.0.2.2", 47000 },
		{ "[probe net0]\nport = 7001\n", "10.0.2.2", "10.0.2.2", 7001 },
		{ "[probe net0]\npeer = 10.0.2.2:7000\n", "10.0.2.2", "10.0.2.2", 7000 },
		{ "[probe net0]\npeer = 192.168.1.5\nport = 7002\n", "192.168.1.5", "10.0.2.2",
		  7002 },
		{ "[probe net0]\nport = 7002\npeer = 10.0.3.2:7003\ngateway = 10.0.3.2\n",
		  "10.0.3.2", "10.0.3.2", 7003 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char text[256], err[256] = "", peer[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];
		struct config cfg;
		struct check_env env = { .config = &cfg };
		struct check_device dev;
		struct usbnet_config c;
		struct in_addr a;

		snprintf(text, sizeof(text), "[device net0]\ntype = usb-net\n%s", cases[i].ini);
		ASSERT_EQ(0, config_load_string(&cfg, text, err, sizeof(err)));
		ASSERT_EQ(1U, check_devices(&env, &usb_net_kind, &dev, 1));
		ASSERT_EQ(0, usbnet_config_read(&env, &dev, &c, err, sizeof(err)))
		{
			TH_LOG("%s", err);
		}
		a = usbnet_peer_addr(&c);
		inet_ntop(AF_INET, &a, peer, sizeof(peer));
		inet_ntop(AF_INET, &c.gateway, gw, sizeof(gw));
		EXPECT_STREQ(cases[i].peer, peer);
		EXPECT_STREQ(cases[i].gateway, gw);
		EXPECT_EQ(cases[i].port, c.peer_port);
		config_free(&cfg);
	}
}

TEST_HARNESS_MAIN
