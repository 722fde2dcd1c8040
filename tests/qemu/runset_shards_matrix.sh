# Run sets: a folder of scenarios in parallel; --shard I/N splits it
# ci: shared
# deterministically (disjoint, covering) and `merge` joins the shards into one
# junit.xml and report.html; a kernel matrix runs one scenario on two real
# Debian kernels (Linux 6.1 and 6.12), named apart in the results.
. "$TESTS_DIR/lib.sh"
mkdir "$TMP/set"
for name in alpha beta gamma; do
	printf '[scenario]\nname = %s\n[device sd0]\ntype = sd-card\nsize = 16M\n' "$name" >"$TMP/set/$name.ini"
done
printf '[scenario]\nname = gamma\n' >"$TMP/dup.ini"

jobs_of() { python3 -c "import json,sys; print(' '.join(j['name'] for j in json.load(open(sys.argv[1]))['jobs']))" "$1"; }
for i in 1 2; do
	set +e
	"$GUESTCHECK" run "$TMP/set" --accel tcg -j 2 --shard "$i/2" -o "$TMP/shard$i" >"$TMP/out$i" 2>&1
	rc=$?
	set -e
	cat "$TMP/out$i"
	[ $rc -eq 0 ] || fail "shard $i/2 exited $rc"
done
s1=$(jobs_of "$TMP/shard1/results.json"); s2=$(jobs_of "$TMP/shard2/results.json")
echo "shard 1: $s1 | shard 2: $s2"
[ "$(echo $s1 $s2 | tr ' ' '\n' | sort | tr '\n' ' ')" = "alpha beta gamma " ] ||
	fail "the shards do not cover the set exactly once"

mv "$TMP/shard2" "$TMP/moved-shard2"   # artifacts move between CI jobs
"$GUESTCHECK" merge -o "$TMP/merged" "$TMP/shard1" "$TMP/moved-shard2" >"$TMP/merge.out" || fail "merge"
cat "$TMP/merge.out"
python3 - "$TMP/merged" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(f"{sys.argv[1]}/junit.xml").getroot()
suites = sorted(s.get("name") for s in root.findall("testsuite"))
assert suites == ["alpha", "beta", "gamma"], suites
assert root.get("failures") == "0" and root.get("errors") == "0", root.attrib
for s in root.findall("testsuite"):
    props = {p.get("name"): p.get("value") for p in s.find("properties")}
    assert props["attempts"] == "1" and props["flaky"] == "false", props
html = open(f"{sys.argv[1]}/report.html").read()
assert all(f'href="#{n}"' in html for n in ("alpha", "beta", "gamma")), "report.html lacks a job"
PY
set +e; "$GUESTCHECK" run "$TMP/set" "$TMP/dup.ini" --accel tcg -o "$TMP/dup" >"$TMP/dup.out" 2>&1; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "are both named gamma: rename one" "$TMP/dup.out" || fail "duplicate names must be refused before booting"

# The kernel matrix.
k1=${GUESTCHECK_612_KERNEL:?make test unpacks Linux 6.12 for the matrix}
k2=$GUESTCHECK_KERNEL
r1=$(basename "$k1" | sed 's/vmlinuz-//'); r2=$(basename "$k2" | sed 's/vmlinuz-//')
[ "$r1" != "$r2" ] || skip "the matrix kernel is the default kernel"
set +e
XDG_CACHE_HOME=$TMP/cache "$GUESTCHECK" run "$TMP/set/alpha.ini" --kernel "$k1" --kernel "$k2" \
	--accel tcg -j 2 -o "$TMP/matrix" >"$TMP/matrix.out" 2>&1
rc=$?
set -e
cat "$TMP/matrix.out"
[ $rc -eq 0 ] || fail "the kernel matrix exited $rc"
for r in "$r1" "$r2"; do
	python3 -c "import json,sys; k=json.load(open(sys.argv[1]))['ktap']; assert k['guest_kernel']==sys.argv[2], k['guest_kernel']" \
		"$TMP/matrix/alpha@$r/results.json" "$r" || fail "alpha@$r did not run on $r"
done

# What running side by side bought: the matrix's two jobs ran at once, so
# their own seconds add up to more than the set's wall time; the summary line
# and results.json say it by the runner's clocks. A merge has no wall time.
grep -q "^run set: 2 jobs in [0-9]* s wall, [0-9]* s of job time: [0-9.]*x$" "$TMP/matrix.out" ||
	fail "the summary lacks the wall against job time line"
python3 - "$TMP/matrix/results.json" "$TMP/merged/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
total = sum(j["seconds"] for j in r["jobs"])
print("matrix: %.1f s wall, %.1f s of job time: %.2fx" % (r["wall_seconds"], r["job_seconds"], r["speedup"]))
assert abs(r["job_seconds"] - total) < 0.01, (r["job_seconds"], total)
assert r["wall_seconds"] == r["seconds"], r
assert abs(r["speedup"] - total / r["wall_seconds"]) < 0.01, r
assert r["speedup"] > 1.1, "two jobs at -j 2 did not overlap: %.2fx" % r["speedup"]
m = json.load(open(sys.argv[2]))
assert m["wall_seconds"] is None and m["speedup"] is None and m["job_seconds"] > 0, m
PY
grep -q "^run set: 3 jobs, [0-9]* s of job time (wall time not known: merged)$" "$TMP/merge.out" ||
	fail "merge's summary claims a wall time"
