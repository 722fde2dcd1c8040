/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SD host controller's host part (session/area.h): QEMU's memory map (qemu_mtree.h). */
#ifndef GUESTCHECK_SDHCI_AREA_H
#define GUESTCHECK_SDHCI_AREA_H

#include "session/area.h"

extern const struct host_area_ops sdhci_area;

#endif
