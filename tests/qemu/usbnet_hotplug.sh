# usb-net hot-plugged over QMP after the agent's hello (scenarios/
# usbnet-hotplug.ini), then its link set down over QMP 2 s into the probe for
# 1.5 s: the guest finds the hot-plugged adapter, the probe finds exactly one
# outage, and it lies where the runner's QMP commands put it on the shared
# timeline (the plot marks them).
. "$TESTS_DIR/lib.sh"
run_scenario "$TESTS_DIR/../scenarios/usbnet-hotplug.ini"
expect_rc 0
expect_output "net0: QMP device_add usb-net id=net0 netdev=net0 mac=52:54:00:12:34:60"
expect_output "net0: QMP set_link net0 off"
expect_output "net0: QMP set_link net0 on"
expect_file_has "$OUT/ktap.log" "ok .* devices.present"
expect_file_has "$OUT/ktap.log" "net0: the runner set the link down 2.000 s into the probe for 1.500 s (QMP set_link): the one outage ran from"
python3 - "$OUT" <<'PY'
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
d = json.load(open(f"{out}/usbnet-net0.json"))
marks = {m["what"]: m["t_s"] for m in d["qmp"] if not m["event"]}
assert marks["device_add usb-net id=net0 netdev=net0 mac=52:54:00:12:34:60"] < 0, marks
off, on = marks["set_link net0 off"], marks["set_link net0 on"]
assert len(d["outages"]) == 1, d["outages"]
o = d["outages"][0]
# The runner stamps a command as it sends it; QEMU acts within milliseconds.
assert abs(o["start_s"] - off) <= 0.1 and abs(o["end_s"] - on) <= 0.1, (o, off, on)
assert "set_link" in open(f"{out}/usbnet-net0.svg").read()
ET.parse(f"{out}/usbnet-net0.svg")
PY
