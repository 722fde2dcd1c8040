# SPDX-License-Identifier: GPL-2.0-or-later
# aarch64: QEMU's xlnx-zcu102 with Debian's arm64 kernel, the project's guest
# device tree (dt/zcu102-guest.dts: fixed clocks, fixed regulators) and the
# cross-built agent reporting on the second UART. Two boots:
#  1. scenarios/sdhci-zcu102.ini: both Arasan controllers found in the DT,
#     read before sdhci-of-arasan loads, QEMU's ZynqMP values (version 0x2402,
#     capabilities 0x37ec6481) decoded and pinned, regulators and clocks
#     followed, the clock test, interrupts rising on card reads.
#  2. scenarios/sdhci-zcu102-misplaced.ini: the DT puts the second controller
#     where QEMU maps nothing: every register reads 0, diagnosed as unmapped
#     MMIO, the kernel's "Internal clock never stabilised" mapped to it, and
#     QEMU's memory map attached (mtree.txt) shows where the controller is.
#     The scenario declares those failures ([expect]): the run passes with them.
. "$TESTS_DIR/lib.sh"
kernel=${GUESTCHECK_A64_KERNEL:-}
dt=${GUESTCHECK_DT_DIR:-${BUILD:-build}/dt}
[ -n "$kernel" ] && [ -r "$kernel" ] || skip "no arm64 kernel: run through make test (make aarch64 unpacks it)"
command -v qemu-system-aarch64 >/dev/null || skip "qemu-system-aarch64 missing: make deps installs qemu-system-arm"
dt=$(cd "$dt" && pwd)

# The scenarios name their .dtb relative to the tree; point them at this build's.
for name in sdhci-zcu102 sdhci-zcu102-misplaced; do
	sed "s|^dtb = .*/\(.*\.dtb\)$|dtb = $dt/\1|" "$TESTS_DIR/../scenarios/$name.ini" >"$TMP/$name.ini"
done

run_scenario "$TMP/sdhci-zcu102.ini" --kernel "$kernel"
expect_rc 0
k=$OUT/ktap.log
expect_file_has "$k" "hello version=.* kernel=.*-arm64"
expect_file_has "$OUT/qemu-cmdline.txt" "qemu-system-aarch64 -machine xlnx-zcu102,accel=tcg"
expect_file_has "$OUT/qemu-cmdline.txt" "-serial chardev:ktap"
# The DT's mmc aliases fix the hosts' numbers: ff160000 is mmc0 (sd0), ff170000 mmc1 (sd1).
for base in ff160000:0 ff170000:1; do
	i=${base#*:} base=${base%:*}
	expect_file_has "$k" "$base.mmc (DT arasan,sdhci-8.9a at 0x$base, driver sdhci-arasan, mmc$i, device sd$i)"
	expect_file_has "$k" "$base.mmc: registers at 0x$base read by the agent before any SDHCI driver loaded"
	expect_file_has "$k" "$base.mmc: Version 0x00002402: spec 3.00, vendor 0x24"
	expect_file_has "$k" "$base.mmc: Caps 0x37ec6481: timeout clock 1 MHz, base clock 100 MHz, max block 512, 8-bit bus yes, ADMA2 yes"
	expect_file_has "$k" "$base.mmc: vmmc-supply is /regulator-vmmc (regulator-fixed, 3300000 uV, vmmc)"
	expect_file_has "$k" "$base.mmc: clock clk_xin is /clk-xin (fixed-clock, 187500000 Hz)"
	expect_file_has "$k" "$base.mmc: dma-coherent present"
done
expect_file_has "$k" "sd1: ff170000.mmc: Caps 0x37ec6481 as sdhci_caps pins it"
expect_file_has "$k" "ff170000.mmc: mmc1: irq [0-9]* (GIC-0 81, DT SPI 49 level-high)"
grep -q "reading 256 KiB from /dev/mmcblk1 raised irq [0-9]* from" "$k" || fail "mmc1's interrupt did not rise"
expect_file_has "$k" "ff170000.mmc: clock test (by the agent before drivers loaded): internal clock stable"
expect_file_has "$OUT/mtree.txt" "00000000ff170000-00000000ff1700ff (prio 0, i/o): sdhci"

run_scenario "$TMP/sdhci-zcu102-misplaced.ini" --kernel "$kernel"
expect_rc 0
expect_output "XFAIL    sdhci.registers"
k=$OUT/ktap.log
expect_file_has "$k" "ff180000.mmc (DT arasan,sdhci-8.9a at 0xff180000, driver sdhci-arasan"
expect_file_has "$k" "FAIL ff180000.mmc: every register reads 0x00000000 at 0xff180000 (version and capabilities too): the MMIO is not mapped where the device tree says"
# The misplaced controller is mmc1 (the DT's alias), and sd1, the card it cannot hold.
expect_file_has "$k" "FAIL kernel log: 'mmc1: Internal clock never stabilised.': the clock control register never reported 'internal clock stable'"
expect_file_has "$k" "ff180000.mmc (DT arasan,sdhci-8.9a at 0xff180000, driver sdhci-arasan, mmc1, device sd1)"
expect_file_has "$k" "FAIL sd1: ff180000.mmc: registers unreadable or not answering"
# The healthy controller still passes its part, and QEMU's map shows where the other one is.
expect_file_has "$k" "sd0: ff160000.mmc: card present, writable"
expect_file_has "$k" "sd1 (sd-card): expected /dev/mmcblk1 (driver mmcblk), saw nothing"
expect_file_has "$OUT/mtree.txt" "00000000ff170000-00000000ff1700ff (prio 0, i/o): sdhci"
! grep -q "ff180000" "$OUT/mtree.txt" || fail "QEMU maps something at 0xff180000 after all"
python3 - "$OUT" <<'PY'
import json, sys
st = {t["name"]: t["status"] for t in json.load(open(f"{sys.argv[1]}/results.json"))["ktap"]["tests"]}
want = {"sdhci.registers": "fail", "sdhci.card": "fail", "sdhci.kernel_log": "fail",
        "sdhci.supplies": "pass"}
got = {n: st.get(n) for n in want}
assert got == want, got
r = json.load(open(f"{sys.argv[1]}/results.json"))
verdict = {t["name"]: t["verdict"] for t in r["ktap"]["tests"]}
want = {"sdhci.registers": "xfail", "sdhci.card": "xfail", "sdhci.kernel_log": "xfail",
        "sdhci.supplies": "pass"}
got = {n: verdict.get(n) for n in want}
assert got == want, got
assert r["counts"]["xfail"] == 8 and r["counts"]["failed"] == 0, r["counts"]
PY
