# SPDX-License-Identifier: GPL-2.0-or-later
# QEMU's sdhci-pci with a card (scenarios/sdhci-pci.ini), one boot: the agent
# reads the registers before sdhci_pci loads (the kernel refuses a live read
# once the driver holds them), the decoded fields are QEMU's controller, the
# pinned version and capabilities match, the active clock test stabilises,
# the card shows in the present state and the interrupt count rises on reads.
. "$TESTS_DIR/lib.sh"
run_scenario "$TESTS_DIR/../scenarios/sdhci-pci.ini"
expect_rc 0
k=$OUT/ktap.log
expect_file_has "$k" "(PCI class 0x080501 at 0x[0-9a-f]*, driver sdhci-pci, mmc0, device sd0)"
expect_file_has "$k" "read by the agent before any SDHCI driver loaded (a live read is refused while sdhci-pci holds it: CONFIG_IO_STRICT_DEVMEM"
# The dump in the kernel's layout, then the decoded fields.
expect_file_has "$k" "# mmc0: sdhci: ============ SDHCI REGISTER DUMP ==========="
expect_file_has "$k" "# mmc0: sdhci: Caps:      0x057834b4 | Caps_1:   0x00000000"
expect_file_has "$k" "Version 0x00002401: spec 2.00, vendor 0x24"
expect_file_has "$k" "Caps 0x057834b4: timeout clock 52 MHz, base clock 52 MHz, max block 512,"
expect_file_has "$k" "SDMA yes, suspend/resume no, 3.3V yes, 3.0V no, 1.8V yes, 64-bit DMA no"
expect_file_has "$k" "sd0: 0000:00:10.0: Version 0x00002401 as sdhci_version pins it"
expect_file_has "$k" "sd0: 0000:00:10.0: Caps 0x057834b4 as sdhci_caps pins it"
expect_file_has "$k" "voltages from the capabilities: 3.3V 1.8V"
expect_file_has "$k" "base clock 52 MHz from the capabilities"
expect_file_has "$k" "card present, writable, as the scenario says"
expect_file_has "$k" "clock test (by the agent before drivers loaded): internal clock stable"
grep -q "reading 256 KiB from /dev/mmcblk0 raised irq [0-9]* from [0-9]* to [0-9]*" "$k" ||
	fail "no rising interrupt count in $k"
expect_file_has "$k" "no known SDHCI error among"
python3 - "$OUT" <<'PY'
import json, sys
r = json.load(open(f"{sys.argv[1]}/results.json"))
st = {t["name"]: t["status"] for t in r["ktap"]["tests"]}
want = ["sdhci.registers", "sdhci.supplies", "sdhci.card", "sdhci.interrupts",
        "sdhci.clock", "sdhci.kernel_log"]
assert all(st.get(n) == "pass" for n in want), {n: st.get(n) for n in want}
PY
