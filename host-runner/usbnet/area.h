/* SPDX-License-Identifier: GPL-2.0-or-later */
/* usb-net's host part (session/area.h): the probe peers and hot-plug (peer.h). */
#ifndef GUESTCHECK_USBNET_AREA_H
#define GUESTCHECK_USBNET_AREA_H

#include "session/area.h"

extern const struct host_area_ops usbnet_area;

#endif
