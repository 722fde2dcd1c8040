# `guestcheck peer` and the agent as a plain command, without `guestcheck
# run`: the test starts two peers on 127.0.0.1 (one clean, one injecting 20%
# downstream loss at a fixed seed), then QEMU itself (TCG, user networking,
# two usb-net adapters on qemu-xhci) with the base image and an /init of its
# own that loads the modules, gives each adapter its address with busybox ip
# and runs `guestcheck-agent --only usbnet --config agent.ini --output -`
# into a second serial port. agent.ini names each peer with peer = ADDR:PORT
# (the guest reaches the host's 127.0.0.1 as its gateway: 10.0.2.2 on the
# first adapter's network, 10.0.3.2 on the second's). Asserts: usbnet.probe
# ok, every probe answered on net0; the peers' JSON and CSV agree with the
# agent's counts; the injected loss is within the bound on both sides; both
# peers end on their own when the probe does, exit 0 and wrote their files.
# QEMU is qemu-system-x86_64 on PATH, or $GUESTCHECK_QEMU (QEMU 10.0's usb-net
# gives the adapters 40:... MACs: the /init matches the MAC's last bytes).
. "$TESTS_DIR/lib.sh"
: "${GUESTCHECK_AGENT:?run through make test}" "${GUESTCHECK_KERNEL:?run through make test}"
QEMU=${GUESTCHECK_QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null || skip "no $QEMU"
PEER_PIDS=
at_exit 'for p in $PEER_PIDS; do kill "$p" 2>/dev/null; done'

# start_peer NAME ARGS...: in the background, bounded; its port in PORT_NAME.
start_peer() {
	local name=$1 port; shift
	timeout 300 "$GUESTCHECK" peer --listen 127.0.0.1:0 --name "$name" -o "$TMP/out" "$@" \
		>"$TMP/peer-$name.out" 2>&1 &
	PEER_PIDS="$PEER_PIDS $!"
	eval "PID_$name=$!"
	port=$(peer_port "$TMP/peer-$name.out")
	[ -n "$port" ] || { cat "$TMP/peer-$name.out"; fail "peer $name did not say where it listens"; }
	eval "PORT_$name=$port"
}
start_peer net0
start_peer net1 --inject-loss 20 --inject-seed 7 --inject-direction down
echo "peers: net0 on $PORT_net0, net1 on $PORT_net1"

cat >"$TMP/agent.ini" <<INI
[scenario]
name = peer-command

[device net0]
type = usb-net
mac = 52:54:00:12:34:56

[device net1]
type = usb-net
mac = 52:54:00:12:34:57

# What the guest's init configured, and where each peer is.
[probe net0]
address = 10.0.2.15/24
peer = 10.0.2.2:$PORT_net0

[probe net1]
address = 10.0.3.15/24
gateway = 10.0.3.2
peer = 10.0.3.2:$PORT_net1
probe_rate = 500
probe_duration = 2s
inject_loss = 20%
INI

cat >"$TMP/init" <<'SH'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
busybox modprobe xhci_pci; busybox modprobe cdc_ether
# Each adapter by its MAC's last byte (QEMU 10.0 shows 40:... for 52:...).
up=0
for _ in $(busybox seq 100); do
	for i in /sys/class/net/*; do
		case $(cat "$i/address") in
		*:12:34:56) busybox ip addr add 10.0.2.15/24 dev "${i##*/}" 2>/dev/null
			    busybox ip link set "${i##*/}" up ;;
		*:12:34:57) busybox ip addr add 10.0.3.15/24 dev "${i##*/}" 2>/dev/null
			    busybox ip link set "${i##*/}" up ;;
		esac
	done
	up=$(busybox ip -4 addr | busybox grep -c 'inet 10\.0\.[23]\.15/')
	[ "$up" -eq 2 ] && break
	sleep 0.1
done
echo "peer-command guest: $up adapters configured"
/bin/guestcheck-agent --only usbnet --config /etc/agent.ini --output - >/dev/ttyS1
echo "peer-command guest: agent exited $?"
sync
busybox poweroff -f
SH

# The base image with this /init, the agent and agent.ini added.
mkdir -p "$TMP/overlay/bin" "$TMP/overlay/etc"
cp "$TMP/init" "$TMP/overlay/init"; chmod 755 "$TMP/overlay/init"
cp "$GUESTCHECK_AGENT" "$TMP/overlay/bin/guestcheck-agent"
cp "$TMP/agent.ini" "$TMP/overlay/etc/agent.ini"
cp "$GUESTCHECK_INITRAMFS" "$TMP/initrd.img"
size=$(stat -c %s "$TMP/initrd.img"); head -c $(( (4 - size % 4) % 4 )) /dev/zero >>"$TMP/initrd.img"
(cd "$TMP/overlay" && printf 'init\nbin/guestcheck-agent\netc/agent.ini\n' |
	cpio --quiet -o -H newc -R 0:0) >>"$TMP/initrd.img"

start=$(date +%s)
set +e
timeout 300 "$QEMU" -accel tcg -machine q35 -m 256M -smp 1 -nodefaults -no-reboot \
	-display none -kernel "$GUESTCHECK_KERNEL" -initrd "$TMP/initrd.img" \
	-append "console=ttyS0 panic=-1 quiet no_timer_check" \
	-serial "file:$TMP/console.log" -serial "file:$TMP/ktap.raw" \
	-device qemu-xhci,id=xhci \
	-netdev user,id=n0 -device usb-net,bus=xhci.0,netdev=n0,mac=52:54:00:12:34:56 \
	-netdev user,id=n1,net=10.0.3.0/24,host=10.0.3.2 \
	-device usb-net,bus=xhci.0,netdev=n1,mac=52:54:00:12:34:57
qrc=$?
set -e
echo "--- QEMU exit $qrc after $(( $(date +%s) - start )) s; console:"
cat "$TMP/console.log"
tr -d '\r' <"$TMP/ktap.raw" >"$TMP/ktap"
echo "--- the agent's KTAP:"
cat "$TMP/ktap"
[ "$qrc" -eq 0 ] || fail "QEMU exit $qrc (124: the guest did not power off within 300 s)"

# Both peers end by themselves once their probe did.
for n in net0 net1; do
	eval "pid=\$PID_$n"
	set +e; wait "$pid"; prc=$?; set -e
	echo "--- peer $n exit $prc:"; cat "$TMP/peer-$n.out"
	[ "$prc" -eq 0 ] || fail "peer $n exited $prc"
	grep -q "guestcheck peer: $n: the guest's probe ended" "$TMP/peer-$n.out" ||
		fail "peer $n did not see the probe end"
	grep -q "^guestcheck: $n: note: no QEMU here" "$TMP/peer-$n.out" ||
		fail "peer $n does not say the QMP and tap findings are absent"
	for f in usbnet-$n-timeline.csv usbnet-$n.svg usbnet-$n.json; do
		[ -s "$TMP/out/$f" ] || fail "peer $n did not write $f"
	done
done
PEER_PIDS=

expect_file_has "$TMP/console.log" "peer-command guest: 2 adapters configured"
expect_file_has "$TMP/console.log" "peer-command guest: agent exited 0"
expect_file_has "$TMP/ktap" "^ok 1 usbnet.link"
expect_file_has "$TMP/ktap" "^ok 2 usbnet.probe"
expect_file_has "$TMP/ktap" "net0: probing 10.0.2.2:$PORT_net0 over "
expect_file_has "$TMP/ktap" "net1: probing 10.0.3.2:$PORT_net1 over "
expect_file_has "$TMP/ktap" "net0: 300 sent, 300 answered, 0 lost (0.00%)"
expect_file_has "$TMP/ktap" "net1: the peer injects 20.00% loss, measured .* over 1000 probes: within the bound"

python3 - "$TMP/out" "$TMP/ktap" <<'PY'
import csv, json, math, re, sys
out, ktap = sys.argv[1], open(sys.argv[2]).read()

def summary(dev):
    m = re.search(rf"^# {dev}: (\d+) sent, (\d+) answered, (\d+) lost \([0-9.]+%\): (\d+) upstream, "
                  rf"(\d+) downstream", ktap, re.M)
    assert m, f"no summary for {dev}"
    return [int(x) for x in m.groups()]

for dev in ("net0", "net1"):
    sent, answered, lost, up, down = summary(dev)
    j = json.load(open(f"{out}/usbnet-{dev}.json"))
    rows = list(csv.DictReader(open(f"{out}/usbnet-{dev}-timeline.csv")))
    peer = j["peer"]
    print(dev, "guest", (sent, answered, lost, up, down), "peer", peer, j["round_trip"])
    assert j["planned"] == sent and peer["guest_done"] and peer["guest_sent"] == sent, j
    # The peer saw every probe arrive; what it echoed is what the guest got back.
    assert peer["received"] == sent and peer["dropped_up"] == 0, peer
    assert peer["echoed"] == answered, (peer, answered)
    assert peer["dropped_down"] == lost == down and up == 0, (peer, lost, down, up)
    # Without the guest's KTAP a round trip is "answered" when the guest's ack
    # came back: acks ride on the next probes, 8 at most, so a stalled guest
    # that took more than 8 echoes between two sends leaves a few "unknown".
    rt = j["round_trip"]
    assert rt["lost"] == lost and rt["answered"] + rt["unknown"] == answered, rt
    assert rt["unknown"] <= answered // 50, rt
    assert len(rows) == sent, len(rows)
    assert sum(r["round_trip"] == "answered" for r in rows) == rt["answered"]
    assert sum(r["echo"] == "injected-drop" for r in rows) == lost
    assert sum(1 for r in rows if r["rtt_ms"]) == rt["answered"], "RTTs missing"

# net1: 20% injected; both sides' share within four standard deviations + one probe.
sent, answered, lost, up, down = summary("net1")
p, bound = 0.2, 4 * math.sqrt(0.2 * 0.8 / sent) + 1 / sent
assert sent == 1000 and abs(lost / sent - p) <= bound, (lost, sent, bound)
j = json.load(open(f"{out}/usbnet-net1.json"))
assert j["injection"]["loss"] == 0.2 and j["injection"]["dropped"] == lost, j["injection"]
print(f"net1: injected 20%, both saw {lost} of {sent} lost ({lost / sent:.2%}, bound +-{bound:.2%})")
PY
