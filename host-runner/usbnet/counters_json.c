// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/counters_json.h"

json_object *link_counters_json(const struct link_counters *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "rx_packets", json_object_new_int64(c->rx_packets));
	json_object_object_add(o, "tx_packets", json_object_new_int64(c->tx_packets));
	json_object_object_add(o, "rx_dropped", json_object_new_int64(c->rx_dropped));
	json_object_object_add(o, "tx_dropped", json_object_new_int64(c->tx_dropped));
	json_object_object_add(o, "rx_errors", json_object_new_int64(c->rx_errors));
	json_object_object_add(o, "tx_errors", json_object_new_int64(c->tx_errors));
	return o;
}
