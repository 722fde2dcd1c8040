# --retries: a job that fails is re-run; a pass after a failure is reported as
# FLAKY (summary, results.json, junit.xml), the failed attempt's folder is
# kept, and a job that keeps failing stays failed. The flaky guest is real:
# its first boot dies before the agent starts, and leaves a mark on its card
# (an image that outlives the attempt) so that the second boot runs the
# agent. The other job's card is a fresh scratch image on every attempt, so it
# dies every time.
. "$TESTS_DIR/lib.sh"
mkdir -p "$TMP/ov"
cp "${GUESTCHECK_AGENT:?}" "$TMP/ov/agent"
cat >"$TMP/ov/init" <<'SH'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
busybox modprobe sdhci_pci; busybox modprobe mmc_block
for _ in $(seq 100); do [ -b /dev/mmcblk0 ] && break; sleep 0.1; done
if [ "$(busybox dd if=/dev/mmcblk0 bs=5 count=1 2>/dev/null)" != "flaky" ]; then
	echo "first boot: marking the card and dying"
	printf flaky | busybox dd of=/dev/mmcblk0 conv=notrunc 2>/dev/null; sync
	busybox poweroff -f
fi
# Hand the agent a guest as it would find it: no SD driver loaded yet.
busybox rmmod mmc_block sdhci_pci sdhci
umount /proc /sys /dev
exec /agent
SH
chmod 755 "$TMP/ov/init"
cp "$GUESTCHECK_INITRAMFS" "$TMP/flaky.img"
size=$(stat -c %s "$TMP/flaky.img"); head -c $(( (4 - size % 4) % 4 )) /dev/zero >>"$TMP/flaky.img"
(cd "$TMP/ov" && printf 'init\nagent\n' | cpio --quiet -o -H newc -R 0:0) >>"$TMP/flaky.img"
truncate -s 16M "$TMP/card.img"
written_on_purpose "$TMP/card.img"
mkdir "$TMP/set"
printf '[scenario]\nname = flaky\n[device sd0]\ntype = sd-card\nimage = %s\n' "$TMP/card.img" >"$TMP/set/flaky.ini"
printf '[scenario]\nname = broken\nboot_timeout = 40s\n[device sd0]\ntype = sd-card\nsize = 16M\n' >"$TMP/set/broken.ini"

set +e
"$GUESTCHECK" run "$TMP/set" --accel tcg -j 2 --retries 1 --initramfs "$TMP/flaky.img" -o "$TMP/out" >"$TMP/stdout" 2>&1
rc=$?
set -e
cat "$TMP/stdout"
[ $rc -eq 3 ] || fail "a set whose worst job is an infrastructure error must exit 3, got $rc"
grep -q "^FLAKY *flaky .*(2 attempts)" "$TMP/stdout" || fail "the flaky job is not reported as FLAKY"
grep -q "^ERROR *broken .*(2 attempts)" "$TMP/stdout" || fail "the failing job was not retried, or not reported"
grep -q "run set: 2 jobs: 1 passed (1 flaky), 0 failed, 1 errors" "$TMP/stdout" || fail "summary"
[ -d "$TMP/out/flaky.attempt-1" ] && [ -d "$TMP/out/broken.attempt-1" ] || fail "failed attempts' folders were not kept"
python3 - "$TMP/out" <<'PY'
import json, sys, xml.etree.ElementTree as ET
jobs = {j["name"]: j for j in json.load(open(f"{sys.argv[1]}/results.json"))["jobs"]}
assert jobs["flaky"]["flaky"] is True and jobs["flaky"]["attempts"] == 2, jobs["flaky"]
assert jobs["broken"]["verdict"] == "ERROR" and jobs["broken"]["flaky"] is False, jobs["broken"]
suites = {s.get("name"): s for s in ET.parse(f"{sys.argv[1]}/junit.xml").getroot()}
props = {p.get("name"): p.get("value") for p in suites["flaky"].find("properties")}
assert props["flaky"] == "true" and props["attempts"] == "2", props
PY
