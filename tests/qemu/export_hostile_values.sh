# SPDX-License-Identifier: GPL-2.0-or-later
# ci: shared
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

# 5. LAVA (--lava). The job read back with Debian's PyYAML and checked
# against LAVA's own job schema (lava_common, 2023.01); its QEMU command line
# rebuilt as lava-dispatcher builds it (extra_options and the deploy images'
# image_arg joined with spaces, {kernel} and {initrd} replaced) and split as
# it splits it (pexpect's split_command_line): -append one word, the append
# whole inside it; no option, element or key added; each drive's file= the
# file the scenario named.
lava_ok() { # JOB APPEND [ID=FILE...]
	/usr/bin/python3 - "$@" <<'PY'
import os, sys, yaml
from lava_common.schemas import validate
from pexpect.utils import split_command_line

job_file, append, *drives = sys.argv[1:]
job = yaml.safe_load(open(job_file))
validate(job, strict=True)
assert set(job) == {"device_type", "job_name", "timeouts", "priority", "visibility",
                    "context", "actions"}, sorted(job)
assert [list(a) for a in job["actions"]] == [["deploy"], ["boot"], ["test"]], job["actions"]
ctx, images = job["context"], job["actions"][0]["deploy"]["images"]
assert set(ctx) == {"arch", "no_kvm", "memory", "extra_options"}, sorted(ctx)
assert set(images) == {"kernel", "initrd"}, sorted(images)
extra = ctx["extra_options"]
cmd = " ".join(extra + [images["kernel"]["image_arg"].replace("{kernel}", "/k"),
                        images["initrd"]["image_arg"].replace("{initrd}", "/i")])
words = split_command_line(cmd)
assert words.count("-append") == 1, words
line = words[words.index("-append") + 1]
assert line.endswith(" " + append), (line, append)
# Each option of extra_options splits into its words as written: nothing added.
assert words.count("-device") == sum(o.startswith("-device ") for o in extra), words
assert len(words) == sum(len(o.split(" ")) for o in extra) + 6, (len(words), words)


def qemu_opts(v):  # QEMU's option syntax: ',,' is a comma
    kvs = [kv.replace("\0", ",") for kv in v.replace(",,", "\0").split(",")]
    return dict(kv.split("=", 1) for kv in kvs if "=" in kv)


opts = [qemu_opts(words[i + 1]) for i, w in enumerate(words) if w == "-drive"]
for d in drives:
    ident, path = d.split("=", 1)
    f = [o for o in opts if o.get("id") == ident][0]["file"]
    assert os.path.isabs(f) and os.path.samefile(f, path), (ident, f, path)
print("%s: valid; %d words; -append whole; drives %s" % (job_file, len(words), drives))
PY
}
lava_refused() { # WHY: exit 2, one line saying WHY, no job written
	[ "$RC" -eq 2 ] || fail "export --lava: expected exit 2, got $RC"
	[ "$(wc -l <"$TMP/out")" -eq 1 ] && grep -q -- "$1" "$TMP/out" || fail "export --lava: not one line saying '$1'"
	! ls "$2"/*.lava* 2>/dev/null || fail "export --lava left a job behind"
}
lava_n=0
# Carried: the quoting append, with a comma, a '#' and ': ' (YAML's comment and key marks).
app="x' -device pci-testdev,id=INJECTED -append 'y console=ttyS0,115200 a#b c: d"
printf '[scenario]\nname = lq\n[machine]\nappend = %s\n' "$app" >"$TMP/lq.ini"
export_rc --lava "$TMP/lq.ini" "$TMP/lq"
[ "$RC" -eq 0 ] || fail "export --lava of a quoting append: exit $RC"
lava_ok "$TMP/lq/lq.lava.yaml" "$app" || fail "the quoting append's job"
lava_n=$((lava_n + 1))
# Carried: images named with a comma, through '../' and a symlink, with a
# '#'; the scenario named by a relative path from its own folder (the
# drives' paths must not stay relative to it); a folder with a comma.
mkdir -p "$TMP/li/sub" "$TMP/li/imgs"
truncate -s 64M "$TMP/li/a,b.img" "$TMP/li/imgs/x#y.img"
ln -s ../a,b.img "$TMP/li/sub/link.img"
printf '[scenario]\nname = li\n[device c]\ntype = sd-card\nimage = a,b.img\n[device l]\ntype = sd-card\nimage = sub/../sub/link.img\n[device h]\ntype = sd-card\nimage = imgs/x#y.img\n[device s]\ntype = sd-card\nsize = 64M\n' >"$TMP/li/li.ini"
initramfs=$(realpath "$GUESTCHECK_INITRAMFS")
(cd "$TMP/li" && GUESTCHECK_INITRAMFS=$initramfs "$GUESTCHECK" export --lava li.ini --accel tcg -o "$TMP/o,1" >"$TMP/out" 2>&1) && RC=0 || RC=$?
cat "$TMP/out"
[ "$RC" -eq 0 ] || fail "export --lava of hostile image paths: exit $RC"
lava_ok "$TMP/o,1/li.lava.yaml" "no_timer_check" c="$TMP/li/a,b.img" l="$TMP/li/a,b.img" \
	h="$TMP/li/imgs/x#y.img" s="$TMP/o,1/s.img" || fail "the hostile image paths' job"
grep -qF "url: 'file://$TMP/o,1/initrd.img'" "$TMP/o,1/li.lava.yaml" || fail "the initrd's URL is not the folder's"
lava_n=$((lava_n + 5))
# Refused: what LAVA's shell-split command line or its file:// URLs cannot carry.
for app in '$(touch /tmp/guestcheck-pwned)' 'a "b" c' 'x{initrd}y' $'a\x01b'; do
	printf '[scenario]\nname = la\n[machine]\nappend = %s\n' "$app" >"$TMP/la.ini"
	export_rc --lava "$TMP/la.ini" "$TMP/la"
	lava_refused "LAVA's QEMU command line cannot carry it" "$TMP/la"
	lava_n=$((lava_n + 1))
done
for img in 'my disk.img' '$(id).img' "it's.img" 'back\slash.img'; do
	truncate -s 64M "$TMP/li/$img"
	printf '[scenario]\nname = lb\n[device c]\ntype = sd-card\nimage = %s\n' "$img" >"$TMP/li/lb.ini"
	export_rc --lava "$TMP/li/lb.ini" "$TMP/lb"
	lava_refused "LAVA splits its QEMU command line like a shell" "$TMP/lb"
	lava_n=$((lava_n + 1))
done
for dir in "$TMP/o#2" "$TMP/o?3"; do
	export_rc --lava "$TMP/lq.ini" "$dir"
	lava_refused "cannot be a file:// URL: LAVA would read $TMP/o instead" "$dir"
	lava_n=$((lava_n + 1))
done
for dir in "$TMP/o 4" "$TMP/o'5" "$TMP/o"$'\n'"6"; do
	export_rc --lava "$TMP/lq.ini" "$dir"
	lava_refused "LAVA splits its QEMU command line like a shell" "$dir"
	lava_n=$((lava_n + 1))
done
[ ! -e /tmp/guestcheck-pwned ] || fail "a \$(...) ran"
echo "--- export --lava: $lava_n hostile values, each carried whole or refused"

# (Scenario names are letters, digits, - and _: the scenario parser refuses the rest.)
echo ok
