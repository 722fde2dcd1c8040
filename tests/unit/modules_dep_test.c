// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * agent/modules.c: the load order the agent derives from modules.dep, with
 * no modprobe in the image. The text below is the base image's own
 * modules.dep (Debian 6.1), as build-initramfs writes it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "modules.h"

static const char image_dep[] =
	"kernel/fs/configfs/configfs.ko:\n"
	"kernel/crypto/crct10dif_common.ko:\n"
	"kernel/block/t10-pi.ko: kernel/lib/crc64-rocksoft.ko kernel/lib/crc-t10dif.ko "
	"kernel/lib/crc64.ko kernel/crypto/crct10dif_common.ko\n"
	"kernel/lib/crc-t10dif.ko: kernel/crypto/crct10dif_common.ko\n"
	"kernel/lib/crc64.ko:\n"
	"kernel/lib/crc64-rocksoft.ko: kernel/lib/crc64.ko\n"
	"kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko\n"
	"kernel/drivers/virtio/virtio_ring.ko:\n"
	"kernel/drivers/virtio/virtio_pci_modern_dev.ko:\n"
	"kernel/drivers/virtio/virtio_pci_legacy_dev.ko:\n"
	"kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko "
	"kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio.ko "
	"kernel/drivers/virtio/virtio_ring.ko\n"
	"kernel/drivers/char/virtio_console.ko: kernel/drivers/virtio/virtio.ko "
	"kernel/drivers/virtio/virtio_ring.ko\n"
	"kernel/drivers/nvme/host/nvme-core.ko: kernel/block/t10-pi.ko "
	"kernel/lib/crc64-rocksoft.ko "
	"kernel/lib/crc-t10dif.ko kernel/lib/crc64.ko kernel/crypto/crct10dif_common.ko\n"
	"kernel/drivers/nvme/host/nvme.ko: kernel/drivers/nvme/host/nvme-core.ko "
	"kernel/block/t10-pi.ko kernel/lib/crc64-rocksoft.ko kernel/lib/crc-t10dif.ko "
	"kernel/lib/crc64.ko kernel/crypto/crct10dif_common.ko\n"
	"kernel/drivers/net/mii.ko:\n"
	"kernel/drivers/net/usb/cdc_ether.ko: kernel/drivers/net/usb/usbnet.ko "
	"kernel/drivers/net/mii.ko kernel/drivers/usb/core/usbcore.ko "
	"kernel/drivers/usb/common/usb-common.ko\n"
	"kernel/drivers/net/usb/rndis_host.ko: kernel/drivers/net/usb/cdc_ether.ko "
	"kernel/drivers/net/usb/usbnet.ko kernel/drivers/net/mii.ko "
	"kernel/drivers/usb/core/usbcore.ko kernel/drivers/usb/common/usb-common.ko\n"
	"kernel/drivers/net/usb/usbnet.ko: kernel/drivers/net/mii.ko "
	"kernel/drivers/usb/core/usbcore.ko kernel/drivers/usb/common/usb-common.ko\n"
	"kernel/drivers/usb/host/xhci-hcd.ko: kernel/drivers/usb/core/usbcore.ko "
	"kernel/drivers/usb/common/usb-common.ko\n"
	"kernel/drivers/usb/host/xhci-pci.ko: kernel/drivers/usb/host/xhci-hcd.ko "
	"kernel/drivers/usb/core/usbcore.ko kernel/drivers/usb/common/usb-common.ko\n"
	"kernel/drivers/usb/common/usb-common.ko:\n"
	"kernel/drivers/usb/core/usbcore.ko: kernel/drivers/usb/common/usb-common.ko\n"
	"kernel/drivers/mmc/host/sdhci.ko: kernel/drivers/mmc/core/mmc_core.ko\n"
	"kernel/drivers/mmc/host/sdhci-pci.ko: kernel/drivers/mmc/host/cqhci.ko "
	"kernel/drivers/mmc/host/sdhci.ko kernel/drivers/mmc/core/mmc_core.ko\n"
	"kernel/drivers/mmc/host/cqhci.ko: kernel/drivers/mmc/core/mmc_core.ko\n"
	"kernel/drivers/mmc/core/mmc_core.ko:\n"
	"kernel/drivers/mmc/core/mmc_block.ko: kernel/drivers/mmc/core/mmc_core.ko\n";

FIXTURE(deps)
{
	struct module_dep_table *t;
	const char *order[64];
};

FIXTURE_SETUP(deps)
{
	self->t = module_deps_parse(image_dep);
	ASSERT_NE(NULL, self->t);
}

FIXTURE_TEARDOWN(deps)
{
	module_deps_free(self->t);
}

static int index_of(const char *const *order, int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(order[i], path))
			return i;
	return -1;
}

/* Every module's dependencies (its modules.dep line) come before it. */
static bool deps_first(const char *dep_text, const char *const *order, int n)
{
	_cleanup_free_ char *copy = strdup(dep_text);
	char *line, *save;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *tok, *save2;
		int at;

		*colon = '\0';
		at = index_of(order, n, line);
		if (at < 0)
			continue;
		for (tok = strtok_r(colon + 1, " ", &save2); tok; tok = strtok_r(NULL, " ", &save2))
			if (index_of(order, n, tok) < 0 || index_of(order, n, tok) > at)
				return false;
	}
	return true;
}

TEST_F(deps, one_module_dependencies_first)
{
	int n = module_deps_resolve(self->t, "sdhci_pci", self->order, 0, 64);

	ASSERT_EQ(4, n);
	EXPECT_STREQ("kernel/drivers/mmc/core/mmc_core.ko", self->order[0]);
	EXPECT_STREQ("kernel/drivers/mmc/host/sdhci-pci.ko", self->order[3]);
	EXPECT_LE(0, index_of(self->order, n, "kernel/drivers/mmc/host/cqhci.ko"));
	EXPECT_LE(0, index_of(self->order, n, "kernel/drivers/mmc/host/sdhci.ko"));
	EXPECT_TRUE(deps_first(image_dep, self->order, n));
}

TEST_F(deps, a_module_without_dependencies)
{
	ASSERT_EQ(1, module_deps_resolve(self->t, "mii", self->order, 0, 64));
	EXPECT_STREQ("kernel/drivers/net/mii.ko", self->order[0]);
}

TEST_F(deps, several_names_share_one_order_each_module_once)
{
	/* The default scenario's [agent] modules line, in its order. */
	static const char *const names[] = { "virtio_pci", "virtio_console", "sdhci_pci",
					     "mmc_block",  "nvme",	     "xhci_pci",
					     "cdc_ether" };
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int r = module_deps_resolve(self->t, names[i], self->order, n, 64);

		ASSERT_LE(n, r) TH_LOG("%s: %d", names[i], r);
		n = r;
	}
	/* virtio 5 + virtio_console, mmc 4 + mmc_block, nvme 7, xhci/usb 4, net 3. */
	EXPECT_EQ(25, n);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			EXPECT_STRNE(self->order[i], self->order[j]);
	EXPECT_TRUE(deps_first(image_dep, self->order, n));
	/* Each name's module after what it needs, and the names in their order. */
	EXPECT_LT(index_of(self->order, n, "kernel/drivers/virtio/virtio_pci.ko"),
		  index_of(self->order, n, "kernel/drivers/char/virtio_console.ko"));
	EXPECT_STREQ("kernel/drivers/net/usb/cdc_ether.ko", self->order[n - 1]);
	EXPECT_LT(index_of(self->order, n, "kernel/drivers/usb/core/usbcore.ko"),
		  index_of(self->order, n, "kernel/drivers/usb/host/xhci-hcd.ko"));

	/* Asking again adds nothing. */
	EXPECT_EQ(n, module_deps_resolve(self->t, "sdhci_pci", self->order, n, 64));
	EXPECT_EQ(n, module_deps_resolve(self->t, "mmc_core", self->order, n, 64));
}

TEST_F(deps, dash_and_underscore_and_paths_name_the_same_module)
{
	static const char *const spellings[] = {
		"sdhci-pci",
		"sdhci_pci",
		"kernel/drivers/mmc/host/sdhci-pci.ko",
		"sdhci-pci.ko",
	};
	char name[64];

	for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
		EXPECT_EQ(4, module_deps_resolve(self->t, spellings[i], self->order, 0, 64))
		TH_LOG("%s", spellings[i]);
		EXPECT_STREQ("kernel/drivers/mmc/host/sdhci-pci.ko", self->order[3]);
	}
	/* xhci-hcd.ko on disk, xhci_hcd as asked for. */
	EXPECT_EQ(3, module_deps_resolve(self->t, "xhci_hcd", self->order, 0, 64));

	module_name_normalise("kernel/drivers/usb/host/xhci-pci.ko", name, sizeof(name));
	EXPECT_STREQ("xhci_pci", name);
	module_name_normalise("kernel/lib/crc64-rocksoft.ko.xz", name, sizeof(name));
	EXPECT_STREQ("crc64_rocksoft", name);
	module_name_normalise("cdc_ether", name, sizeof(name));
	EXPECT_STREQ("cdc_ether", name);
	module_name_normalise("sdhci-pci", name, 5);
	EXPECT_STREQ("sdhc", name);
}

TEST_F(deps, missing_module_is_enoent)
{
	EXPECT_EQ(-ENOENT, module_deps_resolve(self->t, "virtio_blk", self->order, 0, 64));
	EXPECT_EQ(-ENOENT, module_deps_resolve(self->t, "", self->order, 0, 64));
	/* A prefix of a name is not the name. */
	EXPECT_EQ(-ENOENT, module_deps_resolve(self->t, "sdhci_p", self->order, 0, 64));
	EXPECT_EQ(-ENOENT, module_deps_resolve(self->t, "mmc", self->order, 0, 64));
}

TEST_F(deps, too_many_is_e2big)
{
	/* nvme needs 7 modules. */
	EXPECT_EQ(-E2BIG, module_deps_resolve(self->t, "nvme", self->order, 0, 6));
	EXPECT_EQ(7, module_deps_resolve(self->t, "nvme", self->order, 0, 7));
	/* Already-resolved entries count against max. */
	EXPECT_EQ(-E2BIG, module_deps_resolve(self->t, "mii", self->order, 7, 7));
	EXPECT_EQ(7, module_deps_resolve(self->t, "crc64", self->order, 7, 7)); /* already there */
}

TEST(missing_dependency)
{
	struct module_dep_table *t = module_deps_parse("kernel/a.ko: kernel/gone.ko\n"
						       "kernel/b.ko:\n");
	const char *order[8];

	ASSERT_NE(NULL, t);
	EXPECT_EQ(-ENOENT, module_deps_resolve(t, "a", order, 0, 8));
	EXPECT_EQ(1, module_deps_resolve(t, "b", order, 0, 8));
	module_deps_free(t);
}

TEST(cycle_is_eloop)
{
	struct module_dep_table *t = module_deps_parse("kernel/a.ko: kernel/b.ko\n"
						       "kernel/b.ko: kernel/c.ko\n"
						       "kernel/c.ko: kernel/a.ko\n"
						       "kernel/self.ko: kernel/self.ko\n"
						       "kernel/ok.ko:\n");
	const char *order[64];

	ASSERT_NE(NULL, t);
	EXPECT_EQ(-ELOOP, module_deps_resolve(t, "a", order, 0, 64));
	EXPECT_EQ(-ELOOP, module_deps_resolve(t, "c", order, 0, 64));
	EXPECT_EQ(-ELOOP, module_deps_resolve(t, "self", order, 0, 64));
	EXPECT_EQ(1, module_deps_resolve(t, "ok", order, 0, 64));
	module_deps_free(t);
}

TEST(odd_text)
{
	const char *order[8];
	struct module_dep_table *t;

	t = module_deps_parse("");
	ASSERT_NE(NULL, t);
	EXPECT_EQ(-ENOENT, module_deps_resolve(t, "x", order, 0, 8));
	module_deps_free(t);

	/* A line without ':' is skipped; tabs and CR-less last lines are fine. */
	t = module_deps_parse("garbage line\n\nkernel/x.ko:\tkernel/y.ko\nkernel/y.ko:");
	ASSERT_NE(NULL, t);
	EXPECT_EQ(-ENOENT, module_deps_resolve(t, "garbage line", order, 0, 8));
	ASSERT_EQ(2, module_deps_resolve(t, "x", order, 0, 8));
	EXPECT_STREQ("kernel/y.ko", order[0]);
	EXPECT_STREQ("kernel/x.ko", order[1]);
	module_deps_free(t);
	module_deps_free(NULL);
}

TEST_HARNESS_MAIN
