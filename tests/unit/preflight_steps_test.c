// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host-runner/sdhci/preflight*.c over hand-built host trees (tests/sysroots/
 * preflight-*), read through libudev with the tree bound onto /sys in a
 * private mount namespace (each test runs in its own forked child, so the
 * namespace dies with it): a ZynqMP host as it boots (every step missing,
 * each with its fix), the same host made ready, and an x86 host whose
 * IOMMU group is shared with a device a host driver keeps.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "source_path.h"

#include "sdhci/preflight.h"

/* Enter the tree and run preflight; the report in *text. -1 to skip. */
static int replay(const char *tree, const char *device, char **text, char *why, size_t whysize)
{
	struct preflight_env env;
	size_t len;
	FILE *out;
	int r;

	source_path(env.root, sizeof(env.root), tree);
	if (preflight_enter_root(env.root, why, whysize) < 0)
		return -1;
	out = open_memstream(text, &len);
	r = preflight_run(&env, device, out);
	fclose(out);
	return r;
}

#define REPLAY(tree, device, text)                                                                 \
	({                                                                                         \
		char _why[512];                                                                    \
		int _r = replay(tree, device, text, _why, sizeof(_why));                           \
		if (_r == -1 && !*(text))                                                          \
			SKIP(return, "no mount namespace to replay a tree: %s", _why);             \
		_r;                                                                                \
	})

TEST(zynqmp_host_as_it_boots)
{
	char *t = NULL;
	int failed = REPLAY("tests/sysroots/preflight-zynqmp-host", "ff170000.mmc", &t);

	ASSERT_NE(NULL, t);
	EXPECT_EQ(6, failed) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "preflight ff170000.mmc (platform, xlnx,zynqmp-8.9a,"));
	EXPECT_NE(NULL, strstr(t, "FAIL  binding: bound to sdhci-arasan, not vfio-platform"));
	EXPECT_NE(NULL,
		  strstr(t,
			 "fix: echo ff170000.mmc > /sys/bus/platform/drivers/sdhci-arasan/unbind"));
	EXPECT_NE(NULL, strstr(t, "fix: echo vfio-platform > "
				  "/sys/bus/platform/devices/ff170000.mmc/driver_override"));
	EXPECT_NE(NULL, strstr(t, "fix: echo ff170000.mmc > /sys/bus/platform/drivers_probe"));
	EXPECT_NE(NULL, strstr(t, "FAIL  iommu-group: no IOMMU group"));
	EXPECT_NE(NULL, strstr(t, "fix: add iommus = <&smmu STREAM-ID>"));
	EXPECT_NE(NULL, strstr(t, "FAIL  dma-coherent:"));
	EXPECT_NE(NULL, strstr(t, "FAIL  reset: vfio-platform requires a reset function"));
	EXPECT_NE(NULL, strstr(t, "fix: modprobe -r vfio-platform && modprobe vfio-platform "
				  "reset_required=0"));
	EXPECT_NE(NULL, strstr(t, "FAIL  interrupts:"));
	EXPECT_NE(NULL,
		  strstr(t, "fix: echo 1 > "
			    "/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"));
	EXPECT_NE(NULL, strstr(t, "-device vfio-platform,host=ff170000.mmc"));
	/* Steps come in the order the host meets them. */
	EXPECT_LT(strstr(t, "binding:"), strstr(t, "iommu-group:"));
	EXPECT_LT(strstr(t, "dma-coherent:"), strstr(t, "reset:"));
	EXPECT_LT(strstr(t, "reset:"), strstr(t, "interrupts:"));
	free(t);
}

TEST(zynqmp_host_made_ready)
{
	char *t = NULL;
	int failed = REPLAY("tests/sysroots/preflight-zynqmp-ready", "ff170000.mmc", &t);

	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, failed) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "ok    binding: bound to vfio-platform"));
	EXPECT_NE(NULL, strstr(t, "ok    iommu-group: IOMMU group 3"));
	EXPECT_NE(NULL, strstr(t, "ok    reset: reset_required=0"));
	EXPECT_NE(NULL, strstr(t, "ok    interrupts: vfio_iommu_type1.allow_unsafe_interrupts=1"));
	EXPECT_NE(NULL, strstr(t, "ff170000.mmc is ready to pass through"));
	EXPECT_EQ(NULL, strstr(t, "fix:"));
	free(t);
}

TEST(pci_group_shared_with_a_host_driver)
{
	char *t = NULL;
	int failed = REPLAY("tests/sysroots/preflight-pci-host", "0000:03:00.0", &t);

	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, failed) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "FAIL  iommu-group: IOMMU group 12 has 1 other device(s)"));
	EXPECT_NE(NULL,
		  strstr(t, "fix: echo 0000:03:00.1 > /sys/bus/pci/drivers/snd_hda_intel/unbind"));
	EXPECT_NE(NULL, strstr(t, "ok    interrupts: the IOMMU remaps interrupts"));
	EXPECT_NE(NULL, strstr(t, "-device vfio-pci,host=0000:03:00.0"));
	free(t);
}

TEST(no_such_device)
{
	char *t = NULL;
	int r = REPLAY("tests/sysroots/preflight-pci-host", "ff999999.mmc", &t);

	ASSERT_NE(NULL, t);
	EXPECT_EQ(-ENODEV, r);
	EXPECT_NE(NULL, strstr(t, "FAIL  ff999999.mmc: no such device"));
	free(t);
}

TEST(vfio_drivers_by_bus)
{
	EXPECT_STREQ("vfio-platform", preflight_vfio_driver("platform"));
	EXPECT_STREQ("vfio-pci", preflight_vfio_driver("pci"));
	EXPECT_EQ(NULL, preflight_vfio_driver("usb"));
}

TEST_HARNESS_MAIN
