# SPDX-License-Identifier: GPL-2.0-or-later
# The set-up scripts fail in one line that names the cause and the fix, with
# exit 2 (bad usage) or 3 (the archive or the download), never a hang or a
# half-written folder that a later run would take for a finished one.
. "$TESTS_DIR/lib.sh"
setup=$TESTS_DIR/../setup

expect_one_line() { # $1 file $2 pattern
	[ "$(wc -l <"$1")" -le 3 ] || { cat "$1"; fail "more than a few lines of error: $1"; }
	grep -q -- "$2" "$1" || { cat "$1"; fail "the error lacks '$2'"; }
}

set +e
QEMU_SUITE=bookworm-nosuch "$setup/unpack-qemu" "$TMP/q" >"$TMP/out" 2>&1
rc=$?
set -e
cat "$TMP/out"
[ $rc -eq 3 ] || fail "unpack-qemu from a suite the archive lacks: exit $rc, expected 3"
expect_one_line "$TMP/out" "cannot read bookworm-nosuch from .*: check the network or the mirror"
expect_one_line "$TMP/out" "unpack-qemu: cannot download QEMU"
[ ! -x "$TMP/q/bin/qemu-system-x86_64" ] || fail "a failed unpack left a wrapper behind"

set +e
"$setup/unpack-kernel" "$TMP/k" amd64 5.10 >"$TMP/out" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || fail "unpack-kernel for a series it does not know: exit $rc, expected 2"
expect_one_line "$TMP/out" "usage: unpack-kernel DEST amd64|arm64 6.1|6.12"

set +e
"$setup/install-deps" nosuchprofile >"$TMP/out" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || fail "install-deps with an unknown profile: exit $rc, expected 2"
expect_one_line "$TMP/out" "usage: install-deps"

# `make` on a tree whose packages are there says nothing about them.
"$setup/install-deps" --check all >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "install-deps --check all on a complete machine"; }
[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "install-deps --check printed on a complete machine"; }
echo "ok"
