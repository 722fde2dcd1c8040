#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A new user's first try, proven: a fresh Debian 12 (debootstrap minbase, then
# `apt-get install make git`, as the README says), the project cloned into it
# from this tree's HEAD, and `make demo` run once: it must install what it
# needs, build, boot the default scenario and PASS on that first run. Then
# `make test` once, limited to one integration test (the whole suite runs
# outside), so its own first-run set-up is proven too: the test packages, the
# QEMU from backports, the Linux 6.12 and arm64 kernels, the sanitizer build,
# every unit test.
#
# The host's apt cache is shared with the chroot (downloads are reused), and
# nothing else of the host's is: not its packages, not its build tree. Needs
# root. FRESH_KEEP=1 keeps the chroot for a look; FRESH_MAKE_TEST=0 stops after
# the demo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${BUILD:-$repo/build}
case $build in /*) ;; *) build=$repo/$build ;; esac
CHROOT_ROOT=$build/fresh-machine/root
CHROOT_LOG=$build/fresh-machine
root=$CHROOT_ROOT log=$CHROOT_LOG
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot, mounts)"; exit 77; }
command -v debootstrap >/dev/null || { echo "fresh-machine: debootstrap missing: run 'make deps'"; exit 77; }
. "$here/../chroot.sh"
trap '[ "${FRESH_KEEP:-0}" = 1 ] && chroot_unmount_all || chroot_remove' EXIT

chroot_create bind
chroot_mount --bind "$repo" mnt/src ro

echo "== apt-get install make git; git clone; make demo"
start=$SECONDS
set +e
in_chroot 'set -e
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q make git
	git config --global --add safe.directory "*"
	git clone -q /mnt/src /root/guestcheck
	cd /root/guestcheck && make demo' >"$log/demo.log" 2>&1
rc=$?
set -e
echo "   exit $rc after $((SECONDS - start)) s; log $log/demo.log"
tail -n 5 "$log/demo.log"
[ "$rc" -eq 0 ] || { echo "FAIL: make demo did not pass on its first run"; grep -m5 -iE 'error|fatal' "$log/demo.log"; exit 1; }
grep -q '^scenario default: PASS' "$log/demo.log" || { echo "FAIL: make demo printed no PASS verdict"; exit 1; }
# The demo installs only what the demo needs.
for heavy in chromium gcc-aarch64-linux-gnu; do
	if in_chroot "dpkg-query -W -f='\${Status}' $heavy 2>/dev/null | grep -q 'install ok installed'"; then
		echo "FAIL: make demo installed $heavy, which only make test needs"; exit 1
	fi
done
in_chroot 'ldd /root/guestcheck/build/guestcheck' | grep -q libasan &&
	{ echo "FAIL: make built the runner with ASan: the release build must not link it"; exit 1; }

[ "${FRESH_MAKE_TEST:-1}" = 1 ] || { echo "ok: make demo on a fresh Debian 12"; exit 0; }
echo "== make test TESTS_ONLY=foundation_pass"
start=$SECONDS
set +e
in_chroot 'cd /root/guestcheck && make test TESTS_ONLY=foundation_pass' >"$log/test.log" 2>&1
rc=$?
set -e
echo "   exit $rc after $((SECONDS - start)) s; log $log/test.log"
tail -n 3 "$log/test.log"
[ "$rc" -eq 0 ] || { echo "FAIL: make test did not pass on its first run"; exit 1; }
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log/test.log" | tail -n1)
[[ $summary =~ ^([0-9]+)\ passed,\ 0\ failed ]] && [ "${BASH_REMATCH[1]}" -gt 100 ] ||
	{ echo "FAIL: make test's summary is '$summary': expected the unit tests and foundation_pass to pass"; exit 1; }
echo "ok: make demo and make test on a fresh Debian 12"
