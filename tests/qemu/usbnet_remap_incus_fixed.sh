# The corrected remap at Incus's pre-start (scenarios/usbnet-remap-incus-fixed.ini):
# with native PCIe hotplug QEMU completes the virtio-net's unplug while
# paused, before `cont`; the usb-net on queue 0's descriptor loses nothing at
# 1000 probes/s, and the uprobes show no other netdev read a frame. The same
# remap under ACPI hotplug (QEMU's default) is what usbnet_remap_incus shows.
. "$TESTS_DIR/lib.sh"
require_taps bpftrace
run_scenario "$TESTS_DIR/../scenarios/usbnet-remap-incus-fixed.ini"
expect_rc 0
expect_file_has "$OUT/ktap.log" "net1: 10000 sent, [0-9]* answered, [0-9]* lost"
expect_output "net1: note: proven by uprobes on QEMU: during the probe net1, the usb-net's netdev, read all [0-9]* frames QEMU took from the tap; no other netdev read any"
python3 "$TESTS_DIR/usbnet_remap_fixed_check.py" "$OUT"
python3 - "$OUT" <<'PY'
import json, sys
b = json.load(open(f"{sys.argv[1]}/usbnet-net1.json"))
marks = [m["what"] for m in b["qmp"]]
# QEMU said the virtio-net was gone before the guest started.
assert marks.index("DEVICE_DELETED net1-virtio") < marks.index("cont (the guest starts)"), marks
assert not any(m.startswith("no DEVICE_DELETED") for m in marks), marks
hdr = [c for c in b["readers"]["handler_changes"] if c["what"] == "vnet_hdr_len" and c["value"] == 12]
assert not hdr, hdr   # no virtio_net driver ever negotiated a header on the tap
PY
