# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario values and paths go into Incus's raw.qemu (split like a shell by
# go-shellquote) and raw.qemu.conf, into -readconfig files and libvirt XML: each value is
# carried through intact as one word, or refused with one line and exit 2,
# never able to add an option, and a refused export leaves no partial file.
# No guest boots: the files are read back with Python's YAML and shlex (POSIX
# splitting, which agrees with go-shellquote on single quotes).
. "$TESTS_DIR/lib.sh"
export_rc() { # FORMAT SCENARIO DIR: the exit status, output in $TMP/out
	set +e
	"$GUESTCHECK" export "$1" "$2" --accel tcg -o "$3" >"$TMP/out" 2>&1
	RC=$?
	set -e
	cat "$TMP/out"
}
words() { # YAML: raw.qemu's words, one per line
	/usr/bin/python3 - "$1" <<'PY'
import shlex, sys, yaml
for w in shlex.split(yaml.safe_load(open(sys.argv[1]))["config"]["raw.qemu"]):
    print(w)
PY
}

# 1. An append that tries to close its quote and add a device.
inj="x' -device pci-testdev,id=INJECTED -append 'y"
s=$(scenario inj <<INI
[scenario]
name = inj
[machine]
append = $inj
INI
)
export_rc --incus "$s" "$TMP/inj"
[ "$RC" -eq 0 ] || fail "export --incus of a quoting append: exit $RC"
words "$TMP/inj/inj.incus.yaml" >"$TMP/words"
cat "$TMP/words"
[ "$(wc -l <"$TMP/words")" -eq 6 ] || fail "raw.qemu is not six words: the append added some"
[ "$(sed -n 5p "$TMP/words")" = "-append" ] || fail "the fifth word is not -append"
sed -n 6p "$TMP/words" | grep -qF "$inj" || fail "the append did not arrive whole"
grep -qx -- '-device' "$TMP/words" && fail "the append added a -device"

# 2. A results folder with spaces and a quote in its name: one word each.
dir="$TMP/my exports/it's here"
mkdir -p "$dir"
export_rc --incus "$s" "$dir"
[ "$RC" -eq 0 ] || fail "export --incus into a folder with spaces: exit $RC"
words "$dir/inj.incus.yaml" >"$TMP/words"
[ "$(sed -n 4p "$TMP/words")" = "$dir/initrd.img" ] || fail "-initrd is not the folder's initrd.img as one word"

# The libvirt domain of the quoting append and the folder with spaces: valid
# XML, the append one attribute, whole.
export_rc --libvirt "$s" "$dir"
[ "$RC" -eq 0 ] || fail "export --libvirt into a folder with spaces: exit $RC"
virt-xml-validate "$dir/inj.xml" || fail "libvirt rejects the domain of a quoting append"
/usr/bin/python3 - "$dir/inj.xml" "$inj" <<'PY' || fail "the append did not arrive whole in <cmdline>"
import sys, xml.etree.ElementTree as ET
cmd = ET.parse(sys.argv[1]).getroot().find("os/cmdline").text
assert sys.argv[2] in cmd, cmd
PY

# 3. A '"' in the folder: a QEMU config value cannot hold it. Refused, exit 2, nothing left.
dq="$TMP/q\"uote"
for f in --qemu-config --incus; do
	export_rc "$f" "$s" "$dq"
	[ "$RC" -eq 2 ] || fail "export $f into a folder with '\"': expected exit 2, got $RC"
	grep -q "a value with a '\"' or over 1023 bytes cannot be written" "$TMP/out" || fail "export $f: no reason given"
	[ -z "$(ls "$dq" | grep -e '\.cfg' -e '\.yaml')" ] || fail "export $f left a partial file: $(ls "$dq")"
done

# 4. A control byte, and bytes that are not UTF-8, in the kernel command line.
for bad in $'\x01' $'\xff\xfe'; do
	printf '[scenario]\nname = ctl\n[machine]\nappend = quiet%sx\n' "$bad" >"$TMP/ctl.ini"
	for f in --qemu-config --incus --libvirt; do
		export_rc "$f" "$TMP/ctl.ini" "$TMP/ctl"
		[ "$RC" -eq 2 ] || fail "export $f of an append with a control or non-UTF-8 byte: expected exit 2, got $RC"
		grep -q "newline, a control character or bytes that are not UTF-8" "$TMP/out" || fail "export $f: no reason"
		[ -z "$(ls "$TMP/ctl" | grep -e '\.cfg' -e '\.yaml' -e '\.xml')" ] || fail "export $f left a partial file"
	done
done

# (Scenario names are letters, digits, - and _: the scenario parser refuses the rest.)
echo ok
