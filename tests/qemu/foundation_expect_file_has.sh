# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh's expect_file_has: a line the file lacks fails the test and shows
# the file's closest lines. Issue 14: sdhci_zcu102 once said only "ktap.log
# lacks 'ff170000.mmc: mmc1: irq ...'"; the line the log held instead,
# "ff170000.mmc: mmc0: irq ..." (the hosts numbered in probe order), was the
# answer. No guest: a KTAP excerpt of that run is the fixture.
. "$TESTS_DIR/lib.sh"
command -v python3 >/dev/null || skip "python3 missing: make deps installs it"

cat >"$TMP/ktap.log" <<'KTAP'
#  RUN           sdhci.interrupts ...
# ff160000.mmc: mmc1: irq 16 (GIC-0 80, DT SPI 48 level-high): 127 so far
# ff160000.mmc: reading 256 KiB from /dev/mmcblk1 raised irq 16 from 127 to 131
# ff170000.mmc: mmc0: irq 17 (GIC-0 81, DT SPI 49 level-high): 127 so far
# ff170000.mmc: reading 256 KiB from /dev/mmcblk0 raised irq 17 from 127 to 131
#            OK  sdhci.interrupts
ok 17 sdhci.interrupts
KTAP

# A line that is there passes, quietly.
(expect_file_has "$TMP/ktap.log" "ff160000.mmc: mmc1: irq [0-9]* (GIC-0 80") >"$TMP/out" 2>&1 ||
	fail "expect_file_has failed on a line the file holds: $(cat "$TMP/out")"
[ ! -s "$TMP/out" ] || fail "expect_file_has printed on a hit: $(cat "$TMP/out")"

# The issue's miss: the failure names the pattern and shows the swapped line first.
set +e
(expect_file_has "$TMP/ktap.log" "ff170000.mmc: mmc1: irq [0-9]* (GIC-0 81, DT SPI 49 level-high)") \
	>"$TMP/out" 2>&1
rc=$?
set -e
cat "$TMP/out"
[ "$rc" -eq 1 ] || fail "expect_file_has on a missing line exited $rc, not 1"
grep -q "^FAIL: $TMP/ktap.log lacks 'ff170000.mmc: mmc1: irq" "$TMP/out" ||
	fail "the failure does not name the missing line"
[ "$(grep -c 'closest line in' "$TMP/out")" -le 3 ] || fail "more than 3 closest lines shown"
head -n1 "$TMP/out" | grep -qF "closest line in $TMP/ktap.log: # ff170000.mmc: mmc0: irq 17 (GIC-0 81" ||
	fail "the closest line shown first is not the swapped host's"

# Nothing near: no closest line, still the failure.
set +e
(expect_file_has "$TMP/ktap.log" "zoned.zone_append: nothing of the sort") >"$TMP/out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "expect_file_has on an unrelated line exited $rc, not 1"
! grep -q "closest line" "$TMP/out" || fail "closest lines shown for an unrelated pattern: $(cat "$TMP/out")"
