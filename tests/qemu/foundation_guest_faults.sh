# SPDX-License-Identifier: GPL-2.0-or-later
# Faults during the checks of a plain run (a guest that said hello, reported
# its first test and hangs in its second):
# - SIGINT and SIGTERM to the runner: exit 3, "interrupted by signal N",
#   QEMU gone, the run folder gone, the result measured kept (first test
#   pass, second not run) and results.json's "interrupted" is the signal;
# - QEMU killed (SIGKILL) under the runner: exit 3, "the guest stopped before
#   the agent finished (QEMU killed by signal 9)", the result measured kept;
# - the guest closing its port early (after its first result, then silent):
#   the run ends at its run timeout (exit 3), the result measured kept.
. "$TESTS_DIR/lib.sh"
# Short: the run folders hold unix sockets (108-byte paths).
export TMPDIR=$TMP/t
mkdir -p "$TMPDIR"
guest() { # guest IMAGE CLOSE: hello, two tests announced, the first passed, then hang
	cat >"$TMP/init" <<SH
$GUEST_PROLOGUE
exec 3>"\$port"
echo "# guestcheck-agent: hello version=0.1 kernel=faults" >&3
echo "# guestcheck-agent: will-run faults.first" >&3
echo "# guestcheck-agent: will-run faults.second" >&3
printf 'TAP version 13\n1..2\nok 1 faults.first\n' >&3
$2
echo "faults guest: hanging in faults.second"
exec /bin/sleep 1000
SH
	overlay_initramfs "$1" "$TMP/init"
}
guest "$TMP/hang.img" ""
guest "$TMP/close.img" 'exec 3>&-; echo "faults guest: closed its port"'
s=$(scenario faults <<'INI'
[scenario]
name = faults
run_timeout = 10s
INI
)

# fault WHAT IMAGE: WHAT is INT, TERM (to the runner), QEMU (SIGKILL to QEMU) or none.
fault() {
	local what=$1 out=$TMP/out-$1 log=$TMP/log-$1 runner qemu= rc
	"$GUESTCHECK" run "$s" --accel tcg --initramfs "$2" -o "$out" >"$log" 2>&1 &
	runner=$!
	wait_for_qemu "$runner" "$log" "faults.first"
	qemu=$QEMU
	[ -n "$qemu" ] || { cat "$log"; fail "$what: the guest never reported its first test"; }
	case $what in
	INT | TERM) kill -"$what" "$runner" ;;
	QEMU) kill -KILL "$qemu" ;;
	esac
	set +e; wait "$runner"; rc=$?; set -e
	echo "--- $what -> exit $rc"
	cat "$log"
	[ "$rc" -eq 3 ] || fail "$what: expected exit 3, got $rc"
	for _ in $(seq 50); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$qemu" 2>/dev/null || fail "$what: QEMU ($qemu) outlived the run"
	[ -z "$(ls "$TMPDIR")" ] || fail "$what: left in TMPDIR: $(ls "$TMPDIR")"
	[ -s "$out/junit.xml" ] && [ -s "$out/results.ktap" ] || fail "$what: reports not written"
	python3 - "$out" "$what" <<'PY'
import json, signal, sys
out, what = sys.argv[1:]
r = json.load(open(f"{out}/results.json"))
tests = {t["name"]: t["status"] for t in r["ktap"]["tests"]}
assert tests == {"faults.first": "pass", "faults.second": "not-run"}, tests
assert r["verdict"] == "ERROR", r["verdict"]
sig = int(getattr(signal, "SIG" + what)) if what in ("INT", "TERM") else None
assert r["interrupted"] == sig, (r["interrupted"], sig)
print("ok:", r["infra_error"])
PY
}

fault INT "$TMP/hang.img"
grep -q "interrupted by signal 2" "$TMP/log-INT" || fail "SIGINT: no 'interrupted by signal 2'"
fault TERM "$TMP/hang.img"
grep -q "interrupted by signal 15" "$TMP/log-TERM" || fail "SIGTERM: no 'interrupted by signal 15'"
fault QEMU "$TMP/hang.img"
grep -q "the guest stopped before the agent finished (QEMU killed by signal 9)" "$TMP/log-QEMU" ||
	fail "QEMU killed: the run does not say so"
fault none "$TMP/close.img"
grep -q "run timeout" "$TMP/log-none" || fail "a closed port: no run timeout"
grep -q "faults guest: closed its port" "$TMP/out-none/console.log" || fail "the guest never closed its port"
echo ok
