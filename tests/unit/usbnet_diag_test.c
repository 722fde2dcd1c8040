// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU's `info network` read into net clients and findings
 * (host-runner/usbnet/netinfo.c), over text QEMU 7.2 printed in real runs
 * (tests/sysroots/usbnet-qemu): the remap's shared tap descriptors and
 * orphaned netdev, a single-queue usb-net on a 4-queue tap, a missing NIC
 * and a MAC other than the scenario's; and garbage.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "source_path.h"

#include "usbnet/netinfo.h"

static char *fixture(const char *name)
{
	char rel[PATH_MAX], path[PATH_MAX], *text = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(rel, sizeof(rel), "tests/sysroots/usbnet-qemu/%s", name);
	source_path(path, sizeof(path), rel);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

static size_t count_prefix(char f[][NETINFO_FINDING_LEN], size_t n, const char *needle)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += strstr(f[i], needle) != NULL;
	return k;
}

TEST(parse_remap)
{
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	char *text = fixture("info-network-remap.txt");
	size_t n;

	ASSERT_NE(NULL, text);
	n = netinfo_parse(text, c, NETINFO_MAX_CLIENTS);
	EXPECT_EQ(20U, n); /* 4 orphaned queues, 2 NICs x 4 queues with their netdevs */
	EXPECT_STREQ("net1-orig", c[0].name);
	EXPECT_STREQ("tap", c[0].type);
	EXPECT_EQ(108, c[0].fd);
	EXPECT_STREQ("", c[0].nic);
	EXPECT_STREQ("net0", c[4].name);
	EXPECT_STREQ("nic", c[4].type);
	EXPECT_STREQ("usb-net", c[4].model);
	EXPECT_STREQ("52:54:00:12:34:70", c[4].mac);
	EXPECT_STREQ("net0", c[5].nic); /* printed under its NIC */
	EXPECT_EQ(100, c[5].fd);
	free(text);
}

TEST(findings_remap)
{
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	char f[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	struct netinfo_expect e[2] = { { "net0", "52:54:00:12:34:70" },
				       { "net1", "52:54:00:12:34:71" } };
	char *text = fixture("info-network-remap.txt");
	size_t n, k;

	ASSERT_NE(NULL, text);
	n = netinfo_parse(text, c, NETINFO_MAX_CLIENTS);
	k = netinfo_findings(c, n, e, 2, f, NETINFO_MAX_FINDINGS);
	ASSERT_TRUE(k <= NETINFO_MAX_FINDINGS);
	/* One per shared descriptor, 108 to 111, naming both netdevs. */
	EXPECT_EQ(4U, count_prefix(f, k, "is read by two netdevs, net1-orig"));
	EXPECT_EQ(1U, count_prefix(f, k,
				   "loss: tap descriptor 108 is read by two netdevs, "
				   "net1-orig (queue 0, no frontend) and net1 (queue 0, "
				   "with a frontend)"));
	EXPECT_EQ(1U, count_prefix(f, k, "note: netdev net1-orig (tap) has no frontend"));
	EXPECT_EQ(1U, count_prefix(f, k,
				   "note: net0 (usb-net) has one queue but sits on a "
				   "4-queue netdev"));
	EXPECT_EQ(1U, count_prefix(f, k, "note: net1 (usb-net) has one queue"));
	EXPECT_EQ(0U, count_prefix(f, k, "has MAC"));
	free(text);
}

/* No finding is cut: the longest, with names at their longest, ends with its fix. */
TEST(findings_are_whole)
{
	static const char info[] =
		"n123456789012345678901234567890123456789012345678901234567890ab: "
		"index=0,type=nic,model=usb-net,macaddr=40:54:00:12:34:71\r\n"
		" \\ n123456789012345678901234567890123456789012345678901234567890ab: "
		"index=0,type=tap,fd=1048575\r\n"
		"o123456789012345678901234567890123456789012345678901234567890ab: "
		"index=0,type=tap,fd=1048575\r\n";
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	char f[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	size_t n, k, hits = 0;

	n = netinfo_parse(info, c, NETINFO_MAX_CLIENTS);
	ASSERT_EQ(3U, n);
	k = netinfo_findings(c, n, NULL, 0, f, NETINFO_MAX_FINDINGS);
	for (size_t i = 0; i < k; i++) {
		size_t len = strlen(f[i]);

		ASSERT_LT(len, sizeof(f[0]) - 1);
		if (strstr(f[i], "is read by two netdevs")) {
			hits++;
			EXPECT_NE(NULL, strstr(f[i], "remap_fix = queue0 shows it"));
			EXPECT_EQ(0, strcmp(f[i] + len - strlen("shows it"), "shows it"));
		}
	}
	EXPECT_EQ(1U, hits);
}

TEST(findings_before_the_remap_are_quiet)
{
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	char f[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	struct netinfo_expect e = { "net0", "52:54:00:12:34:70" };
	char *text = fixture("info-network-remap-start.txt");
	size_t n, k;

	ASSERT_NE(NULL, text);
	n = netinfo_parse(text, c, NETINFO_MAX_CLIENTS);
	k = netinfo_findings(c, n, &e, 1, f, NETINFO_MAX_FINDINGS);
	/* virtio-net is multi-queue: only the usb-net's single queue is worth a note. */
	EXPECT_EQ(0U, count_prefix(f, k, "loss:"));
	EXPECT_EQ(1U, count_prefix(f, k, "note: net0 (usb-net) has one queue"));
	EXPECT_EQ(0U, count_prefix(f, k, "virtio"));
	free(text);
}

TEST(missing_nic_and_mac_mismatch)
{
	struct netinfo_client c[NETINFO_MAX_CLIENTS];
	char f[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	struct netinfo_expect e[2] = { { "net0", "52:54:00:12:34:99" }, { "net7", NULL } };
	char *text = fixture("info-network-user.txt");
	size_t n, k;

	ASSERT_NE(NULL, text);
	n = netinfo_parse(text, c, NETINFO_MAX_CLIENTS);
	ASSERT_EQ(2U, n);
	EXPECT_STREQ("user", c[1].type);
	EXPECT_EQ(-1, c[1].fd);
	k = netinfo_findings(c, n, e, 2, f, NETINFO_MAX_FINDINGS);
	EXPECT_EQ(1U, count_prefix(f, k,
				   "loss: net0 (usb-net) has MAC 52:54:00:12:34:56 in "
				   "QEMU, the scenario says 52:54:00:12:34:99"));
	EXPECT_EQ(1U, count_prefix(f, k, "loss: no NIC named net7 in QEMU"));
	free(text);
}

TEST(garbage_is_skipped)
{
	struct netinfo_client c[4];
	const char *text =
		"hub 0\r\n \\ nonsense\r\n: index=0,type=tap\r\nx: index=zz,type=tap\r\n"
		"ok: index=0,type=tap,fd=99999999999\r\n"
		"long: index=0,type=nic,model=usb-net,macaddr=52:54:00:12:34:56:77:88:99\r\n";

	ASSERT_EQ(2U, netinfo_parse(text, c, 4));
	EXPECT_STREQ("ok", c[0].name);
	EXPECT_EQ(-1, c[0].fd);
	EXPECT_EQ(17U, strlen(c[1].mac));
	EXPECT_EQ(0U, netinfo_parse("", c, 4));
	EXPECT_EQ(0U, netinfo_parse(NULL, c, 4));
}

TEST_HARNESS_MAIN
