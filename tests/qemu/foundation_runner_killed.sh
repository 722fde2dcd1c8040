# QEMU never outlives the runner: SIGINT and SIGTERM during the boot stop the
# run cleanly (exit 3, the reports written, results.json's "interrupted" the
# signal, QEMU gone); SIGKILL, which the runner cannot catch, still
# takes QEMU down (PR_SET_PDEATHSIG).
. "$TESTS_DIR/lib.sh"
sleepy_scenario
s=$SLEEPY
# The guest's QEMU: -kernel tells it from the short-lived ones the runner asks
# for their version and devices first (caught here once, and the test failed).
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

for sig in INT TERM KILL; do
	out=$TMP/out-$sig
	"$GUESTCHECK" run "$s" --accel tcg --initramfs "$TMP/sleepy.img" -o "$out" >"$TMP/log-$sig" 2>&1 &
	runner=$!
	qemu=
	for _ in $(seq 100); do qemu=$(qemu_of "$runner"); [ -n "$qemu" ] && break; sleep 0.1; done
	alive "$qemu" || fail "QEMU never started"
	sleep 1
	kill -"$sig" "$runner"
	set +e; wait "$runner"; rc=$?; set -e
	for _ in $(seq 50); do alive "$qemu" || break; sleep 0.1; done
	! alive "$qemu" || fail "QEMU ($qemu) outlived a runner killed with SIG$sig"
	echo "SIG$sig: runner exit $rc, QEMU gone"
	if [ "$sig" != KILL ]; then
		n=$(kill -l "$sig")
		cat "$TMP/log-$sig"
		[ "$rc" -eq 3 ] || fail "SIG$sig: expected exit 3, got $rc"
		grep -q "interrupted by signal $n" "$TMP/log-$sig" || fail "SIG$sig: no message"
		[ -s "$out/results.json" ] && [ -s "$out/junit.xml" ] || fail "SIG$sig: reports not written"
		python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["interrupted"] == int(sys.argv[2])' \
			"$out/results.json" "$n" || fail "SIG$sig: results.json not marked interrupted"
	fi
done
