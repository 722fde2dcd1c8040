# SPDX-License-Identifier: GPL-2.0-or-later
# The agent runs the areas side by side in a real guest, from the times it
# reports for each check (results.json started_s/ended_s, from its "ran"
# lines): checks of different areas overlapped; the checks of one area ran
# one after another; each CHECK_ALONE check (guestcheck-agent --list says
# which) overlapped no other check; the results are in registry order; and
# the alone usbnet.probe's live lines reached the runner while it probed.
. "$TESTS_DIR/lib.sh"
: "${GUESTCHECK_AGENT:?run through make test}"
"$GUESTCHECK_AGENT" --list | awk '{print $1, ($3 == "alone")}' >"$TMP/registry"
grep -q "usbnet.probe 1" "$TMP/registry" || fail "--list does not mark usbnet.probe alone"
s=$(scenario concurrency <<'INI'
[scenario]
name = concurrency
[machine]
cpus = 1
[device sd0]
type = sd-card
size = 16M
[device zns0]
type = nvme-zns
size = 16M
zone_size = 4M
[device net0]
type = usb-net
netdev = user
probe_duration = 2s
INI
)
run_scenario "$s"
expect_rc 0
expect_output "concurrency: live net0 1s: "
python3 - "$OUT/results.json" "$TMP/registry" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["ktap"]["tests"]
registry = [l.split() for l in open(sys.argv[2])]
alone = {n for n, a in registry if a == "1"}
names = [t["name"] for t in tests]
assert names == [n for n, _ in registry], ("not in registry order", names)
span = {t["name"]: (t["started_s"], t["ended_s"]) for t in tests}
assert all(s is not None and e is not None and s <= e for s, e in span.values()), span
area = lambda n: n.split(".")[0]
overlap = lambda a, b: span[a][0] < span[b][1] and span[b][0] < span[a][1]
pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
         if area(a) != area(b) and overlap(a, b)]
assert pairs, ("no two areas overlapped", span)
for i, a in enumerate(names):
    for b in names[i + 1:]:
        if area(a) == area(b):
            assert span[a][1] <= span[b][0], ("one area overlapped itself", a, b, span[a], span[b])
for a in alone:
    others = [b for b in names if b != a and overlap(a, b)]
    assert not others, ("an alone check overlapped", a, span[a], [(b, span[b]) for b in others])
last = max(e for _, e in span.values())
print("overlapping areas: %d pairs, e.g. %s %s and %s %s; alone %s; checks took %.2f s" %
      (len(pairs), pairs[0][0], span[pairs[0][0]], pairs[0][1], span[pairs[0][1]],
       ", ".join("%s %s" % (a, span[a]) for a in sorted(alone)), last))
PY
