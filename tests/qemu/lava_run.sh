# The LAVA job of the default scenario run for real by Debian 12's
# lava-dispatcher (lava-run, 2023.01) on a qemu device of this host, TCG:
# the test cases LAVA records from the serial line (its monitors action)
# must equal the verdicts of `guestcheck run --accel tcg` of the same
# scenario, run after it: the same check names, each ok, not ok or skip
# alike. Not alongside: two TCG guests on the 2 shared cores at a load of
# 12 left `run`'s guest without a hello in its 60 s (measured once). The job's header names the usb-net peer for the worker: the test
# starts it as written. The device dictionary is written by lava_helper.py
# from the job's context (lava-server's jinja2 device types are not in
# lava-dispatcher).
. "$TESTS_DIR/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: lava-run works in /var/lib/lava/dispatcher"
command -v lava-run >/dev/null || skip "no lava-run: make deps installs lava-dispatcher"
helper=$TESTS_DIR/qemu/lava_helper.py
default=$TESTS_DIR/../scenarios/default.ini
peers=
cleanup() {
	for p in $peers; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || :; done
}
at_exit cleanup
# The header's step calls `guestcheck`: this build's.
mkdir "$TMP/bin" && ln -s "$(realpath "$GUESTCHECK_BIN")" "$TMP/bin/guestcheck"
PATH=$TMP/bin:$PATH

start=$(date +%s)
"$GUESTCHECK" export --lava "$default" --accel tcg -o "$TMP/exp" || fail "export --lava"
job=$TMP/exp/default.lava.yaml
/usr/bin/python3 "$helper" validate "$job" || fail "LAVA's schema rejects the job"
sed -n 's/^#   \(guestcheck peer .*\) &$/\1/p' "$job" >"$TMP/steps"
[ -s "$TMP/steps" ] || fail "the job names no usb-net peer for default's net0"
while IFS= read -r line; do
	eval "$line &"
	peers="$peers $!"
done <"$TMP/steps"
/usr/bin/python3 "$helper" device "$job" qemu-system-x86_64 >"$TMP/device.yaml"

rc=0
timeout 400 lava-run --job-id "guestcheck-$$" --output-dir "$TMP/lava" --device "$TMP/device.yaml" \
	"$job" >"$TMP/lava.log" 2>&1 || rc=$?
echo "--- lava-run exited $rc after $(($(date +%s) - start)) s"
grep -q '"case": "job", "definition": "lava", "result": "pass"' "$TMP/lava.log" || {
	grep '"lvl": "error"' "$TMP/lava.log" | tail -n 5
	fail "LAVA's job did not pass (lava-run exited $rc)"
}
/usr/bin/python3 "$helper" results "$TMP/lava.log" >"$TMP/lava.v"
for p in $peers; do
	rc=0 && wait "$p" || rc=$?
	[ $rc -eq 0 ] || fail "guestcheck peer exited $rc"
done
peers=
rc=0
"$GUESTCHECK" run "$default" --accel tcg -o "$TMP/run" >"$TMP/run.out" 2>&1 || rc=$?
echo "--- guestcheck run exited $rc after $(($(date +%s) - start)) s in all"
[ $rc -eq 0 ] || { cat "$TMP/run.out"; fail "guestcheck run failed (exit $rc)"; }
awk '/^(not )?ok [0-9]+ / { n = ($1 == "not"); name = n ? $4 : $3
	print name, n ? "not ok" : (/ # SKIP/ ? "skip" : "ok") }' "$TMP/run/ktap.log" >"$TMP/run.v"
grep -qx "devices.present ok" "$TMP/lava.v" || fail "LAVA: devices.present did not pass"
grep -qx "usbnet.probe ok" "$TMP/lava.v" || fail "LAVA: the peer did not answer the probe"
diff -u "$TMP/run.v" "$TMP/lava.v" || fail "LAVA's results differ from guestcheck run's (above)"
echo "--- $(wc -l <"$TMP/lava.v") LAVA test cases equal guestcheck run's verdicts; $(($(date +%s) - start)) s in all"
