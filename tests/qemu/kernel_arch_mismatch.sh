# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# A kernel for another architecture than the scenario's is refused before
# anything boots (exit 2, one line naming both and the fix), where an x86
# bzImage on xlnx-zcu102 used to wait 60 s for a hello that never came:
#  - --kernel x86 on the aarch64 scenario: refused, single run and run set;
#  - --kernel arm64 on an x86 scenario: refused;
#  - GUESTCHECK_KERNEL (a default for a whole set) for x86: the aarch64
#    scenario boots its own [machine] kernel instead, saying so; with no
#    kernel of its own it is refused.
# The header tells the arch (guest_image_test.c); no guest boots here.
. "$TESTS_DIR/lib.sh"
: "${GUESTCHECK_KERNEL:?run through make test}"
a64=${GUESTCHECK_A64_KERNEL:-}
dt=${GUESTCHECK_DT_DIR:-${BUILD:-build}/dt}
[ -n "$a64" ] && [ -r "$a64" ] || skip "no arm64 kernel: run through make test (make aarch64 unpacks it)"
command -v qemu-system-aarch64 >/dev/null || skip "qemu-system-aarch64 missing: make deps installs qemu-system-arm"
x86=$GUESTCHECK_KERNEL
dt=$(cd "$dt" && pwd)
a64=$(cd "$(dirname "$a64")" && pwd)/$(basename "$a64")

sed -e "s|^dtb = .*/\(.*\.dtb\)$|dtb = $dt/\1|" -e "s|^kernel = .*|kernel = $a64|" \
	"$TESTS_DIR/../scenarios/sdhci-zcu102.ini" >"$TMP/zcu102.ini"
sed '/^kernel = /d' "$TMP/zcu102.ini" >"$TMP/zcu102-nokernel.ini"
x86_ini=$(scenario x86 <<'EOF'
[scenario]
name = x86
[machine]
memory = 256M
EOF
)

# run_quick ARGS...: sets RC; a refusal must come before any boot.
run_quick() {
	local start=$SECONDS
	set +e
	"$GUESTCHECK" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	echo "--- guestcheck $* -> exit $RC ($((SECONDS - start)) s)"
	cat "$TMP/stdout" "$TMP/stderr"
	[ $((SECONDS - start)) -lt 30 ] || fail "took $((SECONDS - start)) s: it booted"
}
lines() { [ "$(grep -c "$1" "$TMP/stderr")" -eq 1 ] || fail "not one line with '$1' on stderr"; }

run_quick run "$TMP/zcu102.ini" --kernel "$x86" --accel tcg -o "$TMP/r1"
expect_rc 2
expect_output "zcu102.ini: --kernel $x86 is an x86_64 kernel, the scenario boots aarch64: give an aarch64 kernel, or leave --kernel out to boot the scenario's own ($a64)"
lines "is an x86_64 kernel"
[ ! -e "$TMP/r1/qemu-cmdline.txt" ] || fail "QEMU was started"

# A run set checks every job's kernel before anything boots.
run_quick run "$TMP/zcu102.ini" "$x86_ini" --kernel "$x86" --accel tcg -o "$TMP/set"
expect_rc 2
expect_output "zcu102.ini: --kernel $x86 is an x86_64 kernel, the scenario boots aarch64"
[ -z "$(ls "$TMP/set" 2>/dev/null)" ] || fail "the set started jobs: $(ls "$TMP/set")"

run_quick qemu-args "$x86_ini" --kernel "$a64"
expect_rc 2
expect_output "x86.ini: --kernel $a64 is an aarch64 kernel, the scenario boots x86_64: give an x86_64 kernel with --kernel or \[machine\] kernel"

# The environment's default yields to the scenario's own kernel of the right arch...
GUESTCHECK_KERNEL=$x86 run_quick qemu-args "$TMP/zcu102.ini"
expect_rc 0
expect_output "zcu102.ini: GUESTCHECK_KERNEL $x86 is an x86_64 kernel: booting the scenario's own aarch64 kernel $a64"
expect_output "qemu-system-aarch64 .*-kernel $a64"
# ... and x86 scenarios still take it.
GUESTCHECK_KERNEL=$x86 run_quick qemu-args "$x86_ini"
expect_rc 0
expect_output "-kernel $x86"
# With no kernel of its own there is nothing to yield to: refused.
GUESTCHECK_KERNEL=$x86 run_quick qemu-args "$TMP/zcu102-nokernel.ini"
expect_rc 2
expect_output "zcu102-nokernel.ini: GUESTCHECK_KERNEL $x86 is an x86_64 kernel, the scenario boots aarch64: give an aarch64 kernel with --kernel or \[machine\] kernel (or unset it)"
