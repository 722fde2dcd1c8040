# `guestcheck export --incus` loaded by the real Incus 6.0 (incus-base and
# incus-client from bookworm-backports, installed by `make deps` through
# setup/install-backports, beside Debian 12's QEMU 7.2). incusd is started by
# hand with all its state in a private INCUS_DIR (tests/incus_daemon.sh). Incus must accept every
# exported key of default, usbnet-hotplug and usbnet-remap-incus-fixed, each
# loaded as its first lines say. Incus compiles raw.qemu.scriptlet with its
# own Starlark: a broken scriptlet must be rejected, or the acceptance means
# nothing. On a host without /dev/kvm Incus refuses to create any VM: the
# test asserts Incus's own words.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/incus_daemon.sh"
start=$(date +%s)
incusd_require
qemu_pkg=$(dpkg-query -W -f='${Version}' qemu-system-x86)
case $qemu_pkg in 1:7.2+*) ;; *) fail "qemu-system-x86 is $qemu_pkg, not Debian 12's 7.2: installing Incus must not replace it" ;; esac
incus_version=$(dpkg-query -W -f='${Version}' incus-base)
echo "incus-base $incus_version, qemu-system-x86 $qemu_pkg"

# What this host lacks for an Incus VM, in Incus 6.0's words: /dev/kvm
# first, then the vhost_vsock module (its agent's channel). Some hosts
# here have neither, some a /dev/kvm (which hangs guests) but no module.
no_vm=
if [ ! -e /dev/kvm ]; then
	no_vm="KVM support is missing (no /dev/kvm)"
elif [ ! -e /dev/vhost-vsock ] && ! modprobe -q vhost_vsock 2>/dev/null; then
	no_vm="vhost_vsock kernel module not loaded"
fi
for s in default usbnet-hotplug usbnet-remap-incus-fixed; do
	"$GUESTCHECK" export --incus "$TESTS_DIR/../scenarios/$s.ini" --accel tcg -o "$TMP/$s" >/dev/null ||
		fail "export --incus $s"
done

# The unpacked QEMU 10.0 first in incusd's PATH (Incus looks qemu-system-x86_64
# up there; without /dev/kvm it stops before it does).
qemu_path=
[ -x "${GUESTCHECK_QEMU_NEW:-}" ] && qemu_path=$(dirname "$GUESTCHECK_QEMU_NEW"):
incusd_start "$qemu_path"
incus version

# Each export as its first lines say: a profile, then the VM on it. Incus
# checks a profile's config with the same per-key validators as an
# instance's (raw.qemu.scriptlet compiled by its Starlark against the
# functions it gives a QEMU scriptlet), and stores it. Without /dev/kvm
# incusd marks its qemu driver not operational when it starts, and refuses
# every VM at creation.
for s in default usbnet-hotplug usbnet-remap-incus-fixed; do
	yaml=$TMP/$s/$s.incus.yaml
	sed -n 's/^#   \(incus .*\)$/\1/p' "$yaml" | sed "s|THIS_FILE|$yaml|; s|NAME|gc-$s|" >"$TMP/$s.steps"
	[ "$(wc -l <"$TMP/$s.steps")" -eq 3 ] || { cat "$yaml"; fail "the $s export does not say how to load it"; }
	head -n 2 "$TMP/$s.steps" >"$TMP/$s.profile"
	sh -e "$TMP/$s.profile" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "Incus rejects the $s export"; }
	incus profile show "guestcheck-$s" >"$TMP/$s.shown"
	python3 - "$yaml" "$TMP/$s.shown" <<'PY' || fail "Incus did not store the $s export as written"
import sys, yaml
want = yaml.safe_load(open(sys.argv[1]))["config"]
got = yaml.safe_load(open(sys.argv[2]))["config"]
assert got == want, (sorted(want), sorted(got))
print(sys.argv[1].rsplit("/", 1)[1], "accepted:", ", ".join(sorted(got)))
PY
	set +e
	sh -e -c "$(tail -n 1 "$TMP/$s.steps")" >"$TMP/init" 2>&1
	RC=$?
	set -e
	cat "$TMP/init"
	if [ -z "$no_vm" ]; then
		[ "$RC" -eq 0 ] || fail "Incus did not create the $s VM on a host with /dev/kvm and vhost_vsock"
		continue
	fi
	[ "$RC" -ne 0 ] || fail "Incus created a VM on a host where $no_vm"
	grep -qxF "Error: Failed creating instance record: Instance type \"virtual-machine\" is not supported on this server: $no_vm" "$TMP/init" ||
		fail "Incus refused the VM for another reason than: $no_vm"
done
[ -z "$no_vm" ] ||
	grep -qF "msg=\"Instance type not operational\" driver=qemu err=\"$no_vm\"" "$INCUS_DIR/incusd.log" ||
	fail "incusd's log does not say why its qemu driver is not operational"
grep -q 'raw.qemu.scriptlet' "$TMP/usbnet-hotplug.shown" || fail "usbnet-hotplug's scriptlet was not loaded"
grep -q 'remap_to_usb_net_fixed("dev-incus_eth0"' "$TMP/usbnet-remap-incus-fixed.shown" ||
	fail "the corrected remap was not loaded"

# What Incus's acceptance is worth. A scriptlet naming a function Incus does
# not give, or a qemu_hook with other arguments than Incus passes, is rejected ...
python3 - "$TMP/usbnet-remap-incus-fixed/usbnet-remap-incus-fixed.incus.yaml" "$TMP" <<'PY'
import sys, yaml
src = yaml.safe_load(open(sys.argv[1]))["config"]["raw.qemu.scriptlet"]
assert src.count("run_qmp(") == 1 and "def qemu_hook(instance, stage):" in src, src
open(sys.argv[2] + "/undefined.star", "w").write(src.replace("run_qmp(", "run_qmpx("))
open(sys.argv[2] + "/arity.star", "w").write(src.replace("def qemu_hook(instance, stage):", "def qemu_hook(instance, stage, when):"))
PY
incus profile create gc-broken >/dev/null
if incus profile set gc-broken raw.qemu.scriptlet="$(cat "$TMP/undefined.star")" 2>"$TMP/err"; then
	fail "Incus accepted a scriptlet that calls an undefined function"
fi
cat "$TMP/err"
grep -q '^Error: qemu:[0-9]*:[0-9]*: undefined: run_qmpx$' "$TMP/err" || fail "Incus rejected the broken scriptlet for another reason"
if incus profile set gc-broken raw.qemu.scriptlet="$(cat "$TMP/arity.star")" 2>"$TMP/err"; then
	fail "Incus accepted a qemu_hook with a third argument"
fi
cat "$TMP/err"
grep -q 'the required function "qemu_hook" defines arguments \["instance" "stage" "when"\] (expected \["instance" "stage"\])' "$TMP/err" ||
	fail "Incus rejected the qemu_hook for another reason"
# ... while raw.qemu and raw.qemu.conf are stored unread (Incus parses them
# when it starts the VM): their proof is the QEMU boot in export_formats.sh.
incus profile set gc-broken raw.qemu.conf='[[[ not a config' ||
	fail "Incus now checks raw.qemu.conf when it is set: say so in the README"

echo "Incus $(incus version | sed -n 's/^Server version: //p') accepted the exports in $(($(date +%s) - start)) s"
