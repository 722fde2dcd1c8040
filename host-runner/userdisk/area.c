// SPDX-License-Identifier: GPL-2.0-or-later
#include "userdisk/area.h"

#include "userdisk/disk_run.h"

static bool wanted(const struct scenario *s)
{
	return s->disk[0];
}

const struct host_area_ops userdisk_area = {
	.name = "user-disk",
	.wanted = wanted,
	.run = disk_run,
};
