# `guestcheck export` for the tools users run, each checked with the real
# tool: the libvirt domain passes virt-xml-validate; the QEMU config file and
# Incus's raw.qemu + raw.qemu.conf each boot the agent, which then passes.
. "$TESTS_DIR/lib.sh"
default=$TESTS_DIR/../scenarios/default.ini
for f in --libvirt --incus --qemu-config; do
	"$GUESTCHECK" export "$f" "$default" --accel tcg -o "$TMP/exp" >"$TMP/out" || fail "export $f"
	cat "$TMP/out"
done
virt-xml-validate "$TMP/exp/default.xml" || fail "libvirt rejects the domain XML"
grep -q "<qemu:arg value=\"sd-card,.*bus=pcie.0/sdhci-sd0/sd-bus\"/>" "$TMP/exp/default.xml" ||
	fail "the SD card is not passed through qemu:commandline"
grep -q "chown libvirt-qemu" "$TMP/exp/default.xml" || fail "the hand steps are not noted"
"$GUESTCHECK" export --nosuch "$default" 2>&1 | grep -q "name a format first" || fail "bad format flag"

expect_agent_passed() { # ktap.log
	grep -q "^ok 3 devices.present" "$1" || { cat "$1"; fail "the exported guest did not pass devices.present"; }
	grep -q "usb0 present, driver cdc_ether" "$1" || fail "usb-net missing in the exported guest"
}

# The QEMU config file, booted as its header says.
boot=$(sed -n 's/^#   \(.*\) -readconfig THIS_FILE$/\1/p' "$TMP/exp/default.cfg")
[ -n "$boot" ] || fail "the config file does not say how to boot it"
rm -f "$TMP/exp/ktap.log"
timeout 90 $boot -readconfig "$TMP/exp/default.cfg" || fail "QEMU refused or timed out on the config file"
expect_agent_passed "$TMP/exp/ktap.log"

# Incus: what Incus would add to its own q35 machine.
python3 - "$TMP/exp/default.incus.yaml" "$TMP/incus" <<'PY'
import sys, yaml
cfg = yaml.safe_load(open(sys.argv[1]))["config"]
assert cfg["raw.qemu"].startswith("-kernel "), cfg
open(sys.argv[2] + ".args", "w").write(cfg["raw.qemu"])
open(sys.argv[2] + ".conf", "w").write(cfg["raw.qemu.conf"])
PY
rm -f "$TMP/exp/ktap.log"
eval "set -- $(cat "$TMP/incus.args")"
timeout 90 qemu-system-x86_64 -machine q35,accel=tcg -m 512M -nodefaults -no-reboot -display none \
	"$@" -readconfig "$TMP/incus.conf" || fail "QEMU refused the Incus raw.qemu.conf"
expect_agent_passed "$TMP/exp/ktap.log"

# A hot-plug scenario: Incus's scriptlet carries the QMP step. Run it as Incus
# would (tests/incus_scriptlet_shim.py gives it run_qmp) against a QEMU
# started paused with raw.qemu + raw.qemu.conf; the guest must then find the
# hot-added usb-net.
hot=$TESTS_DIR/../scenarios/usbnet-hotplug.ini
"$GUESTCHECK" export --incus "$hot" --accel tcg -o "$TMP/hot" >/dev/null || fail "export --incus of a hot-plug scenario"
yaml=$TMP/hot/usbnet-hotplug.incus.yaml
grep -q "raw.qemu.scriptlet" "$yaml" || fail "no scriptlet for a hot-plug scenario"
python3 - "$yaml" "$TMP/hot-incus" <<'PY'
import sys, yaml
cfg = yaml.safe_load(open(sys.argv[1]))["config"]
open(sys.argv[2] + ".args", "w").write(cfg["raw.qemu"])
open(sys.argv[2] + ".conf", "w").write(cfg["raw.qemu.conf"])
PY
grep -q '"usb-net"' "$TMP/hot-incus.conf" && fail "the hot-plugged usb-net must not be cold-plugged too"
eval "set -- $(cat "$TMP/hot-incus.args")"
rm -f "$TMP/hot/ktap.log"
qemu-system-x86_64 -machine q35,accel=tcg -m 256M -nodefaults -no-reboot -display none -S \
	-chardev "socket,id=incusqmp,path=$TMP/incus-qmp.sock,server=on,wait=off" \
	-mon chardev=incusqmp,mode=control "$@" -readconfig "$TMP/hot-incus.conf" &
qemu=$!
for _ in $(seq 50); do [ -S "$TMP/incus-qmp.sock" ] && break; sleep 0.1; done
python3 "$TESTS_DIR/incus_scriptlet_shim.py" "$TMP/incus-qmp.sock" "$yaml" || { kill $qemu; fail "the scriptlet failed"; }
for _ in $(seq 600); do kill -0 $qemu 2>/dev/null || break; sleep 0.1; done
kill $qemu 2>/dev/null && fail "the guest did not power off"
grep -q "net0 (usb-net): usb0 present, driver cdc_ether" "$TMP/hot/ktap.log" ||
	{ cat "$TMP/hot/ktap.log"; fail "the scriptlet's usb-net did not reach the guest"; }
