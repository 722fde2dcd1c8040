# A usb-net device the scenario names but QEMU never got (a wrapper drops its
# -device from the command line, as a broken hot-plug script would): the
# usbnet checks fail and say what is missing, what the guest has instead and
# what to check; the runner's QMP view confirms QEMU has no such NIC.
. "$TESTS_DIR/lib.sh"
real=${GUESTCHECK_QEMU:-qemu-system-x86_64}
cat >"$TMP/qemu-without-usbnet" <<WRAP
#!/bin/bash
args=()
while [ \$# -gt 0 ]; do
	if [ "\$1" = -device ] && [[ \$2 == usb-net,* ]]; then shift 2; continue; fi
	args+=("\$1"); shift
done
exec "$real" "\${args[@]}"
WRAP
chmod +x "$TMP/qemu-without-usbnet"
file=$(scenario missing <<'INI'
[scenario]
name = usbnet-missing
device_timeout = 3s

[machine]
memory = 256M

[device net0]
type = usb-net
mac = 52:54:00:12:34:56
probe_duration = 1s
INI
)
GUESTCHECK_QEMU="$TMP/qemu-without-usbnet" run_scenario "$file"
expect_rc 1
expect_file_has "$OUT/ktap.log" "not ok .* usbnet.link"
expect_file_has "$OUT/ktap.log" "FAIL net0 (usb-net): expected a USB network interface with MAC 52:54:00:12:34:56, saw no network interface on a USB bus (/sys/class/net: lo): check the QEMU -device usb-net line"
expect_file_has "$OUT/ktap.log" "not ok .* usbnet.probe"
expect_file_has "$OUT/ktap.log" "FAIL net0 (usb-net): no USB network interface to probe: see usbnet.link"
expect_output "net0: loss: no NIC named net0 in QEMU: the device was never added"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
d = json.load(open(f"{out}/usbnet-net0.json"))
assert d["peer"]["received"] == 0, d["peer"]
assert "model=usb-net" not in d["info_network"]["start"], d["info_network"]
assert any("no NIC named net0" in f for f in d["findings"]), d["findings"]
PY
