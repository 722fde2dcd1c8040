# The Debian package, as README's "Install" says: built with `dpkg-buildpackage
# -us -uc -b` from a clean export of HEAD (git archive: never the build tree, so
# uncommitted files cannot help it), lintian without errors, then installed with
# `apt-get install ./guestcheck_*.deb` into a fresh Debian 12 chroot (apt
# brings the Depends and Recommends from the Debian mirror: QEMU, busybox-static,
# linux-image-amd64, whose /boot/vmlinuz the runner boots by default), the
# default scenario run there under TCG: PASS. The bash completion it installs
# passes bash_completion's assertions. Then `apt-get remove --purge` leaves
# none of the package's files behind. Root (chroot, mounts); the host's
# apt cache is reused. DEB_KEEP=1 keeps the build tree and the chroot.
. "$TESTS_DIR/lib.sh"
repo=$(cd "$TESTS_DIR/.." && pwd)
[ "$(id -u)" -eq 0 ] || skip "needs root (chroot, mounts)"
for tool in dpkg-buildpackage dh lintian git; do
	command -v "$tool" >/dev/null || skip "no $tool: make deps installs debhelper and lintian"
done
git -C "$repo" rev-parse -q --verify HEAD >/dev/null || skip "$repo is not a git checkout: the package is built from HEAD"
build=${BUILD:-$repo/build}
case $build in /*) ;; *) build=$repo/$build ;; esac
CHROOT_ROOT=$build/debian-package/root
CHROOT_LOG=$build/debian-package
. "$TESTS_DIR/chroot.sh"
trap 'if [ "${DEB_KEEP:-0}" = 1 ]; then chroot_unmount_all; echo "kept $TMP"; else chroot_remove; rm -rf "$TMP"; fi' EXIT
start_all=$SECONDS
mkdir -p "$CHROOT_LOG"

# The Build-Depends are install-deps' build profile (what the Makefile's own check asks for).
build_deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$repo/debian/control")
for p in $(sh -c '. /dev/stdin; echo $build' < <(sed -n '/^build="/,/^"/p' "$repo/setup/install-deps")); do
	[ "$p" = build-essential ] && continue
	grep -qE "(^|[ ,])$p(,|\$| )" <<<"$build_deps" ||
		fail "setup/install-deps's build profile has $p, debian/control's Build-Depends lacks it"
done

echo "== dpkg-buildpackage -us -uc -b (git archive HEAD)"
start=$SECONDS
version=$(dpkg-parsechangelog -l "$repo/debian/changelog" -S Version)
src=$TMP/pkg/guestcheck-$version
mkdir -p "$src"
git -C "$repo" archive HEAD | tar -x -C "$src"
# As a user would: none of make test's variables (BUILD, GUESTCHECK_*) in its environment.
(cd "$src" && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$TMP" LANG=C.UTF-8 \
	DEB_BUILD_OPTIONS=parallel=$(nproc) dpkg-buildpackage -us -uc -b) >"$CHROOT_LOG/build.log" 2>&1 ||
	{ tail -n 30 "$CHROOT_LOG/build.log"; fail "dpkg-buildpackage failed: log $CHROOT_LOG/build.log"; }
deb=$TMP/pkg/guestcheck_${version}_amd64.deb
[ -f "$deb" ] || fail "no $deb after the build"
echo "   $((SECONDS - start)) s: $(cd "$TMP/pkg" && ls ./*.deb | tr '\n' ' ')"
# What the package holds: the release runner and the stripped static agent.
dpkg-deb -x "$deb" "$TMP/x"
ldd "$TMP/x/usr/bin/guestcheck" | grep -E 'lib(asan|ubsan)' && fail "the packaged runner links a sanitizer runtime"
readelf -d "$TMP/x/usr/bin/guestcheck" | grep -q 'FLAGS_1.*NOW.*PIE' ||
	fail "the packaged runner lacks Debian's hardening (PIE, BIND_NOW): dpkg-buildflags not used"
nm -D "$TMP/x/usr/bin/guestcheck" | grep -q '__stack_chk_fail' || fail "the packaged runner has no stack protector"
file "$TMP/x/usr/lib/guestcheck/guestcheck-agent" | grep -q 'statically linked, .*stripped$' ||
	fail "the packaged agent is not static and stripped: $(file "$TMP/x/usr/lib/guestcheck/guestcheck-agent")"
for f in usr/lib/guestcheck/build-initramfs usr/share/man/man1/guestcheck.1.gz \
	usr/share/bash-completion/completions/guestcheck usr/share/guestcheck/scenarios/default.ini; do
	[ -s "$TMP/x/$f" ] || fail "the package lacks /$f"
done

echo "== lintian"
start=$SECONDS
lintian --fail-on error "$TMP/pkg/guestcheck_${version}_amd64.changes" \
	>"$TMP/lintian" 2>&1 || { cat "$TMP/lintian"; fail "lintian reports errors"; }
sed 's/^/   /' "$TMP/lintian"
echo "   $((SECONDS - start)) s"

echo "== a fresh Debian 12 chroot: apt-get install ./$(basename "$deb")"
chroot_create link
chroot_mount --bind "$TMP/pkg" mnt/deb ro
start=$SECONDS
set +e
in_chroot 'set -e
	apt-get update -q
	cd /mnt/deb && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./guestcheck_*.deb' \
	>"$CHROOT_LOG/install.log" 2>&1
rc=$?
set -e
chroot_cache_back
echo "   exit $rc after $((SECONDS - start)) s; log $CHROOT_LOG/install.log"
[ "$rc" -eq 0 ] || { tail -n 20 "$CHROOT_LOG/install.log"; fail "apt-get install of the package failed"; }
in_chroot 'ls /boot/vmlinuz-*' || fail "no /boot/vmlinuz-* in the chroot: the Recommends should bring linux-image-amd64"

echo "== guestcheck run /usr/share/guestcheck/scenarios/default.ini --accel tcg"
start=$SECONDS
set +e
in_chroot 'cd /root && guestcheck run /usr/share/guestcheck/scenarios/default.ini --accel tcg' \
	>"$TMP/stdout" 2>&1
RC=$?
set -e
tail -n 4 "$TMP/stdout"
echo "   exit $RC after $((SECONDS - start)) s"
expect_rc 0
expect_output '^scenario default: PASS'
in_chroot 'ls /root/.cache/guestcheck/initramfs-*.img' >/dev/null ||
	fail "the installed runner did not build its image into ~/.cache/guestcheck"

echo "== the installed bash completion"
COMPLETION=$CHROOT_ROOT/usr/share/bash-completion/completions/guestcheck \
	bash "$TESTS_DIR/qemu/bash_completion.sh" >"$TMP/completion.log" 2>&1 ||
	{ cat "$TMP/completion.log"; fail "the installed completion fails bash_completion's assertions"; }
in_chroot '. /usr/share/bash-completion/completions/guestcheck; COMP_WORDS=(guestcheck r); COMP_CWORD=1
	_guestcheck guestcheck r guestcheck; echo "${COMPREPLY[*]}"' | grep -qx run ||
	fail "the completion does not complete 'guestcheck r' to run under the chroot's bash"

echo "== apt-get remove --purge guestcheck"
files=$(in_chroot 'dpkg -L guestcheck' | grep -v '^/\.$')
in_chroot 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -q --purge guestcheck' >>"$CHROOT_LOG/install.log" 2>&1 ||
	fail "apt-get remove --purge guestcheck failed: log $CHROOT_LOG/install.log"
in_chroot 'dpkg-query -W -f="\${Status}" guestcheck 2>/dev/null' | grep -q . &&
	fail "dpkg still knows guestcheck after the purge"
# Every file gone; a folder stays only while another package owns it too
# (/usr/share/lintian/overrides holds QEMU's).
left=$(for f in $files; do
	[ -e "$CHROOT_ROOT$f" ] || continue
	[ -d "$CHROOT_ROOT$f" ] && [ ! -L "$CHROOT_ROOT$f" ] && in_chroot "dpkg-query -S '$f'" >/dev/null 2>&1 && continue
	echo "$f"
done)
[ -z "$left" ] || fail "left behind after the purge: $left"
echo "   none of its $(wc -w <<<"$files") paths left"
echo "ok: the Debian package builds, passes lintian, installs, runs PASS and purges ($((SECONDS - start_all)) s)"
