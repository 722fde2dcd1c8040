# The corrected remap (scenarios/usbnet-remap-fixed.ini): the virtio-net
# deleted first (DEVICE_DELETED awaited), then the usb-net on a netdev of
# queue 0's descriptor only: no loss at 1000 probes/s, and the uprobes show
# the usb-net's netdev read every frame QEMU took from the tap.
. "$TESTS_DIR/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: the runner creates taps in a network namespace"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
unshare -n true 2>/dev/null || skip "cannot create a network namespace here"
command -v bpftrace >/dev/null || skip "no bpftrace: the proof of who reads the tap needs it (make deps)"
run_scenario "$TESTS_DIR/../scenarios/usbnet-remap-fixed.ini"
expect_rc 0
expect_file_has "$OUT/ktap.log" "net1: 10000 sent, [0-9]* answered, [0-9]* lost"
expect_output "net1: QMP netdev_add tap id=net1 fds=100 (the descriptors of net1-orig)"
expect_output "net1: note: proven by uprobes on QEMU: during the probe net1, the usb-net's netdev, read all [0-9]* frames QEMU took from the tap; no other netdev read any"
python3 - "$OUT" <<'PY'
import json, sys
b = json.load(open(f"{sys.argv[1]}/usbnet-net1.json"))
# Nothing lost in QEMU or the guest: every lost probe or echo, if any, is
# placed by the counters on the host, between the tap and the peer.
g = b["guest"]
lost = g["sent"] - g["answered"]
assert lost <= 10, g
if lost:
    assert any("between the tap and the peer" in f and "not in QEMU" in f for f in b["findings"]), b["findings"]
assert not any("died past the tap" in f or "between the guest and the tap" in f for f in b["findings"]), b["findings"]
marks = [m["what"] for m in b["qmp"]]
steps = [m["what"].split()[0] for m in b["qmp"] if not m["event"]]
assert steps == ["set_link", "device_del", "netdev_add", "device_add"], steps
# The new netdev came only after QEMU said the virtio-net was gone.
i_del = marks.index("DEVICE_DELETED net1-virtio")
i_add = next(i for i, w in enumerate(marks) if w.startswith("netdev_add"))
assert i_del < i_add, marks
frames = b["readers"]["frames_per_second"]
# Before the remap the virtio-net's netdev reads (its NIC is the guest's); after
# the usb-net's netdev read its first frame, no other netdev reads one.
first = min(c["t_s"] for c in frames if c["netdev"] == "net1")
assert not [c for c in frames if c["netdev"] != "net1" and c["t_s"] > first], frames
assert sum(c["frames"] for c in frames if c["netdev"] == "net1") >= 10000, frames
assert not any("loss" in f.split(":")[0] for f in b["findings"]), b["findings"]
PY
