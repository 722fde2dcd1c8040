# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
# The base-image cache is keyed by the agent: a runner installed with a new
# agent builds a new image instead of booting the old agent. A copy of the
# runner with its agent and builder beside it (as `make install` lays them
# out) and no image beside it builds into $XDG_CACHE_HOME; QEMU is a wrapper
# that answers the questions asked before boot and refuses to boot, so no
# guest runs here.
. "$TESTS_DIR/lib.sh"
: "${GUESTCHECK_AGENT:?run through make test}"
unset GUESTCHECK_INITRAMFS
mkdir -p "$TMP/inst/bin" "$TMP/inst/lib/guestcheck"
cp "$GUESTCHECK_BIN" "$TMP/inst/bin/guestcheck"
cp "$GUESTCHECK_AGENT" "$TMP/inst/lib/guestcheck/guestcheck-agent"
for f in build-initramfs kernel-version default-kernel modules.list; do
	cp "$TESTS_DIR/../initramfs/$f" "$TMP/inst/lib/guestcheck/"
done
cat >"$TMP/qemu" <<'SH'
#!/bin/sh
case "$*" in *-version* | *help*) exec qemu-system-x86_64 "$@" ;; esac
echo "no boot in this test" >&2; exit 1
SH
chmod +x "$TMP/qemu"
file=$(scenario plain <<'INI'
[scenario]
name = plain
INI
)
boot() { # the image the run used, from its qemu-cmdline.txt's absence: the cache's listing
	set +e
	XDG_CACHE_HOME=$TMP/cache GUESTCHECK_QEMU=$TMP/qemu "$TMP/inst/bin/guestcheck" run "$file" \
		--accel tcg -o "$TMP/out" >"$TMP/run.out" 2>&1
	rc=$?
	set -e
	cat "$TMP/run.out"
	[ $rc -eq 3 ] || fail "expected QEMU's refusal (exit 3), got $rc"
}
boot
ls "$TMP/cache/guestcheck"
first=$(ls "$TMP/cache/guestcheck")
[[ $first =~ ^initramfs-.+\.agent-[0-9a-f]{12}\.img$ ]] || fail "cache holds '$first', not initramfs-RELEASE.agent-KEY.img"
boot # the same agent: the same image, not built again
[ "$(ls "$TMP/cache/guestcheck")" = "$first" ] || fail "the same agent built another image"
grep -q "^initramfs: " "$TMP/run.out" && fail "the image was built again for the same agent"
printf '\0' >>"$TMP/inst/lib/guestcheck/guestcheck-agent" # a new guestcheck version
boot
[ "$(ls "$TMP/cache/guestcheck" | wc -l)" -eq 2 ] || fail "a new agent did not get a new image: $(ls "$TMP/cache/guestcheck")"
grep -q "^initramfs: $TMP/cache/guestcheck/initramfs-.*\.agent-" "$TMP/run.out" || fail "no build for the new agent"
