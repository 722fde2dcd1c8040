# guestcheck diagnose against a QEMU the test starts itself, as the user's
# own VM would be (root only): taps made the way libvirt and Incus make them
# (IFF_VNET_HDR, a 4-queue IFF_MULTI_QUEUE one) inside a network namespace of
# the test's, handed to QEMU as fd=/fds=; QEMU in the host's namespace with
# two QMP monitors, the test's and the one diagnose reads; a guest that brings
# its interfaces up and sleeps.
#  (a) clean: usb-net on its own tap, a virtio-net on the 4-queue one:
#      exit 0, no loss finding, the tap's counters over --watch
#  (a2) the test pauses the VM: QEMU reads no tap, gcd0's ring fills, and
#      --watch sees tx dropped grow: exit 1
#  (b) the users' remap done by the test over QMP: exit 1, the shared
#      descriptors and the netdev without a frontend named
#  (c) nothing changed: `info network`, query-status and QEMU's descriptors
#      the same before and after each diagnose; QEMU's own trace of every QMP
#      command (-trace handle_qmp_command) shows diagnose's monitor received
#      queries only
#  (d) bad input: not a socket, not QMP, a silent socket, a monitor another
#      client holds, no permission: exit 3 with one line, never a hang
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/diagnose_vm.sh"

cat >"$TMP/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
busybox modprobe xhci_pci; busybox modprobe cdc_ether
i=0
while [ $i -lt 100 ] && [ "$(ls /sys/class/net | grep -cv '^lo$')" -eq 0 ]; do sleep 0.1; i=$((i+1)); done
for n in /sys/class/net/*; do busybox ip link set "${n##*/}" up; done
echo "diag-guest: ready: $(ls /sys/class/net | tr '\n' ' ')"
# A hot-plugged adapter comes up too, as the users' guests bring theirs up.
while :; do
	sleep 1
	for n in /sys/class/net/*; do busybox ip link set "${n##*/}" up 2>/dev/null; done
done
INIT
overlay_initramfs "$TMP/guest.img" "$TMP/init"

# The helper execs QEMU: $! is QEMU's pid.
$PY "$HELPER" launch "$NS" gcd0:1:100 gcd1:4:108 -- "$QEMU" -machine q35 -accel tcg -m 256 \
	-nodefaults -display none -no-reboot -serial "file:$TMP/console.log" \
	-kernel "$GUESTCHECK_KERNEL" -initrd "$TMP/guest.img" -append "console=ttyS0 panic=-1" \
	-device qemu-xhci,id=xhci \
	-netdev tap,id=net0,fd=100,vhost=off \
	-device usb-net,id=net0,netdev=net0,bus=xhci.0,mac=52:54:00:12:34:56 \
	-device pcie-root-port,id=rp1,chassis=1 \
	-netdev tap,id=net1-orig,fds=108:109:110:111,vhost=off \
	-device virtio-net-pci,id=net1-virtio,netdev=net1-orig,bus=rp1,mq=on,vectors=10 \
	-qmp "unix:$TMP/test.qmp,server=on,wait=off" -qmp "unix:$TMP/user.qmp,server=on,wait=off" \
	-trace handle_qmp_command -D "$TMP/qmp-trace.log" >"$TMP/qemu.out" 2>&1 &
QPID=$!
PIDS="$QPID"
for i in $(seq 120); do
	grep -q "diag-guest: ready" "$TMP/console.log" 2>/dev/null && break
	kill -0 "$QPID" 2>/dev/null || { cat "$TMP/qemu.out"; fail "QEMU exited"; }
	sleep 1
done
grep "diag-guest: ready" "$TMP/console.log" || { tail -n 20 "$TMP/console.log"; fail "no guest in 120 s"; }
ip -n "$NS" link set lo up
ip -n "$NS" link set gcd0 up
ip -n "$NS" link set gcd1 up

# What QEMU says about itself and what it holds, through the test's own monitor.
# QEMU closes a monitor client's socket a moment after the client has gone
# (its main loop sees the hang-up): wait for that before listing QEMU's
# descriptors, or a loaded host lists the helper's connection in one
# snapshot and not in the other (1 Dec: fd 14, a socket, in p.before only).
monitors_idle() {
	for _ in $(seq 100); do
		ss -xpn state established | grep -F "pid=$QPID," |
			grep -qF -e "$TMP/test.qmp" -e "$TMP/user.qmp" || return 0
		sleep 0.1
	done
	fail "QEMU still holds a monitor connection 10 s after its client left"
}
snapshot() {
	timeout 30 $PY "$HELPER" qmp "$TMP/test.qmp" \
		'{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}' \
		'{"execute": "query-status"}' >"$TMP/$1"
	monitors_idle
	ls -l "/proc/$QPID/fd" | awk 'NR > 1 {print $9, $10, $11}' >>"$TMP/$1"
}
has() { grep -qF -- "$2" "$TMP/$1" || fail "$1 lacks '$2'"; }
lacks() { ! grep -qF -- "$2" "$TMP/$1" || fail "$1 has '$2'"; }
same() { diff -u "$TMP/$1" "$TMP/$2" || fail "diagnose changed QEMU: $1 and $2 differ"; }
# flood IFNAME [N]: N (1000) frames toward the guest from inside the namespace, in the
# background, from 1 s on: after diagnose's first read of the counters, before its second.
flood() { (sleep 1; $PY "$HELPER" flood "$NS" "$1" "${2:-1000}" >"$TMP/flood-$1") & }

echo "=== (a) a clean VM"
snapshot a.before
flood gcd0
diagnose a --qmp "$TMP/user.qmp" --watch 3 --json "$TMP/a.json"
wait $!
snapshot a.after
same a.before a.after
[ "$RC" -eq 0 ] || fail "a clean VM: expected exit 0, got $RC"
lacks a.out "loss:"
has a.out "QEMU $($QEMU --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')"
has a.out "pid $QPID (qemu-system-"
has a.out "descriptor 100 (net0 queue 0): tap gcd0, queue attached (TUNGETIFF)"
has a.out "descriptor 108 (net1-orig queue 0): tap gcd1, queue attached (TUNGETIFF)"
has a.out "tap gcd0: in another network namespace"
has a.out "guestcheck: note: tap gcd0: all 1 queues attached (TUNGETIFF) now"
has a.out "guestcheck: note: tap gcd0 over 3."
has a.out "guestcheck diagnose: 0 loss findings"
$PY - "$TMP/a.json" "$QPID" "$NS" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["pid"] == int(sys.argv[2]) and d["status"] == "running", (d["pid"], d["status"])
assert d["losses"] == 0 and d["cannot_read"] == "", d
taps = {t["name"]: t for t in d["taps"]}
# The taps live in the test's namespace, found from the tap itself.
ns = os.stat(f"/run/netns/{sys.argv[3]}").st_ino
for t in taps.values():
    assert t["netns_inode"] == ns and t["netns_from_tap"] and not t["netns_ours"], t
g0 = taps["gcd0"]
assert g0["counters_after"]["tx_packets"] - g0["counters"]["tx_packets"] >= 1000, g0
assert g0["counters_after"]["tx_dropped"] == g0["counters"]["tx_dropped"], g0
assert taps["gcd1"]["queues"][0] == "attached", taps["gcd1"]
assert {n["id"]: n["netdev"] for n in d["nics"]} == {"net0": "net0", "net1-virtio": "net1-orig"}, d["nics"]
assert "net1-orig: index=3,type=tap,fd=111" in d["info_network"], d["info_network"]
PY

echo "=== (a2) the VM paused by the test: nobody reads the taps, which drop once full"
timeout 30 $PY "$HELPER" qmp "$TMP/test.qmp" '{"execute": "stop"}' >/dev/null
snapshot p.before
flood gcd0 1500
diagnose p --qmp "$TMP/user.qmp" --watch 3
wait $!
snapshot p.after
same p.before p.after
timeout 30 $PY "$HELPER" qmp "$TMP/test.qmp" '{"execute": "cont"}' >/dev/null
[ "$RC" -eq 1 ] || fail "a paused VM: expected exit 1, got $RC"
has p.out "), paused, through"
has p.out "guestcheck: loss: tap gcd0 dropped "
has p.out " frames toward the guest in 3."

echo "=== (d) bad input, no permission"
: >"$TMP/plain-file"
diagnose notsock --qmp "$TMP/plain-file"
[ "$RC" -eq 3 ] || fail "not a socket: expected exit 3, got $RC"
has notsock.err "plain-file: not a socket: name the QMP socket QEMU listens on"
diagnose missing --qmp "$TMP/no-such.sock"
[ "$RC" -eq 3 ] || fail "no socket: expected exit 3, got $RC"
has missing.err "no-such.sock: No such file or directory: name QEMU's QMP socket"
$PY "$HELPER" listen-garbage "$TMP/garbage.sock" >/dev/null & PIDS="$PIDS $!"
$PY "$HELPER" listen-silent "$TMP/silent.sock" >/dev/null & PIDS="$PIDS $!"
for i in $(seq 50); do [ -S "$TMP/garbage.sock" ] && [ -S "$TMP/silent.sock" ] && break; sleep 0.1; done
diagnose garbage --qmp "$TMP/garbage.sock"
[ "$RC" -eq 3 ] || fail "not QMP: expected exit 3, got $RC"
has garbage.err "garbage.sock: not a QMP monitor (QMP: QEMU sent a line that is not a JSON object)"
start=$(date +%s)
diagnose silent --qmp "$TMP/silent.sock"
[ "$RC" -eq 3 ] || fail "a silent socket: expected exit 3, got $RC"
has silent.err "silent.sock: no QMP greeting within 5 s"
[ $(($(date +%s) - start)) -lt 15 ] || fail "a silent socket took more than 15 s"
# A monitor someone else holds (libvirtd holds its domain's) answers nobody else.
timeout 30 $PY "$HELPER" hold "$TMP/user.qmp" 20 >"$TMP/hold.out" & HOLD=$!
for i in $(seq 50); do grep -q holding "$TMP/hold.out" && break; sleep 0.1; done
diagnose held --qmp "$TMP/user.qmp"
kill $HOLD; wait $HOLD || true
[ "$RC" -eq 3 ] || fail "a held monitor: expected exit 3, got $RC"
has held.err "another (incusd, libvirtd) may hold this one"
# A --pid that is no QEMU: its descriptor numbers are not QEMU's, so they are not read.
diagnose notqemu --qmp "$TMP/user.qmp" --pid $$
[ "$RC" -eq 3 ] || fail "--pid of no QEMU: expected exit 3, got $RC"
has notqemu.err "--pid $$ (bash) is no QEMU: pass the pid of the QEMU that serves"
lacks notqemu.out "descriptor 100"
# Without ptrace rights over QEMU: the QMP part is read, the taps are not, said once.
as_nobody() { # NAME: RC, $TMP/NAME.out and .err
	set +e
	timeout 60 setpriv --reuid=65534 --regid=65534 --clear-groups "$GUESTCHECK" diagnose \
		--qmp "$TMP/user.qmp" >"$TMP/$1.out" 2>"$TMP/$1.err"
	RC=$?
	set -e
	echo "--- (as nobody) guestcheck diagnose --qmp $TMP/user.qmp -> exit $RC"
	cat "$TMP/$1.out" "$TMP/$1.err"
}
chmod 0711 "$TMP"
as_nobody noconnect
[ "$RC" -eq 3 ] || fail "a socket nobody may use: expected exit 3, got $RC"
has noconnect.err "user.qmp: cannot connect: Permission denied: run guestcheck diagnose as root"
chmod 0777 "$TMP/user.qmp"
as_nobody noperm
chmod 0700 "$TMP"
[ "$RC" -eq 3 ] || fail "no permission: expected exit 3, got $RC"
has noperm.err "pidfd_getfd: Operation not permitted: run guestcheck diagnose as root"
has noperm.out "net1-orig: index=0,type=tap,fd=108"
for f in notsock missing garbage silent held notqemu noconnect noperm; do
	[ "$(wc -l <"$TMP/$f.err")" -eq 1 ] || fail "$f: stderr must be one line"
done
for f in notsock missing garbage silent held noconnect; do
	[ ! -s "$TMP/$f.out" ] || fail "$f: nothing belongs on stdout"
done

echo "=== (b) the users' remap, done by the test over QMP"
timeout 90 $PY "$HELPER" remap "$TMP/test.qmp" net1-virtio net1 108:109:110:111
snapshot b.before
flood gcd1
diagnose b --qmp "$TMP/user.qmp" --watch 3 --json "$TMP/b.json"
wait $!
snapshot b.after
same b.before b.after
[ "$RC" -eq 1 ] || fail "the remap: expected exit 1, got $RC"
has b.out "guestcheck: loss: tap descriptor 108 is read by two netdevs, net1-orig (queue 0, no frontend) and net1 (queue 0, with a frontend)"
has b.out "guestcheck: loss: tap descriptor 111 is read by two netdevs, net1-orig (queue 3, no frontend) and net1 (queue 3, with a frontend)"
has b.out "guestcheck: note: netdev net1-orig (tap) has no frontend: its device was deleted or never added (info network)"
has b.out "guestcheck: note: net1 (usb-net) has one queue but sits on a 4-queue netdev"
has b.out "guestcheck: note: tap gcd1: queues 1, 2, 3 of 4 detached (TUNGETIFF: IFF_DETACH_QUEUE) now"
has b.out "guestcheck: note: tap gcd1 over 3."
has b.out "guestcheck diagnose: 4 loss findings"
# Read twice more: the queues' states are what they were.
diagnose b2 --qmp "$TMP/user.qmp"
grep '^descriptor' "$TMP/b.out" >"$TMP/b.desc"
grep '^descriptor' "$TMP/b2.out" >"$TMP/b2.desc"
same b.desc b2.desc
$PY - "$TMP/b.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["losses"] == 4, d["findings"]
assert {n["id"]: n["netdev"] for n in d["nics"]} == {"net0": "net0", "net1": "net1"}, d["nics"]
orphans = [c for c in d["clients"] if c["name"] == "net1-orig"]
assert len(orphans) == 4 and all(c["frontend"] == "" for c in orphans), orphans
PY

echo "=== (c) diagnose's monitor received queries only (QEMU's own trace)"
$PY - "$TMP/qmp-trace.log" <<'PY'
import collections, json, sys
mons = collections.defaultdict(list)
for line in open(sys.argv[1]):
    if line.startswith("handle_qmp_command mon "):
        _, _, mon, _, req = line.split(" ", 4)
        mons[mon].append(json.loads(req))
test = [m for m, reqs in mons.items() if any(r["execute"] == "netdev_add" for r in reqs)]
assert len(test) == 1, mons.keys()
diag = [r for m, reqs in mons.items() if m != test[0] for r in reqs]
allowed = {"qmp_capabilities", "query-version", "query-status", "qom-list", "qom-get"}
bad = [r for r in diag if r["execute"] not in allowed and not (
    r["execute"] == "human-monitor-command" and r["arguments"]["command-line"] == "info network")]
assert not bad, bad
print(f"diagnose sent {len(diag)} commands, all queries:",
      sorted(collections.Counter(r["execute"] for r in diag).items()))
PY
timeout 10 $PY "$HELPER" qmp "$TMP/test.qmp" '{"execute": "quit"}' >/dev/null || true
