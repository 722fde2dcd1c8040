# --accel auto never hangs: KVM is used only if a guest's vCPUs run under it
# and it says hello within the watchdog; otherwise the run falls back to TCG
# and says why (the fall-back itself: foundation_accel_kvm_hangs).
# (Where KVM works, the run passes under KVM and says that instead.)
. "$TESTS_DIR/lib.sh"
s=$(scenario auto <<'INI'
[scenario]
name = auto
[device net0]
type = usb-net
netdev = user
probe_duration = 500ms
INI
)
set +e
timeout 120 "$GUESTCHECK" run "$s" --accel auto --kvm-watchdog 4 -o "$TMP/out" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
cat "$TMP/stdout" "$TMP/stderr"
[ "$RC" -ne 124 ] || fail "the runner hung under --accel auto"
expect_rc 0
grep -q "the guest never started the probe" "$TMP/stderr" && fail "the KVM attempt's areas reported"
python3 - "$TMP/out" <<'PY'
import json, os, sys
out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
print("accel:", r["accel"], "|", r["accel_reason"])
if r["accel"] == "tcg":
    assert "fell back to TCG" in r["accel_reason"] or "/dev/kvm" in r["accel_reason"], r
    if "fell back" in r["accel_reason"]:
        assert os.path.exists(f"{out}/kvm-attempt-qemu-cmdline.txt"), "the KVM attempt's logs are gone"
        # An attempt that never said hello reports nothing of its areas.
        assert not os.path.exists(f"{out}/kvm-attempt-usbnet-net0-timeline.csv"), os.listdir(out)
else:
    assert r["accel"] == "kvm" and "booted under KVM" in r["accel_reason"], r
PY
