# ci: shared
# A module the scenario needs but the image lacks is reported by name, with
# the fix, by agent.modules; the device it drives is reported missing; the
# other devices are still checked; exit 1.
. "$TESTS_DIR/lib.sh"
release=$(xz -dc "$GUESTCHECK_INITRAMFS" | cpio --quiet -t | sed -n 's|^lib/modules/\([^/]*\)/modules.dep$|\1|p')
mkdir -p "$TMP/ov/lib/modules/$release"
xz -dc "$GUESTCHECK_INITRAMFS" | (cd "$TMP/ov" && cpio --quiet -i "lib/modules/$release/modules.dep")
grep -v '/nvme.ko:' "$TMP/ov/lib/modules/$release/modules.dep" >"$TMP/dep" && mv "$TMP/dep" "$TMP/ov/lib/modules/$release/modules.dep"
cp "$GUESTCHECK_INITRAMFS" "$TMP/no-nvme.img"
size=$(stat -c %s "$TMP/no-nvme.img"); head -c $(( (4 - size % 4) % 4 )) /dev/zero >>"$TMP/no-nvme.img"
(cd "$TMP/ov" && echo "lib/modules/$release/modules.dep" | cpio --quiet -o -H newc -R 0:0) >>"$TMP/no-nvme.img"
s=$(scenario no-nvme <<'INI'
[scenario]
name = no-nvme
device_timeout = 5s
[device sd0]
type = sd-card
size = 32M
[device zns0]
type = nvme-zns
size = 32M
zone_size = 4M
INI
)
run_scenario "$s" --initramfs "$TMP/no-nvme.img"
expect_rc 1
expect_file_has "$OUT/ktap.log" "module-failed nvme: No such file or directory: not in the image's modules.dep: add it to initramfs/modules.list"
expect_file_has "$OUT/ktap.log" "not ok 2 agent.modules"
expect_file_has "$OUT/ktap.log" "zns0 (nvme-zns): expected /dev/nvme0n1 (driver nvme), saw nothing"
expect_file_has "$OUT/ktap.log" "sd0 (sd-card): /dev/mmcblk0 present, driver mmcblk"
