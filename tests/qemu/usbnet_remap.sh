# The users' QMP remap onto usb-net, on taps with 4 queues that the runner
# opens in private network namespaces and hands to QEMU as fds= (root only;
# scenarios/usbnet-remap.ini). net0, usb-net cold-plugged on its tap, loses
# nothing; net1, remapped from a virtio-net onto usb-net over QMP, gets no
# answer at all, and the host-side diagnosis says why: two netdevs read the
# same tap descriptors, and the answers die in QEMU on the way down. The
# scenario declares net1's failures ([expect]): the run passes with them.
. "$TESTS_DIR/lib.sh"
require_taps bpftrace
run_scenario "$TESTS_DIR/../scenarios/usbnet-remap.ini"
expect_rc 0
expect_output "scenario usbnet-remap: PASS (.* 0 failed, 2 expected failures,"
expect_output "XFAIL    usbnet.probe"
expect_output "net1: QMP netdev_add tap id=net1 fds=108:109:110:111 (the descriptors of net1-orig)"
expect_output "net1: QMP device_del net1-virtio"
expect_file_has "$OUT/ktap.log" "net0: 400 sent, 400 answered, 0 lost (0.00%)"
expect_file_has "$OUT/ktap.log" "FAIL net1: 0 of 400 probes answered"
expect_file_has "$OUT/ktap.log" "net1: usb1: the gateway 10.0.3.2 never resolved (ARP"
expect_output "net1: loss: tap descriptor 108 is read by two netdevs, net1-orig (queue 0, no frontend) and net1 (queue 0, with a frontend)"
# The cause, proven from QEMU itself (uprobes): the orphan took queue 0 back.
expect_output "net1: loss: proven by uprobes on QEMU: during the probe net1-orig read [1-9][0-9]* frames from the tap and net1, the usb-net's netdev, read 0"
expect_output "s net1 took fds 108-111; [0-9.]* s net1-orig took fd 108"
# ... said live, as it happened, before the probe lost anything; never for net0.
expect_output "net1: live: net1-orig took the read handler of descriptor 108"
expect_output "net1: note: the cause was said live at [0-9.]* s (uprobes), [0-9.]* s before the probe's first loss"
grep -q "net0: live:" "$TMP/stdout" "$TMP/stderr" && fail "a live cause for net0, which loses nothing"
expect_output "net0: note: proven by uprobes on QEMU: during the probe net0, the usb-net's netdev, read all"
# Every finding is whole: the shared-descriptor one ends with its fix.
expect_output "then netdev_add on queue 0's descriptor only (a usb-net has one queue): remap_fix = queue0 shows it (info network)"
expect_file_has "$OUT/usbnet-net1-readers.csv" "handler,net1-orig,108,,1"
expect_output "net1: loss: the peer received none of the guest's probes, but tap gc-net1 got"
expect_output "net0: note: net0 (usb-net) has one queue but sits on a 4-queue netdev"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
a, b = (json.load(open(f"{out}/usbnet-{n}.json")) for n in ("net0", "net1"))
assert a["round_trip"]["answered"] == 400 and a["peer"]["received"] == 400, a["round_trip"]
assert a["tap"]["after"]["tx_packets"] > a["tap"]["before"]["tx_packets"], a["tap"]
assert b["guest"]["answered"] == 0 and b["peer"]["received"] == 0, b["guest"]
# The tap answered the guest's ARP; none of it got through QEMU.
assert b["tap"]["after"]["rx_packets"] > b["tap"]["before"]["rx_packets"], b["tap"]
assert b["tap"]["after"]["tx_packets"] > b["tap"]["before"]["tx_packets"], b["tap"]
steps = [m["what"].split()[0] for m in b["qmp"] if not m["event"]]
assert steps == ["netdev_add", "device_add", "set_link", "device_del"], steps
assert any(m["what"] == "DEVICE_DELETED net1-virtio" for m in b["qmp"]), b["qmp"]
assert "fd=108" in b["info_network"]["end"] and "net1-orig" in b["info_network"]["end"]
rd = b["readers"]
assert rd["evidence"] and any(c["netdev"] == "net1-orig" and c["what"] == "handler" and c["value"] == 1 for c in rd["handler_changes"]), rd
assert sum(c["frames"] for c in a["readers"]["frames_per_second"] if c["netdev"] == "net0") >= 400, a["readers"]
assert any(f.endswith("remap_fix = queue0 shows it (info network)") for f in b["findings"]), b["findings"]
r = json.load(open(f"{out}/results.json"))
tests = {t["name"]: t for t in r["ktap"]["tests"]}
for name in ("usbnet.link", "usbnet.probe"):
    assert tests[name]["status"] == "fail" and tests[name]["verdict"] == "xfail", tests[name]
assert tests["devices.present"]["verdict"] == "pass", tests["devices.present"]
assert r["counts"]["xfail"] == 2 and r["counts"]["failed"] == 0, r["counts"]
PY
