// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of areas with host parts (area.h): one line each. */
#include "noninterference/area.h"
#include "sdhci/area.h"
#include "session/area.h"
#include "usbnet/area.h"
#include "userdisk/area.h"

/* One line each, whatever clang-format would pack. */
// clang-format off
const struct host_area_ops *const host_areas[] = {
	&usbnet_area,
	&sdhci_area,
	&noninterference_area,
	&userdisk_area,
	NULL,
};
// clang-format on

void host_areas_qemu_args(const struct scenario *s, const char *rundir, struct strv *argv)
{
	for (const struct host_area_ops *const *a = host_areas; *a; a++)
		if ((*a)->qemu_args && host_area_wanted(*a, s))
			(*a)->qemu_args(s, rundir, argv);
}

const struct host_area_ops *host_area_run_kind(const struct scenario *s)
{
	for (const struct host_area_ops *const *a = host_areas; *a; a++)
		if ((*a)->run && host_area_wanted(*a, s))
			return *a;
	return NULL;
}
