# SPDX-License-Identifier: GPL-2.0-or-later
# Each area waits only for the devices it reads (agent/device_wait.h), on a
# real boot: a usb-net that never turns up as the scenario describes it (it
# expects the driver rndis_host; the guest binds cdc_ether) holds back
# usbnet.* and devices.present until device_timeout, while the card's
# mmc.* and sdhci.* checks run at once; then every area runs and says what
# is missing, and the run fails.
. "$TESTS_DIR/lib.sh"
s=$(scenario devwait <<'INI'
[scenario]
name = devwait
device_timeout = 4s
[machine]
cpus = 1
[device sd0]
type = sd-card
size = 4M
[device net0]
type = usb-net
netdev = user
driver = rndis_host
probe = no
INI
)
run_scenario "$s"
expect_rc 1
expect_file_has "$OUT/ktap.log" "^# guestcheck-agent: devices 1 of 2 present after 4\.[0-9]* s$"
expect_file_has "$OUT/ktap.log" "^not ok [0-9]* devices.present$"
expect_file_has "$OUT/ktap.log" "^not ok [0-9]* usbnet.link$"
expect_file_has "$OUT/ktap.log" "net0 (usb-net): expected a device with driver rndis_host, saw usb0 has MAC 52:54:00:12:34:56 but driver cdc_ether"
python3 - "$OUT/results.json" <<'PY'
import json, sys
tests = {t["name"]: t for t in json.load(open(sys.argv[1]))["ktap"]["tests"]}
span = lambda n: (tests[n]["started_s"], tests[n]["ended_s"])
for n in ("mmc.identity", "mmc.fingerprint", "sdhci.registers"):
    assert tests[n]["status"] == "pass", (n, tests[n]["status"])
    # The card's area did not wait for the usb-net's 4 s.
    assert span(n)[1] < 4.0, ("the card's checks waited for the usb-net", n, span(n))
for n in ("devices.present", "usbnet.link"):
    assert tests[n]["status"] == "fail", (n, tests[n]["status"])
    assert span(n)[0] >= 4.0, ("started before device_timeout", n, span(n))
print("card checks done by %.2f s; usbnet.link from %.2f s, devices.present from %.2f s" %
      (max(span(n)[1] for n in ("mmc.identity", "mmc.fingerprint", "sdhci.registers")),
       span("usbnet.link")[0], span("devices.present")[0]))
PY
