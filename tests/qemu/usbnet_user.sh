# The loss probe over QEMU user networking, one boot, three usb-net devices
# (scenarios/usbnet-user.ini), each finding checked against the truth the
# runner's peer recorded: net0 loses nothing; net1 (1000 probes/s) measures
# the peer's 12.5% Bernoulli loss within the statistical bound, exactly as
# many as the peer dropped, all downstream; net2 finds each of the peer's
# 500 ms outages with start and length within two probe intervals. Also:
# link facts and the eth0 naming trap, live lines while probing, the
# timeline and a well-formed plot in the results directory. net3 leases its
# address by DHCP (DISCOVER/OFFER/REQUEST/ACK with slirp: its network is
# 10.0.5.0/24) and probes the leased gateway without loss.
. "$TESTS_DIR/lib.sh"
run_scenario "$TESTS_DIR/../scenarios/usbnet-user.ini"
expect_rc 0
expect_file_has "$OUT/ktap.log" "ok .* usbnet.link"
expect_file_has "$OUT/ktap.log" "ok .* usbnet.probe"
expect_file_has "$OUT/ktap.log" "net0: usb0 on USB interface .*, driver cdc_ether, MAC 52:54:00:12:34:56 (configured 52:54:00:12:34:56), MTU 1500"
expect_file_has "$OUT/ktap.log" "net0: usb0: gateway 10.0.2.2 resolves to 52:55:0a:00:02:02 (ARP"
expect_file_has "$OUT/ktap.log" "net0: usb0: the gateway 10.0.2.2 answered [1-3] of 3 ICMP echoes"
expect_file_has "$OUT/ktap.log" "net1: eth0: the MAC's locally-administered bit (0x02 of 00) is clear, so usbnet named the interface eth%d, not usb%d"
expect_file_has "$OUT/ktap.log" "net0: 300 sent, 300 answered, 0 lost (0.00%): 0 upstream, 0 downstream"
expect_file_has "$OUT/ktap.log" "net0: RTT min .* / avg .* / p50 .* / p99 .* / max .* ms, jitter"
expect_file_has "$OUT/ktap.log" "net0: usb0 counters during the probe (libnl): rx +"
expect_file_has "$OUT/ktap.log" "net3: usb[0-9]: DHCP leased 10.0.5.15/24, gateway 10.0.5.2, server 10.0.5.2, lease [0-9]* s ("
expect_file_has "$OUT/ktap.log" "net3: usb[0-9]: the gateway 10.0.5.2 answered [1-3] of 3 ICMP echoes"
expect_file_has "$OUT/ktap.log" "net3: probing 10.0.5.2:[0-9]* over usb[0-9] (10.0.5.15/24): 100 probes/s for 1.0 s"
expect_file_has "$OUT/ktap.log" "net3: 100 sent, 100 answered, 0 lost (0.00%)"
expect_output "usbnet-user: live net0 1s: "
expect_output "usbnet-user: live net1 1s: "
for f in usbnet-net0-timeline.csv usbnet-net0.svg usbnet-net0.json usbnet-net2.svg; do
	[ -s "$OUT/$f" ] || fail "results directory lacks $f"
done
python3 - "$OUT" <<'PY'
import csv, json, math, re, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
diag = "\n".join({t["name"]: t["diagnostics"] or [] for t in r["ktap"]["tests"]}["usbnet.probe"])
peer = {n: json.load(open(f"{out}/usbnet-{n}.json")) for n in ("net0", "net1", "net2")}

def summary(dev):
    m = re.search(rf"^{dev}: (\d+) sent, (\d+) answered, (\d+) lost \([0-9.]+%\): (\d+) upstream, "
                  rf"(\d+) downstream", diag, re.M)
    assert m, f"no summary for {dev}"
    return [int(x) for x in m.groups()]

# net0: nothing lost, and the peer saw every probe.
sent, answered, lost, up, down = summary("net0")
assert (sent, answered, lost) == (300, 300, 0), (sent, answered, lost)
assert peer["net0"]["peer"]["received"] == 300, peer["net0"]["peer"]
assert peer["net0"]["round_trip"] == {"answered": 300, "lost": 0, "unknown": 0}, peer["net0"]
rows = list(csv.DictReader(open(f"{out}/usbnet-net0-timeline.csv")))
assert len(rows) == 300 and all(x["round_trip"] == "answered" for x in rows), rows[:3]
assert sum(1 for x in rows if x["rtt_ms"]) >= 295, "RTTs missing from the timeline"

# net1: Bernoulli 12.5% on the echoes: the guest finds every echo the peer
# withheld, all of them downstream, and its rate is within four standard
# deviations of 12.5%. At 1000 probes/s on a busy TCG host usb-net itself may
# drop a few more on the way down: those count too, but stay few.
sent, answered, lost, up, down = summary("net1")
truth = peer["net1"]["peer"]["dropped_down"]
assert sent == 5000 and up == 0 and down == lost, (sent, lost, up, down)
assert truth <= lost <= truth + sent // 100, (lost, truth)
p, bound = 0.125, 4 * math.sqrt(0.125 * 0.875 / sent) + 1 / sent
assert abs(lost / sent - p) <= bound, (lost / sent, bound)

# net2: on/off outages upstream; every window the peer made, the guest found,
# start and length within two probe intervals (10 ms each).
interval = 0.01
truth = [w for w in peer["net2"]["injection"]["windows"]]
found = [(float(a), float(b)) for a, b in
         re.findall(r"^net2: outage ([0-9.]+) s to ([0-9.]+) s", diag, re.M)]
assert len(truth) == len(found) >= 3, (truth, found)
for w, (start, end) in zip(truth, found):
    assert abs(start - w["start_s"]) <= 2 * interval, (w, start)
    assert abs((end - start) - (w["end_s"] - w["start_s"])) <= 2 * interval, (w, start, end)
    assert w["count"] <= 51, w  # 500 ms at 100/s
sent, answered, lost, up, down = summary("net2")
assert up == lost and down == 0, (lost, up, down)

# The plot: well-formed SVG with the outages shaded and the lost bins drawn.
svg = ET.parse(f"{out}/usbnet-net2.svg").getroot()
ns = "{http://www.w3.org/2000/svg}"
rects = [e.get("class") for e in svg.iter(f"{ns}rect")]
assert rects.count("outage") == len(found) and rects.count("lost") >= 10, rects
PY
