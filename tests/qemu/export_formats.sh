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
