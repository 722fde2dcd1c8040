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
root=$build/fresh-machine/root
log=$build/fresh-machine
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot, mounts)"; exit 77; }
command -v debootstrap >/dev/null || { echo "fresh-machine: debootstrap missing: run 'make deps'"; exit 77; }

mounts=(proc sys dev dev/pts var/cache/apt/archives mnt/src)
unmount_all() {
	local m
	# Whatever the chroot started (QEMU, make) goes first, then the mounts, innermost first.
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null
	done
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		m=$root/${mounts[i]}
		mountpoint -q "$m" 2>/dev/null && umount -l "$m"
	done
	return 0
}
remove_root() {
	unmount_all
	# Never follow a mount out of the chroot into the host's files.
	if findmnt -rn -o TARGET | grep -q "^$root/"; then
		echo "fresh-machine: $root still has mounts: not removing it" >&2
		return 1
	fi
	rm -rf --one-file-system "$root"
}
trap '[ "${FRESH_KEEP:-0}" = 1 ] && unmount_all || remove_root' EXIT

mkdir -p "$log"
remove_root
mkdir -p "$root"
mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
# debootstrap's result, pristine, is kept for a week outside the clone (CI
# clones afresh each time): unpacking it takes seconds, making it minutes.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/guestcheck-tests/bookworm-minbase.tar
start=$SECONDS
if [ -n "$(find "$cache" -mtime -7 2>/dev/null)" ]; then
	echo "== Debian 12 minbase from $cache (debootstrap --variant=minbase, $(date -r "$cache" +%F))"
	tar -C "$root" -xf "$cache"
else
	echo "== debootstrap --variant=minbase bookworm ($mirror)"
	debootstrap --variant=minbase --cache-dir=/var/cache/apt/archives bookworm "$root" "$mirror" \
		>"$log/debootstrap.log" 2>&1 || { tail -n 20 "$log/debootstrap.log"; exit 1; }
	mkdir -p "$(dirname "$cache")"
	tar -C "$root" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
fi
echo "   $((SECONDS - start)) s"
# A Debian 12 installation's own sources: the release, its updates and security.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/mnt/src"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount --bind /var/cache/apt/archives "$root/var/cache/apt/archives"
mount --bind -o ro "$repo" "$root/mnt/src"

in_chroot() { chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	LANG=C.UTF-8 /bin/bash -c "$1"; }

echo "== apt-get install make git; git clone; make demo"
start=$SECONDS
set +e
# A chroot never boots its own kernel: the host's initrd for it would only
# cost minutes (the guests boot /boot/vmlinuz with guestcheck's own image).
in_chroot 'dpkg-divert --local --rename --add /usr/sbin/update-initramfs >/dev/null &&
	ln -s /bin/true /usr/sbin/update-initramfs'
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
