# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# Nothing written to what is inspected, for every test: tests/lib.sh runs each
# `run` through tests/guestcheck-inspected, which hashes what the run
# inspects, and compares when the test ends. Proven here to catch a write: a
# QEMU that writes 7 bytes into the hdd image it is given (the fault a
# runner attaching it writable would let a guest make) is named; the same
# write into a `scratch = yes` image is not (written on purpose), nor one the
# test declares its own guest writes (written_on_purpose). The ledger
# holds the image, the kernel and the initramfs. No guest boots.
. "$TESTS_DIR/lib.sh"
: "${GUESTCHECK_KERNEL:?run through make test}" "${GUESTCHECK_INITRAMFS:?run through make test}"
cat >"$TMP/qemu" <<'SH'
#!/bin/sh
case "$*" in *-version* | *help*) exec qemu-system-x86_64 "$@" ;; esac
printf written | dd of="$TARGET" bs=1 seek=4096 conv=notrunc status=none
exit 1
SH
chmod +x "$TMP/qemu"
head -c 4M /dev/urandom >"$TMP/disk.img"
truncate -s 8M "$TMP/zns.img"
s=$(scenario writes <<'INI'
[scenario]
name = writes
[device d]
type = hdd
image = disk.img
[device z]
type = nvme-zns
image = zns.img ; a scratch namespace: the write-pointer tests write it
zone_size = 4M
zone_capacity = 4M
scratch = yes
INI
)
ledger() { cat "$INSPECTED_DIR"/run.??????; }

export TARGET=$TMP/disk.img
start=$(date +%s.%N)
run_scenario "$s" --qemu "$TMP/qemu"
echo "--- the run, its hashing included: $(echo "$(date +%s.%N) - $start" | bc) s"
expect_rc 3
ledger
for f in "$TMP/disk.img" "$GUESTCHECK_KERNEL" "$GUESTCHECK_INITRAMFS"; do
	ledger | grep -qF "  $(realpath -s "$f")" || fail "the ledger lacks $f"
done
ledger | grep -qF zns.img && fail "a scratch image was hashed"
# Not the scenario: tests rewrite theirs between runs.
ledger | grep -qF writes.ini && fail "the scenario was hashed"
if check_inspected 2>"$TMP/check"; then fail "a write into the hdd image went unseen"; fi
cat "$TMP/check"
grep -qF "changed what it inspects: $TMP/disk.img " "$TMP/check" || fail "the changed image is not named"

export TARGET=$TMP/zns.img
run_scenario "$s" --qemu "$TMP/qemu"
expect_rc 3
[ "$(tr -d '\0' <"$TMP/zns.img" | wc -c)" -gt 0 ] || fail "the fake QEMU wrote nothing: the test proves nothing"
check_inspected || fail "a write into a scratch image was reported"

# A test whose own guest writes its image says so (runset_retries does).
export TARGET=$TMP/disk.img
written_on_purpose "$TMP/disk.img"
run_scenario "$s" --qemu "$TMP/qemu"
check_inspected || fail "a write declared on purpose was reported"
echo ok
