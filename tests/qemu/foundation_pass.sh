# A passing run of the default scenario: exit 0, every report written and
# consistent, each device found with its driver.
. "$TESTS_DIR/lib.sh"
run_scenario "$TESTS_DIR/../scenarios/default.ini"
expect_rc 0
for f in ktap.log console.log qemu-cmdline.txt agent.ini junit.xml results.json; do
	[ -s "$OUT/$f" ] || fail "results directory lacks $f"
done
expect_file_has "$OUT/ktap.log" "^ok [0-9]* devices.present$"
expect_file_has "$OUT/ktap.log" "sd0 (sd-card): /dev/mmcblk0 present, driver mmcblk, 2 MiB"
expect_file_has "$OUT/ktap.log" "zns0 (nvme-zns): /dev/nvme0n1 present, driver nvme, 64 MiB"
expect_file_has "$OUT/ktap.log" "net0 (usb-net): usb0 present, driver cdc_ether, MAC 52:54:00:12:34:56"
expect_file_has "$OUT/qemu-cmdline.txt" "accel=tcg"
python3 - "$OUT" <<'PY'
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
tests = r["ktap"]["tests"]
names = [t["name"] for t in tests]
assert names[:3] == ["agent.config", "agent.modules", "devices.present"], names
assert all(t["status"] in ("pass", "skip") for t in tests), tests
assert r["counts"]["failed"] == 0 and r["counts"]["not_run"] == 0, r["counts"]
assert r["accel"] == "tcg", r["accel"]
suite = ET.parse(f"{out}/junit.xml").getroot().find("testsuite")
assert suite.get("tests") == str(len(tests)) and suite.get("failures") == "0", suite.attrib
PY
expect_output "scenario default: PASS"
