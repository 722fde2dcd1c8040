# The bash completion (host-runner/guestcheck.bash-completion), driven by bash
# itself as readline would: COMP_WORDS set, the function `complete` registered
# for guestcheck called, COMPREPLY read. Its commands are main.c's table, each
# command's options exactly its getopt_long table and option string (a new
# option without a completion fails here), values and scenario files. No guest.
# Also run by debian_package on the file the package installs.
. "$TESTS_DIR/lib.sh"
src=$TESTS_DIR/..
COMPLETION=${COMPLETION:-$src/host-runner/guestcheck.bash-completion}
cli=$src/host-runner/cli

# complete WORD...: what completing the last word (may be empty) offers, sorted, one a line.
complete_words() {
	bash -c '. "$1"; shift
		fn=$(complete -p guestcheck | sed -n "s/.*-F \([^ ]*\) guestcheck$/\1/p")
		[ -n "$fn" ] || { echo "no complete -F for guestcheck" >&2; exit 1; }
		COMP_WORDS=(guestcheck "$@"); COMP_CWORD=$#
		COMP_LINE="guestcheck $*"; COMP_POINT=${#COMP_LINE}
		"$fn" guestcheck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$@" | sed '/^$/d' | LC_ALL=C sort
}
# expect_completion "WANT (space separated)" WORD...
expect_completion() {
	local want=$1 got; shift
	got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
	want=$(printf '%s\n' $want | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] || fail "guestcheck $* <TAB>: offered '$got', expected '$want'"
	echo "ok: guestcheck $* <TAB> -> $got"
}
# The long options of a getopt_long table in FILE, then the short ones of its option string.
long_opts() { grep -o '{ "[a-z-]*", *[a-z]*_argument' "$1" | sed 's/{ "\([a-z-]*\)".*/--\1/'; }
short_opts() {
	grep -o 'getopt_long(argc, argv, "[^"]*"' "$1" | sed 's/.*"\(.*\)"/\1/' | tr -d ':' | fold -w1 |
		sed 's/^/-/'
}
opts_of() { { long_opts "$1"; short_opts "$1"; } | sort -u | tr '\n' ' '; }

[ -r "$COMPLETION" ] || fail "$COMPLETION missing"
commands=$(grep -o '^	{ "[a-z-]*", cmd_' "$cli/main.c" | sed 's/.*"\(.*\)".*/\1/' | tr '\n' ' ')
[ -n "$commands" ] || fail "no command table in $cli/main.c"
expect_completion "$commands --help --version" ""
expect_completion "run" r
expect_completion "qemu-args" q

run=$(opts_of "$cli/run_options.c")
set_only="-j --jobs -S --shard -R --retries"
single=$(printf '%s\n' $run | grep -vxF -f <(printf '%s\n' $set_only) | tr '\n' ' ')
# One format per flag (--lava writes two jobs: two table entries).
formats=$(grep -o '{ "--[a-z-]*", "' "$cli/cmd_export.c" | sed 's/{ "\(--[a-z-]*\)".*/\1/' | sort -u | tr '\n' ' ')
expect_completion "$run" run -
expect_completion "$single" qemu-args -
expect_completion "$formats $single" export -
for c in preflight merge peer check diagnose; do
	expect_completion "$(opts_of "$cli/cmd_$c.c")" "$c" -
done
# Options after others, and after the scenario.
expect_completion "--keep-rundir --kernel" run scenarios/default.ini --accel tcg --ke

# Values.
expect_completion "auto kvm tcg" run --accel ""
expect_completion "tcg" export --libvirt x.ini -a t
expect_completion "down up" peer --inject-direction ""
expect_completion "" run --jobs ""

# Scenario files: *.ini and folders, nothing else; -o takes folders.
mkdir -p "$TMP/w/sub" && touch "$TMP/w/a.ini" "$TMP/w/b.txt" "$TMP/w/sub/c.ini"
cd "$TMP/w"
expect_completion "a.ini sub" run ""
expect_completion "a.ini sub" run -j 2 a.ini ""
expect_completion "sub/c.ini" qemu-args sub/
expect_completion "a.ini sub" check --qga /tmp/s --config ""
expect_completion "sub" run a.ini -o ""
expect_completion "sub" merge ""
expect_completion "a.ini b.txt sub" run --kernel ""
echo "ok: bash completion"
