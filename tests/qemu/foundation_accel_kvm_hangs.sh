# --accel auto on a host where KVM guests hang costs at most 3 s, not the
# watchdog: the KVM attempt is judged by an early sign (CPU 0's registers
# move, or the guest writes), and without it the run falls back to TCG,
# saying which sign was missing and how long the fall-back took
# (results.json's accel_fallback_seconds, the runner's own clock). Where
# the vCPUs do run, the sign lets the boot go on under "KVM" at no cost.
#
# This host has no /dev/kvm: GUESTCHECK_KVM_ASSUME=1 makes the runner try
# KVM, and tests/fake-kvm-qemu as --qemu plays it with a real QEMU: accel=kvm
# becomes TCG (-cpu host becomes max), and with FAKE_KVM=hang the vCPUs never
# run (-S, never continued): a guest that hangs before its first instruction.
. "$TESTS_DIR/lib.sh"
s=$(scenario auto <<'INI'
[scenario]
name = auto
INI
)

# run_auto OUT WATCHDOG [ENV...]: guestcheck run under auto with the stand-in.
run_auto() {
	local out=$1 watchdog=$2; shift 2
	set +e
	env GUESTCHECK_KVM_ASSUME=1 "$@" timeout 200 "$GUESTCHECK" run "$s" --accel auto \
		--kvm-watchdog "$watchdog" --qemu "$TESTS_DIR/fake-kvm-qemu" -o "$out" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	grep -v '^\[.*skip ' "$TMP/stderr" || true
	[ "$RC" -ne 124 ] || fail "the runner hung under --accel auto"
	expect_rc 0
}

echo "--- a KVM whose vCPUs never run, with the default 15 s watchdog"
run_auto "$TMP/hang" 15 FAKE_KVM=hang
python3 - "$TMP/hang" <<'PY'
import json, os, sys
out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
print("accel:", r["accel"], "| fell back after", r["accel_fallback_seconds"], "s |", r["accel_reason"])
assert r["accel"] == "tcg", r["accel"]
reason = r["accel_reason"]
assert "no sign of the vCPUs running" in reason and "registers stayed the same" in reason, reason
assert "EIP=0000fff0" in reason and "prelaunch" in reason, reason
assert "nothing came on the console or the agent's port" in reason, reason
assert reason.endswith("fell back to TCG"), reason
assert r["accel_fallback_seconds"] is not None and 0 < r["accel_fallback_seconds"] <= 3.0, \
    r["accel_fallback_seconds"]
assert r["verdict"] == "PASS", r["verdict"]
assert os.path.exists(f"{out}/kvm-attempt-qemu-cmdline.txt"), "the KVM attempt's logs are gone"
assert "accel=kvm" in open(f"{out}/kvm-attempt-qemu-cmdline.txt").read()
PY
expect_output "fell back to TCG after "

echo "--- a KVM whose vCPUs run: no fall-back, the boot goes on under it"
run_auto "$TMP/runs" 150
python3 - "$TMP/runs" <<'PY'
import json, sys
r = json.load(open(f"{sys.argv[1]}/results.json"))
print("accel:", r["accel"], "|", r["accel_reason"], "| fall-back:", r["accel_fallback_seconds"])
assert r["accel"] == "kvm" and "booted under KVM" in r["accel_reason"], r["accel_reason"]
assert r["accel_fallback_seconds"] is None, r["accel_fallback_seconds"]
assert r["verdict"] == "PASS", r["verdict"]
PY
grep -q "vCPUs run under kvm after .* s: \(CPU 0's registers moved\|the guest wrote\)" "$TMP/stderr" ||
	fail "no line saying the vCPUs ran"
! grep -q "fell back" "$TMP/stderr" || fail "fell back though the vCPUs ran"
