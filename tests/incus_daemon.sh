# SPDX-License-Identifier: GPL-2.0-or-later
# The real incusd for a test, started by hand (no systemd here) with all its
# state in a private INCUS_DIR: database, logs, run directory, socket. Sourced
# after tests/lib.sh. incusd_start starts it, with a `dir` storage pool and a
# default profile holding the root disk; it is stopped and its folder removed
# at the test's exit (incusd_stop, through lib.sh's at_exit; also callable
# earlier).

INCUSD=/usr/libexec/incus/incusd
INCUSD_PID=

# incusd_require: incusd and the incus client are installed (make deps).
incusd_require() {
	[ -x "$INCUSD" ] && command -v incus >/dev/null ||
		fail "Incus is not installed: run 'make deps' (incus-base and incus-client from bookworm-backports)"
}

incusd_stop() {
	if [ -n "$INCUSD_PID" ]; then
		# Its containers first: a container's [lxc monitor] outlives incusd,
		# its stop hook waiting for an incusd that is gone.
		kill -0 "$INCUSD_PID" 2>/dev/null && { timeout 60 incus stop --all --force >/dev/null 2>&1 || true; }
		kill "$INCUSD_PID" 2>/dev/null || true
		for _ in $(seq 100); do kill -0 "$INCUSD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$INCUSD_PID" 2>/dev/null || true
		INCUSD_PID=
	fi
	# incusd's own tmpfs mounts (shmounts, guestapi) and a container's
	# rootfs outlive it; innermost first.
	[ -n "${INCUS_DIR:-}" ] || return 0
	awk -v d="$INCUS_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l
	rm -rf --one-file-system "$INCUS_DIR"
}

# incusd_start [PATH-PREFIX]: incusd running, INCUS_DIR exported; PATH-PREFIX
# (a folder and ':') goes first in incusd's PATH.
incusd_start() {
	# A unix socket path holds 108 bytes: keep INCUS_DIR short.
	INCUS_DIR=$(mktemp -d /tmp/gc-incus.XXXXXX)
	export INCUS_DIR
	at_exit incusd_stop
	# Its daily fetch of instance types from images.linuxcontainers.org goes
	# to a closed local port.
	PATH=${1:-}$PATH HTTPS_PROXY=http://127.0.0.1:9 \
		"$INCUSD" --group root --logfile "$INCUS_DIR/incusd.log" >"$INCUS_DIR/incusd.out" 2>&1 &
	INCUSD_PID=$!
	"$INCUSD" waitready --timeout=30 ||
		{ cat "$INCUS_DIR/incusd.out"; fail "incusd did not become ready in 30 s"; }
	incus admin init --preseed <<'EOF' || fail "incus admin init --preseed"
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root: {path: /, pool: default, type: disk}
EOF
}

# incus_busybox_image ALIAS: a container image in Incus from Debian's static
# busybox (a unified tarball: metadata.yaml and rootfs/), made and imported
# in a second; no network, no image server.
incus_busybox_image() {
	local dir=$TMP/busybox-image a
	command -v busybox >/dev/null && busybox --list >/dev/null 2>&1 ||
		fail "no static busybox: apt-get install busybox-static (make deps)"
	rm -rf "$dir"
	mkdir -p "$dir/rootfs/bin" "$dir/rootfs/sbin" "$dir/rootfs/etc" "$dir/rootfs/dev" \
		"$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/tmp" "$dir/rootfs/run" "$dir/rootfs/root"
	cp "$(command -v busybox)" "$dir/rootfs/bin/busybox"
	# One process for the 400 links: one `ln` each took 30 s on a loaded host.
	busybox --list | python3 -c 'import os, sys
for a in sys.stdin.read().split():
    if a != "busybox":
        os.symlink("busybox", sys.argv[1] + "/" + a)' "$dir/rootfs/bin"
	ln -s ../bin/busybox "$dir/rootfs/sbin/init"
	# /dev/shm and /run as a distribution mounts them: tmpfs.
	printf '::sysinit:/bin/mkdir -p /dev/shm\n::sysinit:/bin/mount -t tmpfs tmpfs /dev/shm\n::sysinit:/bin/mount -t tmpfs tmpfs /run\n::respawn:/bin/sleep 86400\n' >"$dir/rootfs/etc/inittab"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/rootfs/etc/passwd"
	cat >"$dir/metadata.yaml" <<EOF
architecture: $(uname -m)
creation_date: $(date +%s)
properties:
  description: busybox $(busybox | head -n1 | cut -d' ' -f2) (guestcheck test)
  os: busybox
EOF
	tar -C "$dir" -cf "$dir.tar" metadata.yaml rootfs
	incus image import "$dir.tar" --alias "$1" >/dev/null || fail "incus image import of the busybox image"
}
