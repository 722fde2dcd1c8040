# report.html in a real headless browser (Debian's chromium): the page loads
# ci: shared
# with no console errors, and the rendered page holds the jobs table, the
# failure message and the timing picture; the screenshot is kept beside it.
. "$TESTS_DIR/lib.sh"
command -v chromium >/dev/null || fail "chromium missing: make deps installs it"
mkdir "$TMP/set"
printf '[scenario]\nname = good\n[device sd0]\ntype = sd-card\nsize = 16M\n' >"$TMP/set/good.ini"
printf '[scenario]\nname = bad\ndevice_timeout = 2s\n[device sd0]\ntype = sd-card\nsize = 16M\nnode = mmcblk4\n' >"$TMP/set/bad.ini"
set +e
"$GUESTCHECK" run "$TMP/set" --accel tcg -j 2 -o "$TMP/out" >"$TMP/stdout" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$TMP/stdout"; fail "expected exit 1 from the set, got $rc"; }
browser() {
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/profile" --enable-logging=stderr --v=0 "$@"
}
browser --window-size=1100,1400 --screenshot="$TMP/out/report.png" "file://$TMP/out/report.html" 2>"$TMP/shot.log" ||
	{ cat "$TMP/shot.log"; fail "chromium could not render the report"; }
browser --dump-dom "file://$TMP/out/report.html" >"$TMP/dom.html" 2>"$TMP/dom.log" || fail "chromium --dump-dom"
if grep -E "CONSOLE|Uncaught|Failed to load" "$TMP/shot.log" "$TMP/dom.log"; then
	fail "the page logged errors in the browser"
fi
python3 - "$TMP/dom.html" "$TMP/out/report.png" <<'PY'
import struct, sys
dom = open(sys.argv[1]).read()
for needle in ('href="#good"', 'href="#bad"', "<svg", "Where the time went",
               "expected /dev/mmcblk4 (driver mmcblk), saw nothing", 'class="FAIL"'):
    assert needle in dom, f"the rendered page lacks {needle!r}"
png = open(sys.argv[2], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", png[16:24])
assert (w, h) == (1100, 1400) and len(png) > 20000, (w, h, len(png))
print("rendered", w, "x", h, len(png), "bytes")
PY
