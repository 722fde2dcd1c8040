# SPDX-License-Identifier: GPL-2.0-or-later
"""A corrected remap's results (usbnet-NAME.json in OUT): nothing lost in QEMU
or the guest, and QEMU's uprobes show only the usb-net's netdev reading.
Every lost probe or echo, if any, must be placed by the hop finding on the
host, between the tap and the peer. Usage: OUT."""
import json
import sys

b = json.load(open(f"{sys.argv[1]}/usbnet-net1.json"))
g = b["guest"]
lost = g["sent"] - g["answered"]
assert lost <= 10, g
if lost:
    assert any("between the tap and the peer" in f and "not in QEMU" in f
               for f in b["findings"]), b["findings"]
assert not any("died past the tap" in f or "between the guest and the tap" in f
               for f in b["findings"]), b["findings"]
frames = b["readers"]["frames_per_second"]
# Before the remap the virtio-net's netdev may read (its NIC is the guest's);
# after the usb-net's netdev read its first frame, no other netdev reads one.
first = min(c["t_s"] for c in frames if c["netdev"] == "net1")
assert not [c for c in frames if c["netdev"] != "net1" and c["t_s"] > first], frames
assert sum(c["frames"] for c in frames if c["netdev"] == "net1") >= g["answered"], frames
# The host's neighbour record (the peer's RTNLGRP_NEIGH listener): the
# guest's entry, with the MAC the guest itself reports, resolved throughout.
n = b["neighbours"]
assert n["recorded"] and n["changes"], n
assert any(c.get("lladdr", "").lower() == g["mac_seen"].lower() for c in n["changes"]), (n, g)
assert any("the host resolved the guest's MAC throughout the probe" in f
           for f in b["findings"]), b["findings"]
