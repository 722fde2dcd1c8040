# guestcheck diagnose --watch on the users' own case, in a QEMU the test
# starts itself (root only): paused at start as Incus starts it, a
# virtio-net on a 4-queue tap, then the users' script over QMP at
# pre-start (netdev_add tap on the same descriptors, device_add usb-net,
# set_link off, device_del, which a paused guest cannot complete) and
# `cont`. The guest's virtio_net binds the old NIC, holds it 4 s, lets it
# go 2 s, and so on, saying each step on its console. diagnose reads the
# tap's header size (TUNGETVNETHDRSZ) every 50 ms of the watch: the changes,
# the time at 10 bytes and at 12, and the finding that names the cause,
# without uprobes and without knowing what the guest does.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/diagnose_vm.sh"

cat >"$TMP/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
busybox modprobe xhci_pci; busybox modprobe cdc_ether
busybox modprobe virtio_pci; busybox modprobe virtio_net
drv=/sys/bus/virtio/drivers/virtio_net
i=0
while [ $i -lt 200 ] && ! ls $drv 2>/dev/null | grep -q '^virtio'; do sleep 0.1; i=$((i+1)); done
v=$(ls $drv | grep '^virtio' | head -n 1)
echo "diag-guest: ready: virtio_net holds $v"
while :; do
	sleep 4
	echo "$v" >$drv/unbind && echo "diag-guest: released $v"
	sleep 2
	echo "$v" >$drv/bind && echo "diag-guest: bound $v"
done
INIT
overlay_initramfs "$TMP/guest.img" "$TMP/init"

$PY "$HELPER" launch "$NS" gcd1:4:108 -- "$QEMU" -machine q35 -accel tcg -m 256 -S \
	-nodefaults -display none -no-reboot -serial "file:$TMP/console.log" \
	-kernel "$GUESTCHECK_KERNEL" -initrd "$TMP/guest.img" -append "console=ttyS0 panic=-1" \
	-device qemu-xhci,id=xhci -device pcie-root-port,id=rp1,chassis=1 \
	-netdev tap,id=net1-orig,fds=108:109:110:111,vhost=off \
	-device virtio-net-pci,id=net1-virtio,netdev=net1-orig,bus=rp1,mq=on,vectors=10 \
	-qmp "unix:$TMP/test.qmp,server=on,wait=off" -qmp "unix:$TMP/user.qmp,server=on,wait=off" \
	>"$TMP/qemu.out" 2>&1 &
QPID=$!
PIDS="$QPID"
for i in $(seq 50); do [ -S "$TMP/test.qmp" ] && break; sleep 0.1; done
# The users' script at pre-start, then the guest starts.
timeout 60 $PY "$HELPER" qmp "$TMP/test.qmp" \
	'{"execute": "netdev_add", "arguments": {"type": "tap", "id": "net1", "fds": "108:109:110:111"}}' \
	'{"execute": "device_add", "arguments": {"driver": "usb-net", "id": "net1", "netdev": "net1", "bus": "xhci.0", "mac": "40:54:00:12:34:71"}}' \
	'{"execute": "set_link", "arguments": {"name": "net1-virtio", "up": false}}' \
	'{"execute": "device_del", "arguments": {"id": "net1-virtio"}}' \
	'{"execute": "cont"}' >/dev/null || fail "the users' remap over QMP failed"
for i in $(seq 120); do
	grep -q "diag-guest: ready" "$TMP/console.log" 2>/dev/null && break
	kill -0 "$QPID" 2>/dev/null || { cat "$TMP/qemu.out"; fail "QEMU exited"; }
	sleep 1
done
grep "diag-guest: ready: virtio_net holds virtio" "$TMP/console.log" ||
	{ tail -n 20 "$TMP/console.log"; fail "the guest's virtio_net never bound the old NIC"; }

echo "=== while the guest's driver holds the old NIC: the tap's header is 12 bytes"
# Just after a bind, 4 s before the next release.
n=$(grep -c "diag-guest: bound" "$TMP/console.log" || true)
for i in $(seq 150); do
	[ "$(grep -c "diag-guest: bound" "$TMP/console.log" || true)" -gt "$n" ] && break
	sleep 0.1
done
diagnose held --qmp "$TMP/user.qmp"
[ "$RC" -eq 1 ] || fail "expected exit 1, got $RC"
grep -qF "tap gcd1: in another network namespace (net:[" "$TMP/held.out" ||
	fail "the tap line lacks its namespace"
grep -qF "a 12-byte virtio-net header before each frame (TUNGETVNETHDRSZ)" "$TMP/held.out" ||
	fail "the tap line lacks the 12-byte header"
grep -qF "guestcheck: loss: tap gcd1 puts a 12-byte virtio-net header before every frame (TUNGETVNETHDRSZ now), and netdev net1 on it serves usb-net net1, which reads and writes with QEMU's 10: every frame is misplaced by 2 bytes both ways" "$TMP/held.out" ||
	fail "no finding for the 12-byte header"

echo "=== over a 13 s watch: the header follows the guest's driver"
diagnose watch --qmp "$TMP/user.qmp" --watch 13 --json "$TMP/watch.json"
[ "$RC" -eq 1 ] || fail "expected exit 1, got $RC"
$PY - "$TMP/watch.out" "$TMP/watch.json" <<'PY'
import json, re, sys
out, d = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
m = re.search(r"guestcheck: loss: tap gcd1's virtio-net header changed (\d+) times in 13\.0 s "
              r"\(TUNGETVNETHDRSZ every 50 ms; (\d+) bytes at the start; then ([^)]*)\): "
              r"([0-9.]+) s at QEMU's 10, which netdev net1 \(usb-net net1\) reads and writes, "
              r"when the usb-net works, and ([0-9.]+) s at 12, when every frame is misplaced", out)
assert m, "no header-change finding"
n, first, steps, at10, at12 = int(m[1]), int(m[2]), m[3], float(m[4]), float(m[5])
# A 6 s cycle (4 s bound, 2 s released) over 13 s: at least two releases and a bind.
assert n >= 3, m[0]
tap = next(t for t in d["taps"] if t["name"] == "gcd1")
sizes = [first] + [c["size"] for c in tap["vnet_hdr_changes"]]
assert set(sizes) == {10, 12}, sizes
assert all(a != b for a, b in zip(sizes, sizes[1:])), sizes       # each one a change
assert len(tap["vnet_hdr_changes"]) == n, tap
assert abs(at10 + at12 - 13.0) < 0.5, (at10, at12)
# Released 2 s in 6, bound 4 s in 6, give or take the guest's steps.
assert 2.5 <= at10 <= 7.0 and 6.0 <= at12 <= 10.5, (at10, at12)
print(f"{n} changes, {at10:.1f} s at 10 bytes, {at12:.1f} s at 12: {steps}")
PY
timeout 10 $PY "$HELPER" qmp "$TMP/test.qmp" '{"execute": "quit"}' >/dev/null || true
