# contrib/ci/'s templates work as written: both parse as YAML, each passes
# its official schema (GitLab's ci.json through gitlab-ci-local, SchemaStore's
# github-workflow through action-validator; npm packages cached by
# setup/ci-validators), the GitLab jobs' `script:` lines run for real (two
# shards of default.ini and zoned-host-aware.ini under TCG, then the merge),
# the GitHub steps run the same commands, and the merged junit.xml reads right
# the way GitLab's importer keys it: each case by (suite, classname, name),
# classname shown as the suite, one case kept per key and status.
. "$TESTS_DIR/lib.sh"
SRC=$(cd "$TESTS_DIR/.." && pwd)
# The lines run in a job folder of their own: the suite's relative paths made absolute.
for v in GUESTCHECK GUESTCHECK_INITRAMFS GUESTCHECK_KERNEL GUESTCHECK_QEMU GUESTCHECK_AGENT; do
	eval "val=\${$v:-}"
	case $val in
	'' | /*) ;;
	*) eval "export $v=\$(realpath \"\$val\")" ;;
	esac
done
GL=$SRC/contrib/ci/gitlab-ci.yml
GH=$SRC/contrib/ci/github-workflow.yml

# 1. YAML (python3-yaml) and the shape the README promises.
python3 - "$GL" "$GH" >"$TMP/lines" <<'PY' || fail "the templates do not parse or lack what the README says"
import sys, yaml
gl, gh = (yaml.safe_load(open(p)) for p in sys.argv[1:3])
shard, report = gl["guestcheck"], gl["guestcheck-report"]
assert isinstance(shard["parallel"], int) and shard["parallel"] >= 2, shard
assert shard["artifacts"]["when"] == "always", "shard artifacts must upload on a FAIL"
assert report["when"] == "always" and report["artifacts"]["when"] == "always", report
assert report["artifacts"]["reports"]["junit"].endswith("/junit.xml"), report
assert gl["variables"]["GUESTCHECK_ACCEL"] == "tcg", gl["variables"]
assert any("make deps && make" in l for l in gl["default"]["before_script"]), gl["default"]
steps = {k: j["steps"] for k, j in gh["jobs"].items()}
for job, ss in steps.items():
    ups = [s for s in ss if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert ups and all(s.get("if") == "always()" for s in ups), f"{job}: uploads must be if: always()"
    assert any("make deps && make" in s.get("run", "") for s in ss), job
assert gh["jobs"]["report"]["if"] == "always()" and gh["jobs"]["report"]["needs"] == "shard"
assert gh["env"]["GUESTCHECK_ACCEL"] == "tcg"
# The commands, one per line: GitLab's, then GitHub's.
for job, tag in (("guestcheck", "gitlab-shard"), ("guestcheck-report", "gitlab-report")):
    for l in gl[job]["script"]:
        print(tag, l)
for job in ("shard", "report"):
    for s in steps[job]:
        for l in s.get("run", "").splitlines():
            if l.startswith("$GUESTCHECK "):
                print("github", l)
PY
cat "$TMP/lines"
[ "$(grep -c '^gitlab-[a-z]* \$GUESTCHECK ' "$TMP/lines")" -eq 2 ] || fail "expected 2 GitLab guestcheck lines"
[ "$(grep -c '^github ' "$TMP/lines")" -eq 2 ] || fail "expected 2 GitHub run lines"

# 2. The schemas: the real validators, or a skip that says why at the end.
schema_skip=
if vdir=$("$SRC/setup/ci-validators" 2>"$TMP/validators.err"); then
	bad=$TMP/bad.yml
	"$vdir/node_modules/.bin/action-validator" "$GH" || fail "action-validator rejects $GH"
	sed 's/runs-on:/runs_on:/' "$GH" >"$bad"
	! "$vdir/node_modules/.bin/action-validator" "$bad" >/dev/null 2>&1 ||
		fail "action-validator accepts a workflow without runs-on: it checks nothing"
	gcl() {
		mkdir -p "$TMP/gcl" && cp "$1" "$TMP/gcl/.gitlab-ci.yml"
		(cd "$TMP/gcl" && git init -q 2>/dev/null; git add -A &&
			git -c user.email=t@t -c user.name=t commit -qm t --allow-empty &&
			node -r "$vdir/set-union.cjs" "$vdir/node_modules/gitlab-ci-local/dist/index.js" \
				--list --json-schema-validation) >"$TMP/gcl.out" 2>&1
	}
	gcl "$GL" || { cat "$TMP/gcl.out"; fail "gitlab-ci-local: $GL fails GitLab's ci.json"; }
	grep -q "json schema validated" "$TMP/gcl.out" || fail "gitlab-ci-local did not validate"
	grep -q 'guestcheck: \[4/4\]' "$TMP/gcl.out" || fail "gitlab-ci-local does not see 4 parallel jobs"
	sed 's/when: always$/when: sometimes/' "$GL" >"$bad"
	! gcl "$bad" || fail "gitlab-ci-local accepts 'when: sometimes': it checks nothing"
else
	schema_skip="schema checks skipped: $(cat "$TMP/validators.err")"
	echo "$schema_skip"
fi

# 3. GitLab's script lines, run as written: each shard job, then the merge
#    job in a folder holding every shard's artifacts.
gitlab_script() { sed -n "s/^gitlab-$1 //p" "$TMP/lines"; }
run_line() { # DIR LINES [VAR=VALUE...]: the job's lines under bash -e, as a runner runs them
	local dir=$1 line=$2
	shift 2
	(cd "$dir" && env GUESTCHECK="$GUESTCHECK" GUESTCHECK_ACCEL=tcg \
		GUESTCHECK_SCENARIOS="$SRC/scenarios/default.ini $SRC/scenarios/zoned-host-aware.ini" \
		"$@" bash -ec "$line")
}
mkdir "$TMP/ci"
for i in 1 2; do
	set +e
	run_line "$TMP/ci" "$(gitlab_script shard)" CI_NODE_INDEX=$i CI_NODE_TOTAL=2 >"$TMP/shard$i.out" 2>&1
	rc=$?
	set -e
	cat "$TMP/shard$i.out"
	[ $rc -eq 0 ] || fail "shard $i/2 exited $rc"
done
[ -f "$TMP/ci/guestcheck-shards/1/results.json" ] && [ -f "$TMP/ci/guestcheck-shards/2/results.json" ] ||
	fail "the shards did not write guestcheck-shards/I"
run_line "$TMP/ci" "$(gitlab_script report)" >"$TMP/merge.out" 2>&1 || { cat "$TMP/merge.out"; fail "merge"; }
cat "$TMP/merge.out"
for f in junit.xml report.html results.json; do
	[ -s "$TMP/ci/guestcheck-report/$f" ] || fail "guestcheck-report/$f missing"
done

# GitHub runs the same commands, ${{ matrix.shard }}/${{ strategy.job-total }} for I/N.
sed -n 's/^github //p' "$TMP/lines" |
	sed 's|\${{ matrix.shard }}/\${{ strategy.job-total }}|$CI_NODE_INDEX/$CI_NODE_TOTAL|; s|\${{ matrix.shard }}|$CI_NODE_INDEX|' >"$TMP/gh.lines"
sed -n 's/^gitlab-[a-z]* \(\$GUESTCHECK \)/\1/p' "$TMP/lines" >"$TMP/gl.lines"
diff "$TMP/gl.lines" "$TMP/gh.lines" || fail "the GitHub workflow runs other commands than the GitLab jobs"

# 4. The merged junit.xml as GitLab reads it.
junit_check() { python3 - "$@" <<'PY'
import sys, collections, xml.etree.ElementTree as ET
path, want = sys.argv[1], sys.argv[2:]
root = ET.parse(path).getroot()
assert root.tag == "testsuites", root.tag
keys, cases = collections.Counter(), 0
for suite in root.findall("testsuite"):
    job = suite.get("name")
    for tc in suite.findall("testcase"):
        cases += 1
        cls, name = tc.get("classname"), tc.get("name")
        assert cls and name, f"{job}: a testcase without classname or name"
        assert cls == f"guestcheck.{job}", f"{job}: classname {cls}: not the job"
        for a in ("file", "line"):
            assert tc.get(a) is None, f"{job}/{name}: a {a} attribute: none is meaningful"
        keys[(cls, name)] += 1
dups = [k for k, n in keys.items() if n > 1]
assert not dups, f"duplicate (classname, name): {dups[:5]}: GitLab keeps one"
assert sorted(s.get("name") for s in root.findall("testsuite")) == sorted(want), \
    [s.get("name") for s in root.findall("testsuite")]
names = collections.defaultdict(set)
for (cls, name) in keys:
    names[name].add(cls)
shared = [n for n, c in names.items() if len(c) > 1]
print(f"{path}: {cases} cases, {len(keys)} distinct (classname, name); "
      f"{len(shared)} check names in more than one job, told apart by classname")
assert len(keys) == cases
PY
}
junit_check "$TMP/ci/guestcheck-report/junit.xml" default zoned-host-aware ||
	fail "the merged junit.xml would lose cases in GitLab"

# A matrix (one scenario on two kernels) named its jobs' cases alike before:
# a copy of shard 1 with its jobs renamed NAME@other stands for the second
# kernel's set; merged with the first, no pair may repeat.
cp -a "$TMP/ci/guestcheck-shards/1" "$TMP/other"
python3 - "$TMP/other" <<'PY'
import json, os, sys
d = sys.argv[1]
r = json.load(open(f"{d}/results.json"))
for j in r["jobs"]:
    os.rename(f"{d}/{os.path.basename(j['dir'])}", f"{d}/{j['name']}@other")
    j["name"] += "@other"
    j["dir"] = f"{d}/{j['name']}"
json.dump(r, open(f"{d}/results.json", "w"))
PY
one=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['jobs'][0]['name'])" "$TMP/ci/guestcheck-shards/1/results.json")
"$GUESTCHECK" merge -o "$TMP/matrix" "$TMP/ci/guestcheck-shards/1" "$TMP/other" >/dev/null ||
	fail "merge of the matrix copy"
junit_check "$TMP/matrix/junit.xml" "$one" "$one@other" ||
	fail "two kernels' jobs of one scenario share (classname, name) pairs"

if [ -n "$schema_skip" ]; then
	skip "$schema_skip (everything else passed)"
fi
echo "ci_templates: ok"
