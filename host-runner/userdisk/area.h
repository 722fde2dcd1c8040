/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [machine] disk = FILE as a kind of run (session/area.h): userdisk/disk_run.h. */
#ifndef GUESTCHECK_USERDISK_AREA_H
#define GUESTCHECK_USERDISK_AREA_H

#include "session/area.h"

extern const struct host_area_ops userdisk_area;

#endif
