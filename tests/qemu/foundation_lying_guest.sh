# ci: shared
# A guest that lies and floods: fake hello, an announced test it never runs,
# a 1 MiB line, 2 MiB of random bytes, an escape sequence in a name, then
# silence. The runner must survive (it is built with ASan), keep what was
# measured, list the announced test as not run, and stop at the run timeout.
. "$TESTS_DIR/lib.sh"
cat >"$TMP/init" <<SH
$GUEST_PROLOGUE
{
	echo "# guestcheck-agent: hello version=9.9 kernel=liar"
	echo "# guestcheck-agent: will-run liar.announced"
	printf 'TAP version 13\n1..3\nok 1 liar.fine\n'
	busybox head -c 1048576 /dev/zero | busybox tr '\0' 'A'
	echo
	busybox head -c 2097152 /dev/urandom
	printf '\nnot ok 2 liar.broken\033[31m red\n'
} >"\$port"
exec /bin/sleep 1000
SH
overlay_initramfs "$TMP/liar.img" "$TMP/init"
s=$(scenario liar <<'INI'
[scenario]
name = liar
run_timeout = 10s
INI
)
run_scenario "$s" --initramfs "$TMP/liar.img"
expect_rc 3
expect_output "run timeout"
! grep -q $'\033' "$TMP/stdout" "$TMP/stderr" || fail "an escape sequence from the guest reached the terminal"
python3 - "$OUT" <<'PY'
import json, sys
r = json.load(open(f"{sys.argv[1]}/results.json"))
k = r["ktap"]
tests = {t["name"]: t["status"] for t in k["tests"]}
assert tests.get("liar.announced") == "not-run", tests
assert tests.get("liar.fine") == "pass", tests
assert any(n.startswith("liar.broken") and s == "fail" for n, s in tests.items()), tests
assert k["overlong_lines"] >= 1, k
assert k["bytes"] > 3 * 1024 * 1024, k["bytes"]
print("ok:", tests, "overlong", k["overlong_lines"], "garbage", k["garbage_lines"])
PY
