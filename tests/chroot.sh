# SPDX-License-Identifier: GPL-2.0-or-later
# A fresh Debian 12 in a chroot, for the tests that prove a first install
# (tests/beside/: fresh-machine.sh, debian-package.sh). Sourced by bash, after setting
# CHROOT_ROOT (the tree, made and removed here) and CHROOT_LOG (a folder).
#
# debootstrap's result, pristine, is kept for a week outside the clone (CI
# clones afresh each time): unpacking it takes seconds, making it minutes. The
# chroot's apt sources are the host's Debian mirror with a Debian 12
# installation's suites. A chroot never boots its own kernel: update-initramfs
# is diverted (the host's initrd for it would only cost minutes; guests boot
# /boot/vmlinuz with guestcheck's own image).

chroot_mounts=()

# chroot_mount TYPE|--bind SRC DEST-IN-ROOT [OPTIONS]: mounted, and unmounted at the end.
chroot_mount() {
	mkdir -p "$CHROOT_ROOT/$3"
	if [ "$1" = --bind ]; then
		mount --bind "$2" "$CHROOT_ROOT/$3"
		[ -z "${4:-}" ] || mount -o "remount,bind,$4" "$CHROOT_ROOT/$3"
	else
		mount -t "$1" "$2" "$CHROOT_ROOT/$3"
	fi
	chroot_mounts+=("$3")
}

chroot_unmount_all() {
	local m pid i
	# Whatever the chroot started (QEMU, make, apt) goes first, then the mounts, innermost first.
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$CHROOT_ROOT" ] && kill -9 "$pid" 2>/dev/null
	done
	for ((i = ${#chroot_mounts[@]} - 1; i >= 0; i--)); do
		m=$CHROOT_ROOT/${chroot_mounts[i]}
		mountpoint -q "$m" 2>/dev/null && umount -l "$m"
	done
	return 0
}

chroot_remove() {
	chroot_unmount_all
	# Never follow a mount out of the chroot into the host's files.
	if findmnt -rn -o TARGET | grep -q "^$CHROOT_ROOT/"; then
		echo "chroot: $CHROOT_ROOT still has mounts: not removing it" >&2
		return 1
	fi
	rm -rf --one-file-system "$CHROOT_ROOT"
}

# chroot_create APT_CACHE: a fresh Debian 12 minbase at CHROOT_ROOT, with /proc,
# /sys, /dev mounted. APT_CACHE "bind": the host's apt download cache is the
# chroot's (bind-mounted); "link": the chroot gets its own, hard links to the
# host's .debs (apt's lock on a shared cache folder would make two chroots'
# apt-get at once refuse each other); chroot_cache_back returns new ones.
chroot_create() {
	local cache=${XDG_CACHE_HOME:-$HOME/.cache}/guestcheck-tests/bookworm-minbase.tar start=$SECONDS
	chroot_remove
	mkdir -p "$CHROOT_ROOT" "$CHROOT_LOG"
	chroot_mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*debian\)\/*$/\1/p' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	chroot_mirror=${chroot_mirror:-http://deb.debian.org/debian}
	if [ -n "$(find "$cache" -mtime -7 2>/dev/null)" ]; then
		echo "== Debian 12 minbase from $cache (debootstrap --variant=minbase, $(date -r "$cache" +%F))"
		tar -C "$CHROOT_ROOT" -xf "$cache"
	else
		echo "== debootstrap --variant=minbase bookworm ($chroot_mirror)"
		debootstrap --variant=minbase --cache-dir=/var/cache/apt/archives bookworm "$CHROOT_ROOT" \
			"$chroot_mirror" >"$CHROOT_LOG/debootstrap.log" 2>&1 ||
			{ tail -n 20 "$CHROOT_LOG/debootstrap.log"; return 1; }
		mkdir -p "$(dirname "$cache")"
		tar -C "$CHROOT_ROOT" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
	fi
	echo "   $((SECONDS - start)) s"
	# A Debian 12 installation's own sources: the release, its updates and security.
	rm -f "$CHROOT_ROOT/etc/apt/sources.list"
	cat >"$CHROOT_ROOT/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $chroot_mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${chroot_mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
	cp /etc/resolv.conf "$CHROOT_ROOT/etc/resolv.conf"
	chroot_mount proc proc proc
	chroot_mount sysfs sys sys
	chroot_mount --bind /dev dev
	chroot_mount --bind /dev/pts dev/pts
	case $1 in
	bind) chroot_mount --bind /var/cache/apt/archives var/cache/apt/archives ;;
	link) find /var/cache/apt/archives -maxdepth 1 -name "*.deb" -exec cp -n -l -t \
		"$CHROOT_ROOT/var/cache/apt/archives" {} + ;;
	esac
	in_chroot 'dpkg-divert --local --rename --add /usr/sbin/update-initramfs >/dev/null &&
		ln -s /bin/true /usr/sbin/update-initramfs'
}

# chroot_cache_back: the .debs the chroot downloaded, linked into the host's cache.
chroot_cache_back() {
	find "$CHROOT_ROOT/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -links 1 \
		-exec cp -n -l -t /var/cache/apt/archives {} + 2>/dev/null || true
}

in_chroot() {
	chroot "$CHROOT_ROOT" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 /bin/bash -c "$1"
}
