# `guestcheck check --libvirt DOMAIN` under the real libvirtd (Debian 12's
# ci: shared
# 9.0, started by hand with its virtlogd when none answers, stopped at exit):
# a transient domain (type='qemu': TCG) boots the Debian 12 test guest from a
# throwaway overlay with libvirt's own guest agent channel; `guestcheck check
# --libvirt` exits 0 with agent.config passing and its reports written, and
# afterwards no guestcheck.* folder is on /dev/shm or /run (asked through
# virsh qemu-agent-command, not through guestcheck).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/qga_guest.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: the domain goes to libvirt's system daemon"
for c in libvirtd virtlogd virsh; do
	command -v $c >/dev/null || skip "no $c: make deps installs libvirt-daemon-system"
done
find_test_guest
# libvirt's QEMU runs as libvirt-qemu and reads the image as the overlay's
# backing file: ~/.cache under a 0700 /root is out of its reach.
setpriv --reuid=libvirt-qemu --regid=libvirt-qemu --clear-groups test -r "$(realpath "$IMAGE")" ||
	skip "libvirt's QEMU (user libvirt-qemu) cannot read $IMAGE (a folder on its path is closed to others): make test-guest builds one in build/guest-images/, or set GUESTCHECK_TEST_GUEST to a copy it can read"
export LIBVIRT_DEFAULT_URI=qemu:///system
DOM=guestcheck-check-$$
daemons=
cleanup() {
	virsh -q destroy "$DOM" >/dev/null 2>&1 || :
	for p in $daemons; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || :; done
}
at_exit cleanup
if ! timeout 10 virsh -q version >/dev/null 2>&1; then
	pidof virtlogd >/dev/null || { virtlogd & daemons="$daemons $!"; }
	libvirtd >"$TMP/libvirtd.log" 2>&1 &
	daemons="$daemons $!"
	libvirtd_answers "$TMP/libvirtd.log"
fi

# libvirt's QEMU runs as libvirt-qemu; no relabelling: the files are made readable.
chmod 711 "$TMP"
qemu-img create -q -f qcow2 -b "$(realpath "$IMAGE")" -F qcow2 "$TMP/overlay.qcow2"
chmod 666 "$TMP/overlay.qcow2"
cat >"$TMP/domain.xml" <<XML
<domain type='qemu'>
  <name>$DOM</name>
  <memory unit='MiB'>768</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <features><acpi/></features>
  <seclabel type='none' model='dac'/>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$TMP/overlay.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <channel type='unix'>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>
    <serial type='file'><source path='$TMP/console.log'/></serial>
  </devices>
</domain>
XML
virsh -q create "$TMP/domain.xml" >/dev/null || fail "virsh create failed"
start=$(date +%s)
for _ in $(seq 120); do
	virsh -q qemu-agent-command "$DOM" --timeout 5 '{"execute":"guest-ping"}' >/dev/null 2>&1 && break
	sleep 2
done
virsh -q qemu-agent-command "$DOM" --timeout 5 '{"execute":"guest-ping"}' >/dev/null ||
	{ tail -n 20 "$TMP/console.log"; fail "the domain's guest agent never answered"; }
echo "the domain's guest agent answered after $(($(date +%s) - start)) s"

set +e
"$GUESTCHECK" check --libvirt "$DOM" -o "$TMP/out" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
cat "$TMP/stdout" "$TMP/stderr"
expect_rc 0
expect_output "at libvirt domain $DOM"
grep -q "^ok [0-9]* agent.config" "$TMP/out/results.ktap" || fail "agent.config did not pass"
for f in junit.xml results.json results.ktap ktap.log report.html; do
	[ -s "$TMP/out/$f" ] || fail "$f missing or empty"
done

# Nothing left, as the guest itself lists it (guest-exec through virsh).
pid=$(virsh -q qemu-agent-command "$DOM" '{"execute":"guest-exec","arguments":{"path":"sh","arg":["-c","ls -d /run/guestcheck.* /dev/shm/guestcheck.* 2>/dev/null; true"],"capture-output":true}}' |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["return"]["pid"])')
for _ in $(seq 50); do
	st=$(virsh -q qemu-agent-command "$DOM" "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":$pid}}")
	python3 -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1])["return"]["exited"] else 1)' "$st" && break
	sleep 0.2
done
left=$(python3 -c 'import base64, json, sys; print(base64.b64decode(json.loads(sys.argv[1])["return"].get("out-data", "")).decode())' "$st")
[ -z "$left" ] || fail "left behind in the guest: $left"
echo "check --libvirt: exit 0 through libvirt's agent channel, nothing left behind"
