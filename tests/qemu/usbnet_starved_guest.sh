# A guest its host starves mid-probe: QEMU stopped (SIGSTOP) for two seconds
# while the agent probes at 1000/s. The agent wakes two seconds behind
# schedule. It used to catch up in one burst of 2000 probes, which filled its
# socket's send buffer (each refused probe counted lost: a loaded CI host saw
# 5.19% on a clean path, 518 send errors) and lost echoes at the host's tap
# (5.5% here, 4 vCPUs). Now it catches up at twice the rate, and a probe the
# socket refuses waits for room. Asserted: the lateness was seen, no send
# error, and the verdict passes a 0.5% loss budget.
. "$TESTS_DIR/lib.sh"
require_taps
sc=$(scenario starved <<'INI'
[scenario]
name = starved
device_timeout = 30s
run_timeout = 90s
[machine]
cpus = 4
[device net0]
type = usb-net
netdev = tap
mac = 52:54:00:12:34:71
probe_rate = 1000
probe_duration = 5s
max_loss = 0.5%
INI
)
"$GUESTCHECK" run "$sc" --accel tcg -o "$TMP/out" >"$TMP/stdout" 2>"$TMP/stderr" &
runner=$!
# The probe's first live line: a second of probing behind it.
for _ in $(seq 1200); do
	grep -q "live net0 1s:" "$TMP/stdout" "$TMP/stderr" && break
	kill -0 "$runner" 2>/dev/null || break
	sleep 0.05
done
grep -q "live net0 1s:" "$TMP/stdout" "$TMP/stderr" || {
	kill "$runner"; cat "$TMP/stdout" "$TMP/stderr"; fail "the probe never started"
}
qemu=$(pgrep -P "$runner" -f qemu-system | head -n1)
[ -n "$qemu" ] || { kill "$runner"; fail "no QEMU under the runner"; }
kill -STOP "$qemu"
sleep 2
kill -CONT "$qemu"
set +e
wait "$runner"
RC=$?
set -e
cat "$TMP/stdout" "$TMP/stderr"
OUT=$TMP/out
expect_rc 0
# The stop happened where it should: the guest fell two seconds behind.
expect_file_has "$OUT/ktap.log" "net0: sending: [0-9]* late (at most \(19[0-9][0-9]\|[2-9][0-9][0-9][0-9]\)\.[0-9] ms behind schedule), 0 send errors,"
expect_file_has "$OUT/ktap.log" "net0: 5000 sent, "
