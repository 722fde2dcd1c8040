/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Non-interference's part in its agent phases (session/area.h): what QEMU
 * counted for each protected card when the agent ends. The installer phase
 * is no agent session: installer_boot.h.
 */
#ifndef GUESTCHECK_NONINTERFERENCE_AREA_H
#define GUESTCHECK_NONINTERFERENCE_AREA_H

#include "session/area.h"

extern const struct host_area_ops noninterference_area;

#endif
