# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by bench/NAME/run. Every figure a benchmark prints is also kept as
# JSON in $BUILD/bench/NAME.json, so a later run can be compared with this one:
#
#   bench_figure NAME KEY VALUE [UNIT [TARGET]]   one figure (a number)
#   bench_note NAME KEY TEXT                      a string beside them (versions)
#
# The file holds one object: {"bench": NAME, "when": ..., "commit": ...,
# "host": {...}, "figures": {KEY: {"value": V, "unit": U, "target": T}},
# "notes": {KEY: TEXT}}. A figure written twice keeps the last value. The
# first call of a run (BENCH_RUN_ID) starts the file afresh and keeps the
# one before as NAME.previous.json; bench_compare NAME prints each figure
# beside its previous value.

BENCH_OUT=${BENCH_OUT:-${BUILD:-build}/bench}

_bench_py() { /usr/bin/python3 - "$@"; }

# One run: `make bench`'s (bench/run exports it), or this shell's.
BENCH_RUN_ID=${BENCH_RUN_ID:-$$-$(date +%s%N)}

# The file, started afresh when it holds another run's figures.
_bench_file() {
	local file="$BENCH_OUT/$1.json"
	mkdir -p "$BENCH_OUT"
	_bench_py "$file" "$1" "$BENCH_RUN_ID" \
		"$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'PY'
import json, os, sys, time
path, name, run, commit = sys.argv[1:5]
try:
    if json.load(open(path)).get("run") == run:
        sys.exit(0)
    os.replace(path, path[:-len(".json")] + ".previous.json")
except (OSError, ValueError):
    pass
doc = {"bench": name, "run": run, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
       "commit": commit, "host": {"cpus": os.cpu_count(), "kernel": os.uname().release},
       "figures": {}, "notes": {}}
with open(path + ".tmp", "w") as f:
    json.dump(doc, f, indent=1)
os.replace(path + ".tmp", path)
PY
	echo "$file"
}

bench_figure() {
	local file
	file=$(_bench_file "$1") || return 1
	_bench_py "$file" "$2" "$3" "${4:-}" "${5:-}" <<'PY'
import json, os, sys
path, key, value, unit, target = sys.argv[1:6]
doc = json.load(open(path))
doc["figures"][key] = {"value": float(value), "unit": unit, "target": target}
with open(path + ".tmp", "w") as f:
    json.dump(doc, f, indent=1)
os.replace(path + ".tmp", path)
PY
}

bench_note() {
	local file
	file=$(_bench_file "$1") || return 1
	_bench_py "$file" "$2" "$3" <<'PY'
import json, os, sys
path, key, text = sys.argv[1:4]
doc = json.load(open(path))
doc["notes"][key] = text
with open(path + ".tmp", "w") as f:
    json.dump(doc, f, indent=1)
os.replace(path + ".tmp", path)
PY
}

bench_compare() {
	local file="$BENCH_OUT/$1.json"
	[ -f "$file" ] || return 0
	_bench_py "$file" "$BENCH_OUT/$1.previous.json" <<'PY'
import json, sys
now = json.load(open(sys.argv[1]))
try:
    before = json.load(open(sys.argv[2]))
except (OSError, ValueError):
    sys.exit(0)
for key, fig in now["figures"].items():
    old = before["figures"].get(key)
    if old and old["value"]:
        print("  %s: %g %s (previous run %s at %s: %g, %+.0f%%)" % (key, fig["value"], fig["unit"],
              before.get("commit", "?"), before.get("when", "?"), old["value"],
              100 * (fig["value"] - old["value"]) / old["value"]))
PY
}
