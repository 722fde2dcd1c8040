/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tap's libnl counters as JSON: the runner's report and `guestcheck diagnose` write the same. */
#ifndef GUESTCHECK_COUNTERS_JSON_H
#define GUESTCHECK_COUNTERS_JSON_H

#include <json-c/json.h>

#include "nl_route.h"

/* {"rx_packets": ..., "tx_packets": ..., "rx_dropped", "tx_dropped", "rx_errors", "tx_errors"} */
json_object *link_counters_json(const struct link_counters *c);

#endif
