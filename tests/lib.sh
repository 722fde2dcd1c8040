# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the integration tests: each test is a script that boots real
# guests through the `guestcheck` CLI, exactly as a user would, and asserts
# on exit codes, messages and the files in the results directory.
set -eu
: "${GUESTCHECK:?run through make test}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "$*"; exit 77; }

# run_scenario FILE [args]: runs with TCG pinned; sets RC and OUT (results dir).
run_scenario() {
	local file=$1; shift
	OUT=$TMP/results-$(basename "$file" .ini)
	set +e
	"$GUESTCHECK" run "$file" --accel tcg -o "$OUT" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	echo "--- guestcheck run $file $* -> exit $RC"
	cat "$TMP/stdout" "$TMP/stderr"
}

expect_rc() { [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC"; }
expect_output() { grep -q -- "$1" "$TMP/stdout" "$TMP/stderr" || fail "output lacks '$1'"; }
expect_file_has() { grep -q -- "$2" "$1" || fail "$1 lacks '$2'"; }

# A scenario file in $TMP from a here-document.
scenario() { cat >"$TMP/$1.ini"; echo "$TMP/$1.ini"; }
