# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# The mmc.* checks on real guests, three boots:
#  1. two cards on two controllers, as the scenario says: PASS, each
#     identified, its layout read, its digest equal to xxhsum -H2 of its
#     image, and both images byte-identical afterwards;
#  2. a card smaller than the scenario says, sharing its controller with
#     a second card (so that one is unused): both FAIL with expected/seen
#     and the likely cause;
#  3. a controller without its card: FAIL, saying so.
. "$TESTS_DIR/lib.sh"
command -v sfdisk >/dev/null && command -v xxhsum >/dev/null ||
	skip "sfdisk or xxhsum missing: run make deps"

# The shipped scenario: each card on its own controller, by an explicit bus=.
"$GUESTCHECK" qemu-args "$TESTS_DIR/../scenarios/mmc-two-cards.ini" >"$TMP/args"
grep -q "sd-card,drive=emmc,bus=pcie.0/sdhci-emmc/sd-bus" "$TMP/args" || fail "emmc has no bus="
grep -q "sd-card,drive=sd1,bus=pcie.0/sdhci-sd1/sd-bus" "$TMP/args" || fail "sd1 has no bus="

truncate -s 64M "$TMP/emmc.img"
printf 'label: gpt\nsize=16M, type=L, name=firmware\nsize=8M, type=L\n' | sfdisk -q "$TMP/emmc.img"
mkfs.ext4 -q -F -L fw -E offset=1048576 "$TMP/emmc.img" 16M
head -c 32M /dev/urandom >"$TMP/sd.img"
before=$(sha256sum <"$TMP/emmc.img")$(sha256sum <"$TMP/sd.img")

# --- 1: both cards as expected
s=$(scenario two-cards <<INI
[scenario]
name = two-cards
[device emmc]
type = sd-card
image = emmc.img
expect_type = SD
expect_name = QEMU!
expect_pttype = gpt
expect_partitions = 2
expect_logical_block_size = 512
expect_readonly = no
[device sd1]
type = sd-card
image = sd.img
expect_pttype = none
expect_digest = $(xxhsum -H2 "$TMP/sd.img" | cut -d' ' -f1)
INI
)
run_scenario "$s"
expect_rc 0
k=$OUT/ktap.log
for t in identity geometry layout fingerprint; do
	grep -q "^ok [0-9]* mmc.$t" "$k" || fail "mmc.$t did not pass"
done
expect_file_has "$k" "emmc: /dev/mmcblk0 is card mmc0:[0-9a-f]* on mmc0 (controller 0000:00:"
expect_file_has "$k" "sd1: /dev/mmcblk1 is card mmc1:[0-9a-f]* on mmc1 (controller 0000:00:"
c0=$(sed -n 's/.*emmc: .* (controller \([^)]*\)).*/\1/p' "$k")
c1=$(sed -n 's/.*sd1: .* (controller \([^)]*\)).*/\1/p' "$k")
[ -n "$c0" ] && [ "$c0" != "$c1" ] || fail "the cards share a controller: '$c0' '$c1'"
expect_file_has "$k" "emmc: /dev/mmcblk0: 64 MiB (67108864 bytes)"
expect_file_has "$k" "sd1: /dev/mmcblk1: 32 MiB (33554432 bytes)"
expect_file_has "$k" "emmc: /dev/mmcblk0: gpt partition table"
expect_file_has "$k" "emmc: partition 1: start 1 MiB, size 16 MiB, type .*, name firmware, .*: ext4 label fw"
for d in emmc sd1; do
	img=$TMP/$( [ $d = emmc ] && echo emmc || echo sd ).img
	want=$(xxhsum -H2 "$img" | cut -d' ' -f1)
	expect_file_has "$k" "^# fingerprint $d node=mmcblk[01] bytes=[0-9]* xxh3-128=$want .* wr-ios=0 wr-sectors=0 .* ro=1 "
done
after=$(sha256sum <"$TMP/emmc.img")$(sha256sum <"$TMP/sd.img")
[ "$before" = "$after" ] || fail "the agent changed a card image"
echo "both images byte-identical after the run"

# A QEMU that edits the -device sd-card options as a hand-written command
# line might: QEMU_EDIT=onebus puts every card on the first controller's
# bus; QEMU_EDIT=drop:NAME leaves card NAME out.
cat >"$TMP/qemu-edit" <<'SH'
#!/bin/bash
args=() first=
while [ $# -gt 0 ]; do
	if [ "$1" = -device ] && [[ $2 == sdhci-pci,id=* ]] && [ -z "$first" ]; then
		first=${2#sdhci-pci,id=} first=${first%%,*}
	elif [ "$1" = -device ] && [[ $2 == sd-card,* ]]; then
		case $QEMU_EDIT in
		onebus) args+=(-device "${2%%,bus=*},bus=pcie.0/$first/sd-bus"); shift 2; continue ;;
		drop:*) [[ $2 == sd-card,drive=${QEMU_EDIT#drop:},* ]] && { shift 2; continue; } ;;
		esac
	fi
	args+=("$1"); shift
done
exec qemu-system-x86_64 "${args[@]}"
SH
chmod +x "$TMP/qemu-edit"

# --- 2: a 32 MiB card where 64 MiB is expected, sharing its controller
truncate -s 32M "$TMP/small.img"
s=$(scenario wrong <<INI
[scenario]
name = wrong
[device emmc]
type = sd-card
image = small.img
size = 64M
[device sd1]
type = sd-card
size = 32M
INI
)
GUESTCHECK_QEMU=$TMP/qemu-edit QEMU_EDIT=onebus run_scenario "$s"
expect_rc 1
expect_output "FAIL     mmc.geometry"
expect_output "FAIL     mmc.identity"
expect_file_has "$OUT/ktap.log" "FAIL emmc: /dev/mmcblk0: expected 64 MiB (67108864 bytes), saw 32 MiB (33554432 bytes): the card is as large as its -drive image"
expect_file_has "$OUT/ktap.log" "FAIL sd1 (sd-card): expected an MMC/SD card as /dev/mmcblk. on 0000:00:11.0, saw no such device: only 1 card for the scenario's 2 (mmc0 on .* = mmcblk0), mmc1 on .* (empty)): several cards without an explicit bus= (or with the same one) land on one controller"

# --- 3: the controller is there, the card is not
s=$(scenario nocard <<INI
[scenario]
name = nocard
[device emmc]
type = sd-card
size = 16M
INI
)
GUESTCHECK_QEMU=$TMP/qemu-edit QEMU_EDIT=drop:emmc run_scenario "$s"
expect_rc 1
expect_output "FAIL     mmc.identity"
expect_file_has "$OUT/ktap.log" "FAIL emmc (sd-card): expected an MMC/SD card as /dev/mmcblk. on 0000:00:10.0, saw no such device: the guest has 1 SD host controller but no card on any (mmc0 on 0000:00:[0-9a-f.]* (empty)): check -device sd-card"
