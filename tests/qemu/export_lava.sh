# ci: shared
# `guestcheck export --lava` for every shipped scenario: each job it writes
# passes LAVA's own job schema (Debian 12's lava-common 2023.01, run with
# Debian's /usr/bin/python3), the board job comes only for an aarch64
# scenario, the monitors pattern turns KTAP lines fed in pieces into the
# right LAVA results, the initrd tells the agent to write KTAP to the
# console, and what LAVA cannot express is refused: one line, exit 2.
# Boots nothing: lava_run.sh runs a job for real.
. "$TESTS_DIR/lib.sh"
helper=$TESTS_DIR/qemu/lava_helper.py
/usr/bin/python3 -c 'import lava_common.schemas' 2>/dev/null ||
	skip "no lava_common for /usr/bin/python3: make deps installs lava-common"

# scenario: why it is refused ("" when it exports)
refused() {
	case $1 in
	non-interference-nas) echo "several boots" ;;
	usbnet-hotplug) echo "plug = hot needs QMP" ;;
	usbnet-remap*) echo "needs root on the LAVA worker\|plug = remap needs QMP" ;;
	*) echo "" ;;
	esac
}
jobs=
for ini in "$TESTS_DIR"/../scenarios/*.ini; do
	name=$(basename "$ini" .ini) why=$(refused "$name") dir=$TMP/$name
	RC=0
	"$GUESTCHECK" export --lava "$ini" --accel tcg -o "$dir" >"$TMP/stdout" 2>"$TMP/stderr" || RC=$?
	if [ -n "$why" ]; then
		echo "--- $name refused: $(cat "$TMP/stderr")"
		expect_rc 2
		expect_one_line "$why"
		ls "$dir"/*.lava*.yaml* 2>/dev/null && fail "$name: a refused job left a file"
		continue
	fi
	[ $RC -eq 0 ] || { cat "$TMP/stderr"; fail "$name: export --lava exited $RC"; }
	[ -f "$dir/$name.lava.yaml" ] || fail "$name: no $name.lava.yaml"
	jobs="$jobs $dir/$name.lava.yaml"
	if grep -q "^arch = aarch64" "$ini"; then
		[ -f "$dir/$name.lava-uboot.yaml" ] || fail "$name: aarch64 but no board job"
		grep -q "^device_type: zcu102$" "$dir/$name.lava-uboot.yaml" || fail "$name: board job"
		jobs="$jobs $dir/$name.lava-uboot.yaml"
	else
		[ ! -e "$dir/$name.lava-uboot.yaml" ] || fail "$name: a board job for an x86_64 scenario"
	fi
	# The agent's KTAP goes to the kernel's console, which LAVA reads.
	console=$(sed -n 's/.*console=\([a-zA-Z0-9]*\).*/\1/p' "$dir/$name.lava.yaml" | head -n 1)
	# (agent.ini is the initrd's last, uncompressed cpio member)
	grep -aqx "port = $console" "$dir/initrd.img" ||
		fail "$name: the initrd's agent.ini lacks port = $console"
done
# shellcheck disable=SC2086
/usr/bin/python3 "$helper" validate $jobs || fail "LAVA's schema rejects an exported job"
echo "--- $(echo "$jobs" | wc -w) jobs valid"
/usr/bin/python3 "$helper" pattern "$TMP/default/default.lava.yaml" || fail "monitors pattern"
grep -q "^  no_kvm: true$" "$TMP/default/default.lava.yaml" || fail "the job does not turn KVM off"
grep -q "guestcheck peer --listen 127.0.0.1:47100 --name net0" "$TMP/default/default.lava.yaml" ||
	fail "the usb-net peer's step is not in the job's header"

# A folder LAVA's command line would split: refused, nothing left behind.
RC=0
"$GUESTCHECK" export --lava "$TESTS_DIR/../scenarios/default.ini" --accel tcg \
	-o "$TMP/a b" >"$TMP/stdout" 2>"$TMP/stderr" || RC=$?
cat "$TMP/stderr"
expect_rc 2
expect_one_line "LAVA splits its QEMU command line like a shell"
ls "$TMP/a b/"*.lava* 2>/dev/null && fail "a refused job left a file"
echo "--- refusals: one line, exit 2"
