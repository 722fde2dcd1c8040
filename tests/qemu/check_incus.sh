# `guestcheck check --incus INSTANCE` against the real Incus 6.0 (incusd
# started by hand, tests/incus_daemon.sh). Incus makes no VM on a host
# without /dev/kvm (export_incus_daemon.sh asserts its words), so what runs
# here is everything but a VM:
#   - the refusals, each one line, exit 2 or 3, no results folder, nothing
#     in the guest: the incus client missing, incusd not running, no such
#     instance, a name Incus would not take, a container, a stopped VM (a VM
#     record written into Incus's database by hand: Incus will not create one
#     here, but it reports the record as any stopped VM), incusd stopped;
#   - the transport itself (incus query, incus file push from stdin, incus
#     exec, SIGTERM through incus exec at the timeout) on a busybox container,
#     through GUESTCHECK_TEST_INCUS_CONTAINER, the suite's own switch: the
#     verdicts there are a container's, the path through a VM's incus-agent is
#     not run.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/incus_daemon.sh"
start=$(date +%s)
incusd_require

check() { # check ARGS...: RC, the output in $TMP/stdout and $TMP/stderr
	rm -rf "$TMP/out"
	set +e
	"$GUESTCHECK" check -o "$TMP/out" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	echo "--- guestcheck check $* -> exit $RC"
	cat "$TMP/stdout" "$TMP/stderr"
}
# refused RC LINE ARGS...: exit RC, LINE the whole of stderr, no results folder.
refused() {
	local rc=$1 line=$2
	shift 2
	check "$@"
	expect_rc "$rc"
	expect_one_line "$line"
	[ ! -e "$TMP/out" ] || fail "a refused check made $TMP/out"
}
# guest_tmpfs_clean: no guestcheck.* folder in the container's tmpfs.
guest_tmpfs_clean() {
	local left
	left=$(incus exec gc-c1 -- sh -c 'ls -d /dev/shm/guestcheck.* /run/guestcheck.* 2>/dev/null' || true)
	[ -z "$left" ] || fail "left in the container: $left"
}

# Before any daemon: the client missing, incusd not running.
GUESTCHECK_INCUS=$TMP/no-incus refused 3 \
	"guestcheck: incus instance vm1: the incus client is not installed: apt-get install incus-client (Debian 12: from bookworm-backports), or set GUESTCHECK_INCUS" \
	--incus vm1
INCUS_DIR=$TMP/no-incusd refused 3 \
	"incus instance vm1: The incus daemon doesn't appear to be started (socket path: $TMP/no-incusd/unix.socket): incusd is not running: start it" \
	--incus vm1
refused 2 "guestcheck: --incus 'vm1;id': name an Incus instance as NAME or REMOTE:NAME" --incus 'vm1;id'

incusd_start
incus_busybox_image gc-busybox
incus init -q gc-busybox gc-c1 >/dev/null
incus start gc-c1 || { tail -n 20 "$INCUS_DIR/logs/gc-c1/lxc.log"; fail "the busybox container does not start"; }
incus exec gc-c1 -- true || fail "incus exec into the container"
echo "incusd and a running container in $(($(date +%s) - start)) s"

refused 2 "guestcheck: incus instance gc-nosuch: Failed to fetch instance \"gc-nosuch\" in project \"default\": Instance not found: no such instance: see \`incus list\`" \
	--incus gc-nosuch
refused 2 "guestcheck: incus instance gc-c1 is a container, not a virtual machine: the checks look at a VM's own kernel and devices, and a container has the host's: give --incus a VM (incus launch IMAGE NAME --vm)" \
	--incus gc-c1
guest_tmpfs_clean

# A stopped VM. Incus refuses to create one here ("KVM support is missing"),
# so its record goes into Incus's database by hand, as `incus init --vm`
# would leave it (type 1 is a VM); Incus then reports a stopped VM.
incus admin sql global "INSERT INTO instances (node_id, name, architecture, type, description, project_id, creation_date)
	VALUES (1, 'gc-vm1', (SELECT architecture FROM instances WHERE name = 'gc-c1'), 1, '', 1, '2026-11-30T00:00:00Z')" >/dev/null
incus list -f csv -c nts gc-vm1 | grep -qx 'gc-vm1,VIRTUAL-MACHINE,STOPPED' || fail "Incus does not list gc-vm1 as a stopped VM"
refused 3 "guestcheck: incus instance gc-vm1 is stopped: start it (incus start gc-vm1) and run the check once its agent answers (incus exec gc-vm1 -- true)" \
	--incus gc-vm1

# The transport on the container, through the suite's switch, said on stderr.
export GUESTCHECK_TEST_INCUS_CONTAINER=1
check --incus gc-c1
expect_rc 0
expect_output "a container is taken as a VM, for guestcheck's own tests only"
expect_output "incus exec at incus container gc-c1"
expect_output "to /dev/shm/guestcheck\."
for f in junit.xml results.json results.ktap ktap.log report.html agent.ini; do
	[ -s "$TMP/out/$f" ] || fail "no $f"
done
grep -q '^ok .* agent.config' "$TMP/out/ktap.log" || fail "the agent's own check did not pass in the container"
guest_tmpfs_clean
# A device the container lacks: the checks' own failure, exit 1.
lacking=$(scenario lacking <<'INI'
[scenario]
name = lacking
device_timeout = 1s

[device sd0]
type = sd-card
size = 64M
INI
)
check --incus gc-c1 --config "$lacking" --only devices
expect_rc 1
grep -q '^not ok .* devices.present' "$TMP/out/ktap.log" || fail "devices.present did not fail"
guest_tmpfs_clean
# /dev/shm mounted noexec: the guest refuses to start the agent there
# (incus exec: 126), the folder goes and /run is used.
incus exec gc-c1 -- mount -o remount,noexec /dev/shm
check --incus gc-c1
expect_rc 0
expect_output "to /run/guestcheck\."
guest_tmpfs_clean
incus exec gc-c1 -- mount -o remount,noexec /run
check --incus gc-c1
expect_rc 3
expect_output "no tmpfs in the guest where the agent may run (/dev/shm: the guest would not run the agent there (Permission denied), mounted noexec?; /run: "
guest_tmpfs_clean
incus exec gc-c1 -- mount -o remount,exec /dev/shm
incus exec gc-c1 -- mount -o remount,exec /run
# The run timeout: SIGTERM through incus exec ends the agent in the guest.
# The agent waits up to a minute for a device the container lacks, so the
# run outlasts the 1 s timeout however fast the machine is.
waiting=$(scenario waiting <<'INI'
[scenario]
name = waiting
device_timeout = 60s

[device sd0]
type = sd-card
size = 64M
INI
)
check --incus gc-c1 --config "$waiting" --only devices --timeout 1s
expect_rc 3
expect_output "running the agent in the guest (at most 1 s)"
expect_output "run timeout: the agent did not finish within 1 s in the guest"
incus exec gc-c1 -- ps >"$TMP/ps"
! grep -q guestcheck-agent "$TMP/ps" || { cat "$TMP/ps"; fail "the agent still runs in the container"; }
guest_tmpfs_clean
unset GUESTCHECK_TEST_INCUS_CONTAINER

# incusd stopped under the user's feet.
saved_dir=$INCUS_DIR
incusd_stop
INCUS_DIR=$saved_dir refused 3 \
	"incus instance gc-c1: The incus daemon doesn't appear to be started (socket path: $saved_dir/unix.socket): incusd is not running" \
	--incus gc-c1
echo "check --incus: $(($(date +%s) - start)) s"
