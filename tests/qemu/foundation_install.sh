# `make install` gives a working tool, built for release: the installed runner
# builds its base image on first use (into the user's cache), byte-identical to
# the one `make` built from the same inputs, and a run passes with it.
. "$TESTS_DIR/lib.sh"
repo=$TESTS_DIR/..
make -s -C "$repo" install PREFIX=/usr DESTDIR="$TMP/inst" >/dev/null
bin=$TMP/inst/usr/bin/guestcheck
[ -x "$bin" ] && [ -x "$TMP/inst/usr/lib/guestcheck/guestcheck-agent" ] || fail "install is incomplete"
"$bin" --version | grep -q "^guestcheck " || fail "--version"
# What a user installs is the release build: no sanitizer runtime, a stripped agent.
if ldd "$bin" | grep -E 'lib(asan|ubsan)'; then fail "the installed runner links a sanitizer runtime"; fi
file "$TMP/inst/usr/lib/guestcheck/guestcheck-agent" | grep -q ', stripped' ||
	fail "the installed agent is not stripped: $(file "$TMP/inst/usr/lib/guestcheck/guestcheck-agent")"
# The tests' own runner is the sanitizer build.
ldd "$GUESTCHECK_BIN" | grep -q libasan || fail "$GUESTCHECK_BIN (the tests' runner) is not the ASan build"
page=$TMP/inst/usr/share/man/man1/guestcheck.1
[ -s "$page" ] || fail "make install did not install the man page"
if command -v man >/dev/null; then
	man -l "$page" 2>/dev/null | grep -q "guestcheck - prove what" || fail "the man page does not render"
fi
set +e
env -u GUESTCHECK_INITRAMFS XDG_CACHE_HOME="$TMP/cache" "$bin" run \
	"$TMP/inst/usr/share/guestcheck/scenarios/default.ini" --accel tcg -o "$TMP/out" >"$TMP/stdout" 2>&1
RC=$?
set -e
cat "$TMP/stdout"
expect_rc 0
img=$(ls "$TMP"/cache/guestcheck/initramfs-*.img)
cmp "$img" "$GUESTCHECK_INITRAMFS" || fail "the first-use image differs from make's: the build is not reproducible"
