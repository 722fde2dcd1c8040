# The corrected remap (scenarios/usbnet-remap-fixed.ini): the virtio-net
# deleted first (DEVICE_DELETED awaited), then the usb-net on a netdev of
# queue 0's descriptor only: no loss at 1000 probes/s, and the uprobes show
# the usb-net's netdev read every frame QEMU took from the tap.
. "$TESTS_DIR/lib.sh"
require_taps bpftrace
run_scenario "$TESTS_DIR/../scenarios/usbnet-remap-fixed.ini"
expect_rc 0
expect_file_has "$OUT/ktap.log" "net1: 10000 sent, [0-9]* answered, [0-9]* lost"
expect_output "net1: QMP netdev_add tap id=net1 fds=100 (the descriptors of net1-orig)"
expect_output "net1: note: proven by uprobes on QEMU: during the probe net1, the usb-net's netdev, read all [0-9]* frames QEMU took from the tap; no other netdev read any"
python3 "$TESTS_DIR/usbnet_remap_fixed_check.py" "$OUT"
python3 - "$OUT" <<'PY'
import json, sys
b = json.load(open(f"{sys.argv[1]}/usbnet-net1.json"))
marks = [m["what"] for m in b["qmp"]]
steps = [m["what"].split()[0] for m in b["qmp"] if not m["event"]]
assert steps == ["set_link", "device_del", "netdev_add", "device_add"], steps
# The new netdev came only after QEMU said the virtio-net was gone.
i_del = marks.index("DEVICE_DELETED net1-virtio")
i_add = next(i for i, w in enumerate(marks) if w.startswith("netdev_add"))
assert i_del < i_add, marks
PY
