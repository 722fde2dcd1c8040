# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# `guestcheck preflight` through the CLI, on the captured host trees of
# tests/sysroots/preflight-* (no guest boots): a ZynqMP host as it boots
# fails every VFIO step and names each fix, the same host made ready passes
# and prints the QEMU arguments, and bad usage exits 2 with one line.
. "$TESTS_DIR/lib.sh"
trees=$TESTS_DIR/sysroots
pf() { # expected-exit args...
	local want=$1; shift
	set +e
	"$GUESTCHECK" preflight "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	echo "--- guestcheck preflight $* -> exit $RC"
	cat "$TMP/stdout" "$TMP/stderr"
	expect_rc "$want"
}
pf 1 ff170000.mmc --root "$trees/preflight-zynqmp-host"
if grep -q "mount namespace" "$TMP/stderr"; then skip "no mount namespace here to replay a tree"; fi
expect_output "FAIL  binding: bound to sdhci-arasan, not vfio-platform"
expect_output "fix: echo ff170000.mmc > /sys/bus/platform/drivers/sdhci-arasan/unbind"
expect_output "fix: echo 1 > /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"
expect_output "6 of 7 steps failed"
pf 0 ff170000.mmc --root "$trees/preflight-zynqmp-ready"
expect_output "ff170000.mmc is ready to pass through"
expect_output "  -device vfio-platform,host=ff170000.mmc"
pf 1 0000:03:00.0 --root "$trees/preflight-pci-host"
expect_output "fix: echo 0000:03:00.1 > /sys/bus/pci/drivers/snd_hda_intel/unbind   # shares group 12"
pf 1 nosuch.mmc --root "$trees/preflight-zynqmp-ready"
expect_output "FAIL  nosuch.mmc: no such device"
pf 2
expect_output "name one DEVICE"
pf 2 --bogus ff170000.mmc
[ "$(wc -l <"$TMP/stderr")" -eq 1 ] || fail "bad usage must be one line"
pf 2 ff170000.mmc --root /nonexistent
expect_output "/nonexistent/sys"
pf 0 --help
expect_output "Usage: guestcheck preflight DEVICE"
