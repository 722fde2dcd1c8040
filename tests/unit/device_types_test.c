// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/device_types.def: each type's one line holds what the runner and the
 * agent share, and the runner's struct in host-runner/devices/ID.c points at
 * its own line; a type's modules are in the base image.
 */
#include <stdio.h>
#include <string.h>

#include "device_kind.h"
#include "kselftest_harness.h"
#include "source_path.h"

#include "devices/device_type.h"

/* A typo in `.kind = &ID_kind` would give one type another's name and modules. */
TEST(each_runner_type_points_at_its_own_line)
{
#define DEVICE_TYPE(id, name_, ...)                                                                \
	EXPECT_EQ(&id##_kind, id##_device.kind) TH_LOG("%s", #id);                                 \
	EXPECT_STREQ(name_, id##_kind.name);
#include "device_types.def"
#undef DEVICE_TYPE
	ASSERT_EQ(device_kinds_count, device_types_count);
	for (size_t i = 0; i < device_types_count; i++)
		EXPECT_EQ(device_kinds[i], device_types[i]->kind);
}

TEST(found_by_name_only_where_the_name_is_read)
{
	for (size_t i = 0; i < device_kinds_count; i++) {
		const char *name = device_kinds[i]->name;

		EXPECT_EQ(device_kinds[i], device_kind_find(name)) TH_LOG("%s", name);
		EXPECT_EQ(device_kinds[i], device_type_find(name)->kind) TH_LOG("%s", name);
		for (size_t j = 0; j < i; j++)
			EXPECT_STRNE(device_kinds[j]->name, name);
		/* A network interface has no node; every block device has one. */
		EXPECT_EQ(device_kinds[i]->find == DEVICE_FIND_NET, !device_kinds[i]->default_node)
		TH_LOG("%s", name);
	}
	EXPECT_EQ(NULL, device_kind_find("floppy"));
	EXPECT_EQ(NULL, device_kind_find(NULL));
	EXPECT_EQ(NULL, device_type_find("floppy"));
}

TEST(names_for_messages)
{
	char buf[256];

	EXPECT_STREQ("sd-card, nvme-zns, usb-net, null-blk, scsi-debug, hdd",
		     device_kind_names(buf, sizeof(buf)));
}

/* The agent can only load what build-initramfs put in the image. */
TEST(modules_are_in_the_base_image)
{
	char path[PATH_MAX], line[128], list[4096] = " ";
	FILE *f;

	source_path(path, sizeof(path), "initramfs/modules.list");
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\n#")] = '\0';
		if (line[0] && strlen(list) + strlen(line) + 2 < sizeof(list)) {
			strcat(list, line);
			strcat(list, " ");
		}
	}
	fclose(f);
	for (size_t i = 0; i < device_kinds_count; i++) {
		char mods[128], *tok, *save, want[80];

		snprintf(mods, sizeof(mods), "%s", device_kinds[i]->modules);
		for (tok = strtok_r(mods, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			snprintf(want, sizeof(want), " %s ", tok);
			EXPECT_NE(NULL, strstr(list, want))
			TH_LOG("%s: module %s is not in initramfs/modules.list",
			       device_kinds[i]->name, tok);
		}
	}
}

TEST_HARNESS_MAIN
