# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# Non-interference with a relative scenario path: `guestcheck run ni/x.ini`
# from the scenario's parent folder, every file named relative to the
# scenario (the eMMC image, a hard disk image, the installer's initrd). The
# qcow2 overlays live in the run's work folder, and qemu-img resolves a
# relative backing file against the overlay's folder: each backing path
# must reach qemu-img absolute, or the run ends with exit 3 ("Could not open
# '/tmp/guestcheck-ni-.../ni/emmc.img'") before anything boots.
. "$TESTS_DIR/lib.sh"
command -v qemu-img >/dev/null || skip "qemu-img missing: run make deps"
: "${GUESTCHECK_INITRAMFS:?run through make test}"
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
gc=$(abs "$GUESTCHECK")
export GUESTCHECK_INITRAMFS=$(abs "$GUESTCHECK_INITRAMFS")
[ -z "${GUESTCHECK_KERNEL:-}" ] || export GUESTCHECK_KERNEL=$(abs "$GUESTCHECK_KERNEL")

mkdir "$TMP/ni"
"$TESTS_DIR/installer/build-installer" --base "$GUESTCHECK_INITRAMFS" \
	--script "$TESTS_DIR/installer/hdd-only.sh" -o "$TMP/ni/installer.img"
truncate -s 64M "$TMP/ni/emmc.img"
truncate -s 256M "$TMP/ni/hdd.img"
head -c 1M /dev/urandom | dd of="$TMP/ni/emmc.img" bs=1M seek=1 conv=notrunc status=none
emmc_sum=$(sha256sum <"$TMP/ni/emmc.img")
cat >"$TMP/ni/x.ini" <<'EOF'
[scenario]
name = ni-relative
kind = non-interference

[machine]
memory = 512M

[installer]
initrd = installer.img
timeout = 5m

[device emmc]
type = sd-card
image = emmc.img
expect_type = SD

[device hdd0]
type = hdd
image = hdd.img
EOF

set +e
(cd "$TMP" && "$gc" run ni/x.ini --accel tcg -o results) >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
OUT=$TMP/results
echo "--- (cd \$TMP && guestcheck run ni/x.ini) -> exit $RC"
cat "$TMP/stdout" "$TMP/stderr"
! grep -q "Could not open" "$TMP/stdout" "$TMP/stderr" || fail "qemu-img missed a backing file"
expect_rc 0
expect_file_has "$OUT/installer/console.log" "installer: wrote 2 MiB to /dev/sda"
expect_file_has "$OUT/ktap.log" "emmc: equal: the installer left every byte as it was"
expect_file_has "$OUT/results.ktap" "^ok [0-9]* phase.verify"
expect_file_has "$OUT/baseline/results.ktap" "^ok [0-9]* agent.config"
[ "$(sha256sum <"$TMP/ni/emmc.img")" = "$emmc_sum" ] || fail "the pristine eMMC image changed"
# The user's hard disk image is behind an overlay too: the installer's 2 MiB never reach it.
[ "$(head -c 4M "$TMP/ni/hdd.img" | tr -d '\0' | wc -c)" -eq 0 ] || fail "hdd.img was written"
echo "emmc.img and hdd.img untouched"
