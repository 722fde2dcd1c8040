// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A usb-net device's keys as the runner reads them (host-runner/
 * peer_spec.c, through devices/usb_net.c's validation): defaults per device,
 * every error naming the file, the line and the fix, and the QEMU command
 * line each netdev and plug gives.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "scenario/scenario.h"
#include "usbnet/peer_spec.h"
#include "vm/qemu_argv.h"

#define HEAD "[scenario]\nname = t\n[machine]\nmemory = 256M\n"

static int load(struct scenario *s, const char *devices, char *err, size_t errsize)
{
	char text[1024];

	snprintf(text, sizeof(text), HEAD "%s", devices);
	return scenario_load_string(s, text, "/tmp", err, errsize);
}

/* The QEMU command line as one string. */
static char *cmdline(const struct scenario *s)
{
	struct qemu_plan plan = {
		.binary = "qemu", .kernel = "k", .initrd = "i", .accel = "tcg", .rundir = "/run/x"
	};
	struct strv argv = { 0 };
	char *line;

	qemu_argv_build(s, &plan, &argv);
	line = strv_join_shell(&argv);
	strv_free(&argv);
	return line;
}

TEST(defaults_per_device)
{
	struct scenario s;
	struct peer_spec a, b;
	char err[512] = "";

	ASSERT_EQ(0, load(&s, "[device n0]\ntype = usb-net\n[device n1]\ntype = usb-net\n", err,
			  sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	ASSERT_EQ(0, peer_spec_parse(&s.devices[0], &s, &a, err, sizeof(err)));
	ASSERT_EQ(0, peer_spec_parse(&s.devices[1], &s, &b, err, sizeof(err)));
	EXPECT_EQ(htonl(0x0a00020f), a.guest.s_addr); /* QEMU user networking's own */
	EXPECT_EQ(htonl(0x0a000202), a.gateway.s_addr);
	EXPECT_EQ(htonl(0x0a00030f), b.guest.s_addr); /* the next /24 */
	EXPECT_EQ(htonl(0x0a000302), b.gateway.s_addr);
	EXPECT_EQ(100U, a.rate);
	EXPECT_EQ(3000U, a.duration_ms);
	EXPECT_EQ(0, a.port); /* user networking: any free port on 127.0.0.1 */
	EXPECT_EQ((int)PEER_PLUG_COLD, (int)a.plug);
	scenario_free(&s);
}

TEST(errors_name_line_and_fix)
{
	static const struct {
		const char *keys, *message;
	} cases[] = {
		{ "plug = remap\n", "/tmp/t.ini:7: [device n0]: plug = remap re-uses a tap's "
				    "descriptors: it needs netdev = tap" },
		{ "queues = 4\n", "/tmp/t.ini:7: [device n0]: queues needs netdev = tap" },
		{ "remap_at = pre-start\n", "/tmp/t.ini:7: [device n0]: remap_at is when a remap "
					    "runs: it needs plug = remap" },
		{ "netdev = tap\nplug = remap\nremap_fix = yes\n",
		  "/tmp/t.ini:9: [device n0]: remap_fix = 'yes': use one of no, queue0" },
		{ "netdev = vde\n",
		  "/tmp/t.ini:7: [device n0]: netdev = 'vde': use one of user, tap" },
		{ "inject_loss = 12,5%\n", "/tmp/t.ini:7: [device n0]: inject_loss = '12,5%': "
					   "expected a percentage" },
		{ "inject_outage = 20s-120s\n", "/tmp/t.ini:7: [device n0]: inject_outage = "
						"'20s-120s': expected two durations" },
		{ "link_down = 2s\n", "/tmp/t.ini:7: [device n0]: link_down = '2s': expected two "
				      "durations" },
		{ "inject_loss = 1%\ninject_outage = 1s/1s\n",
		  "/tmp/t.ini:8: [device n0]: inject_loss and inject_outage together" },
		{ "probe = no\ninject_loss = 1%\n", "/tmp/t.ini:7: [device n0]: loss injection, "
						    "link_down and virtio_release act during the "
						    "probe" },
		{ "virtio_release = 20s/120s\n", "/tmp/t.ini:7: [device n0]: virtio_release lets "
						 "go of the virtio-net a remap leaves in the "
						 "guest: it needs plug = remap" },
		{ "netdev = tap\nplug = remap\nvirtio_release = 20s\n",
		  "/tmp/t.ini:9: [device n0]: virtio_release = '20s': expected two durations, "
		  "e.g. 20s/120s" },
		{ "probe_rate = 1000\nprobe_duration = 20m\n", "/tmp/t.ini:8: [device n0]: "
							       "probe_duration = '20m'" },
		{ "address = 10.0.9.2/24\n", "/tmp/t.ini:7: [device n0]: the guest's address and "
					     "the gateway are the same" },
		{ "gateway = 10.0.8.1\n", "/tmp/t.ini:7: [device n0]: the gateway is outside the "
					  "guest's /24" },
		{ "queues = 9\nnetdev = tap\n", "/tmp/t.ini:7: [device n0]: queues = '9': expected "
						"1 to 8" },
		{ "netdev = tap\naddress = dhcp\n", "/tmp/t.ini:8: [device n0]: address = dhcp "
						    "needs a DHCP server, and on netdev = tap" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char dev[256], err[512] = "", text[1024];
		struct scenario s;

		snprintf(dev, sizeof(dev), "[device n0]\ntype = usb-net\n%s", cases[i].keys);
		snprintf(text, sizeof(text), HEAD "%s", dev);
		EXPECT_EQ(-EINVAL, scenario_load_string(&s, text, "/tmp", err, sizeof(err)));
		/* scenario_load_string names the file "<dir>/<name>.ini"-less: match the tail. */
		EXPECT_NE(NULL, strstr(err, strchr(cases[i].message, '[')))
		{
			TH_LOG("%s -> %s", cases[i].keys, err);
		}
	}
}

/* address = dhcp on user networking: slirp's default network, its server leases .15. */
TEST(dhcp_on_user_networking)
{
	struct scenario s;
	struct peer_spec a;
	char err[512] = "";

	ASSERT_EQ(0, load(&s,
			  "[device n0]\ntype = usb-net\n[device n1]\ntype = usb-net\n"
			  "address = dhcp\n",
			  err, sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	ASSERT_EQ(0, peer_spec_parse(&s.devices[1], &s, &a, err, sizeof(err)));
	EXPECT_TRUE(a.dhcp);
	EXPECT_EQ(htonl(0x0a00030f), a.guest.s_addr);
	EXPECT_EQ(htonl(0x0a000302), a.gateway.s_addr);
	EXPECT_EQ(24U, a.prefix);
}

TEST(qemu_args_per_plug)
{
	struct scenario s;
	char err[512] = "", *line;

	ASSERT_EQ(0, load(&s,
			  "[device a]\ntype = usb-net\nmac = 52:54:00:00:00:01\n"
			  "[device b]\ntype = usb-net\nplug = hot\n"
			  "[device c]\ntype = usb-net\nnetdev = tap\nqueues = 4\nplug = remap\n"
			  "mac = 52:54:00:00:00:03\n",
			  err, sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	line = cmdline(&s);
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, "-netdev user,id=a -device "
				     "usb-net,bus=xhci.0,id=a,netdev=a,mac=52:54:00:00:00:01"));
	/* hot: the netdev now, the device over QMP after the hello. */
	EXPECT_NE(NULL, strstr(line, "-netdev user,id=b,net=10.0.3.0/24,host=10.0.3.2 -netdev"));
	EXPECT_EQ(NULL, strstr(line, "usb-net,bus=xhci.0,id=b"));
	/* remap: the tap's queues at fixed descriptors, a virtio-net on a root port. */
	EXPECT_NE(NULL, strstr(line, "-netdev tap,id=c-orig,fds=116:117:118:119"));
	EXPECT_NE(NULL, strstr(line, "-device pcie-root-port,id=c-rp,bus=pcie.0,chassis=18"));
	EXPECT_NE(NULL, strstr(line, "virtio-net-pci,id=c-virtio,bus=c-rp,netdev=c-orig,"
				     "mac=52:54:00:00:00:03,mq=on"));
	/* The runner's own monitor for the hot-plug steps. */
	EXPECT_NE(NULL, strstr(line, "socket,id=usbnet-qmp,path=/run/x/usbnet-qmp.sock,server=on,"
				     "wait=off"));
	free(line);
	scenario_free(&s);
}

/* Incus's order: QEMU paused, only the root port on the command line, the rest over QMP. */
TEST(qemu_args_remap_at_prestart)
{
	struct scenario s;
	char err[512], *line;

	ASSERT_EQ(0, load(&s,
			  "[device d]\ntype = usb-net\nnetdev = tap\nqueues = 2\nplug = remap\n"
			  "remap_at = pre-start\n",
			  err, sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	line = cmdline(&s);
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, " -S "));
	EXPECT_NE(NULL, strstr(line, "-device pcie-root-port,id=d-rp,bus=pcie.0,chassis=16"));
	EXPECT_EQ(NULL, strstr(line, "id=d-orig"));
	EXPECT_EQ(NULL, strstr(line, "virtio-net-pci"));
	free(line);
	/* The guest binds virtio_net to the NIC it keeps, as a distribution's would. */
	{
		char *text = NULL;
		size_t size = 0;
		FILE *f = open_memstream(&text, &size);

		ASSERT_NE(NULL, f);
		agent_config_write(&s, f);
		fclose(f);
		EXPECT_NE(NULL, strstr(text, " virtio_net"));
		free(text);
	}
	scenario_free(&s);
}

TEST_HARNESS_MAIN
