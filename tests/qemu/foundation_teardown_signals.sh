# SPDX-License-Identifier: GPL-2.0-or-later
# A second stop signal during a plain run's teardown, as a supervisor that
# stops and then stops harder sends (systemd, CI runners, a user's second
# Ctrl-C): the runner still stops QEMU, removes its run folder, writes its
# reports (interrupted by the first signal) and exits 3, saying the second
# was taken after the cleanup. The teardown is made long enough to aim at:
# QEMU runs under a wrapper that passes the runner's SIGTERM on 1 s late (a
# QEMU slow to stop, as one flushing a large cache is), inside the runner's
# 2 s grace. Before the fix, the second SIGTERM ended the runner when the VM
# was freed: exit 143, no results.json, the run folder left behind.
. "$TESTS_DIR/lib.sh"
export TMPDIR=$TMP/t
mkdir -p "$TMPDIR"
cat >"$TMP/qemu" <<SH
#!/bin/bash
case "\$*" in *-version* | *help*) exec qemu-system-x86_64 "\$@" ;; esac
qemu-system-x86_64 "\$@" &
q=\$!
echo \$q >"\$QEMU_PID_FILE"
trap 'echo >"\$QEMU_PID_FILE.stopping"; sleep 1; kill -TERM \$q' TERM
while kill -0 \$q 2>/dev/null; do wait \$q; done
SH
chmod +x "$TMP/qemu"
# A guest that never says hello: the signals land in the boot, whatever the load.
sleepy_scenario

# twice FIRST SECOND: FIRST once the guest boots, SECOND during the teardown.
twice() {
	local out=$TMP/out-$1-$2 log=$TMP/log-$1-$2 runner rc qemu n
	export QEMU_PID_FILE=$TMP/qemu-$1-$2.pid
	"$GUESTCHECK" run "$SLEEPY" --initramfs "$SLEEPY_IMAGE" --qemu "$TMP/qemu" --accel tcg -o "$out" >"$log" 2>&1 &
	runner=$!
	for _ in $(seq 1200); do [ -s "$QEMU_PID_FILE" ] || ! kill -0 "$runner" 2>/dev/null && break; sleep 0.1; done
	qemu=$(cat "$QEMU_PID_FILE" 2>/dev/null) || { cat "$log"; fail "QEMU never started"; }
	at_exit "kill -9 $qemu 2>/dev/null"
	sleep 1
	kill -"$1" "$runner"
	for _ in $(seq 100); do [ -e "$QEMU_PID_FILE.stopping" ] && break; sleep 0.05; done
	[ -e "$QEMU_PID_FILE.stopping" ] || { cat "$log"; fail "the runner never began to stop QEMU"; }
	kill -"$2" "$runner"
	set +e; wait "$runner"; rc=$?; set -e
	echo "--- SIG$1, then SIG$2 during the teardown -> exit $rc"
	cat "$log"
	[ "$rc" -eq 3 ] || fail "SIG$1 then SIG$2: expected exit 3, got $rc"
	n=$(kill -l "$1")
	grep -q "interrupted by signal $n" "$log" || fail "no 'interrupted by signal $n'"
	grep -q "guestcheck: signal $(kill -l "$2") during the teardown: the run was already interrupted" "$log" ||
		fail "the second signal is not said"
	! kill -0 "$qemu" 2>/dev/null || fail "QEMU ($qemu) outlived the run"
	[ -z "$(ls -A "$TMPDIR")" ] || fail "left in TMPDIR: $(ls -A "$TMPDIR")"
	python3 - "$out" "$n" <<'PY'
import json, sys, xml.etree.ElementTree as ET
out, sig = sys.argv[1], int(sys.argv[2])
r = json.load(open(f"{out}/results.json"))
assert r["verdict"] == "ERROR" and r["interrupted"] == sig, (r["verdict"], r.get("interrupted"))
ET.parse(f"{out}/junit.xml")
print("ok: results.json and junit.xml written, interrupted by", sig)
PY
}

twice TERM TERM
twice INT TERM
echo ok
