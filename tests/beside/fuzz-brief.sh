# Every libFuzzer harness (tests/fuzz/) runs its seed corpus, then fuzzes
# from it, FUZZ_BRIEF_SECONDS (3 by default) in all: any crash, leak, timeout
# or out-of-memory fails the test with the harness and the reproducer.
# No guest: the parsers get what a guest or QEMU could send. `make fuzz`
# is the long run.
. "$TESTS_DIR/lib.sh"
: "${FUZZ_BINS:?run through make test (it builds the harnesses)}"
seconds=${FUZZ_BRIEF_SECONDS:-3}
seeds=$TESTS_DIR/fuzz/corpus
n=0
for bin in $FUZZ_BINS; do
	[ -x "$bin" ] || fail "$bin missing: make fuzz-bins builds it (clang, libclang-rt-14-dev)"
	name=$(basename "$bin" _fuzz)
	[ -n "$(ls -A "$seeds/$name" 2>/dev/null)" ] || fail "$name: no seeds in $seeds/$name"
	crashes=$TMP/crashes/$name/ work=$TMP/corpus/$name
	mkdir -p "$crashes" "$work"
	# libFuzzer runs every seed first, then fuzzes from them. The first folder
	# is the one it writes new inputs to: a scratch one, never the seeds.
	set +e
	"$bin" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$crashes" \
		-print_final_stats=1 -max_total_time="$seconds" "$work" "$seeds/$name" >"$TMP/$name.log" 2>&1
	rc=$?
	set -e
	repro=$(ls "$crashes" 2>/dev/null | head -n1)
	if [ "$rc" -ne 0 ] || [ -n "$repro" ]; then
		grep -E -m3 'ERROR: |runtime error:|SUMMARY' "$TMP/$name.log" >&2 || tail -n 20 "$TMP/$name.log" >&2
		[ -n "$repro" ] || fail "$name: exit $rc and no reproducer written (see the lines above)"
		# Kept past the test's own folder, for the fix.
		mkdir -p "$BUILD/fuzz/brief-crashes"
		cp "$crashes/$repro" "$BUILD/fuzz/brief-crashes/$name-$repro"
		fail "$name: exit $rc; reproducer $BUILD/fuzz/brief-crashes/$name-$repro; rerun: $bin $BUILD/fuzz/brief-crashes/$name-$repro"
	fi
	grep -q '^#[0-9]*[[:space:]]*INITED' "$TMP/$name.log" || { tail -n 20 "$TMP/$name.log" >&2; fail "$name: the seeds did not all run (exit $rc)"; }
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$TMP/$name.log" | tail -n1)
	cov=$(grep -E '^#[0-9]+' "$TMP/$name.log" | sed -n 's/.* cov: \([0-9]*\).*/\1/p' | tail -n1)
	echo "ok $name: $(ls "$seeds/$name" | wc -l) seeds, then $execs executions in ${seconds} s, cov $cov"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "FUZZ_BINS names no harness"
echo "$n harnesses: no crash, leak or timeout"
