// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of areas with host parts (host-runner/session/area.h): which
 * areas a scenario brings into a session, which one runs a kind of run of
 * its own, and what they add to the QEMU command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "noninterference/installer_plan.h"
#include "scenario/scenario.h"
#include "session/area.h"
#include "vm/qemu_argv.h"

#define HEAD "[scenario]\nname = t\n[machine]\nmemory = 256M\n"

FIXTURE(areas)
{
	struct scenario s;
};

FIXTURE_VARIANT(areas)
{
	const char *devices;
	bool non_interference; /* the kind, set after loading: no installer needed */
	const char *wanted;    /* the areas taking part, space-separated, in table order */
	const char *run_kind;  /* the area whose run it is, or NULL */
	bool usbnet_monitor;   /* QEMU gets the usb-net monitor */
};

FIXTURE_SETUP(areas)
{
	char text[512], err[512] = "";

	snprintf(text, sizeof(text), HEAD "%s", variant->devices);
	ASSERT_EQ(0, scenario_load_string(&self->s, text, "/tmp", err, sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	if (variant->non_interference)
		snprintf(self->s.kind, sizeof(self->s.kind), SCENARIO_KIND_NON_INTERFERENCE);
}

FIXTURE_TEARDOWN(areas)
{
	scenario_free(&self->s);
}

FIXTURE_VARIANT_ADD(areas, plain){
	.devices = "",
	.wanted = "",
};
FIXTURE_VARIANT_ADD(areas, usb_net){
	.devices = "[device n0]\ntype = usb-net\n",
	.wanted = "usb-net",
	.usbnet_monitor = true,
};
FIXTURE_VARIANT_ADD(areas, sd_card){
	.devices = "[device sd0]\ntype = sd-card\nsize = 16M\n",
	.wanted = "sdhci",
};
/* The phases count writes; the memory map was never theirs. */
FIXTURE_VARIANT_ADD(areas, sd_card_non_interference){
	.devices = "[device sd0]\ntype = sd-card\nsize = 16M\n",
	.non_interference = true,
	.wanted = "non-interference",
	.run_kind = "non-interference",
};
FIXTURE_VARIANT_ADD(areas, usb_net_and_sd_card){
	.devices = "[device sd0]\ntype = sd-card\nsize = 16M\n[device n0]\ntype = usb-net\n",
	.wanted = "usb-net sdhci",
	.usbnet_monitor = true,
};

TEST_F(areas, taking_part)
{
	char names[128] = "";
	const struct host_area_ops *kind = host_area_run_kind(&self->s);

	for (const struct host_area_ops *const *a = host_areas; *a; a++)
		if (host_area_wanted(*a, &self->s))
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 names[0] ? " " : "", (*a)->name);
	EXPECT_STREQ(variant->wanted, names);
	if (variant->run_kind) {
		ASSERT_NE(NULL, kind);
		EXPECT_STREQ(variant->run_kind, kind->name);
	} else {
		EXPECT_EQ(NULL, kind);
	}
}

TEST_F(areas, qemu_arguments)
{
	struct qemu_plan plan = {
		.binary = "qemu", .kernel = "k", .initrd = "i", .accel = "tcg", .rundir = "/run/x"
	};
	struct strv argv = { 0 };
	char *line;

	ASSERT_EQ(0, qemu_argv_build(&self->s, &plan, &argv));
	line = strv_join_shell(&argv);
	ASSERT_NE(NULL, line);
	EXPECT_EQ(variant->usbnet_monitor, strstr(line, "id=usbnet-qmp,") != NULL);
	free(line);
	strv_free(&argv);
}

/* Every area has a name, and nothing it offers is half there. */
TEST(table_is_well_formed)
{
	size_t n = 0;

	for (const struct host_area_ops *const *a = host_areas; *a; a++, n++) {
		EXPECT_NE(NULL, (*a)->name);
		EXPECT_NE(NULL, (*a)->wanted);
		/* State made by start is freed. */
		if ((*a)->start) {
			EXPECT_NE(NULL, (*a)->free);
		}
	}
	EXPECT_LE(1U, n);
}

TEST_HARNESS_MAIN
