# Loss located by the counters on each hop, against a truth the test makes:
# an nftables rule in the peer's namespace drops one echo in ten on its way
# out, before the tap. The guest, the tap and the peer all count; the
# finding must say the echoes never left the host (the tap passed fewer
# frames than the peer echoed), not blame QEMU; the upstream stays clean.
. "$TESTS_DIR/lib.sh"
require_taps nft
sc=$(scenario hops <<'INI'
[scenario]
name = hops
device_timeout = 30s
run_timeout = 90s
[device net0]
type = usb-net
netdev = tap
mac = 52:54:00:12:34:70
probe_port = 47123
probe_rate = 500
probe_duration = 4s
max_loss = 50%
INI
)
"$GUESTCHECK" run "$sc" --accel tcg -o "$TMP/out" >"$TMP/stdout" 2>"$TMP/stderr" &
runner=$!
# The peer is the runner's child in a namespace of its own: the rule goes there.
host_ns=$(readlink /proc/self/ns/net) peer=
for _ in $(seq 100); do
	for p in $(pgrep -P "$runner" 2>/dev/null); do
		ns=$(readlink "/proc/$p/ns/net" 2>/dev/null) || continue
		[ "$ns" != "$host_ns" ] && peer=$p
	done
	[ -n "$peer" ] && break
	sleep 0.1
done
[ -n "$peer" ] || { kill "$runner"; fail "no peer in a namespace of its own appeared"; }
nsenter -t "$peer" -n nft add table inet gc
nsenter -t "$peer" -n nft add chain inet gc out '{ type filter hook output priority 0; }'
nsenter -t "$peer" -n nft add rule inet gc out udp sport 47123 numgen random mod 10 0 counter drop
set +e
wait "$runner"
RC=$?
set -e
cat "$TMP/stdout" "$TMP/stderr"
expect_rc 0
expect_output "net0: note: the peer echoed 2000 probes, the guest saw [0-9]* answers, and the tap passed only [0-9]* frames toward the guest (libnl): at least [0-9]* echoes never left the host: they died between the peer and the tap"
python3 - "$TMP/out" <<'PY'
import json, re, sys
b = json.load(open(f"{sys.argv[1]}/usbnet-net0.json"))
g, p = b["guest"], b["peer"]
assert p["received"] == 2000, p          # the upstream is clean
lost = p["echoed"] - g["answered"]
assert 100 <= lost <= 320, (lost, g)     # one in ten of 2000, within 4 sigma
tx = b["tap"]["after"]["tx_packets"] - b["tap"]["before"]["tx_packets"]
assert tx < p["echoed"], (tx, p)          # the tap saw fewer frames than the peer sent
f = [x for x in b["findings"] if "never left the host" in x]
assert f and "not in QEMU" in f[0], b["findings"]
assert not any("died past the tap" in x for x in b["findings"]), b["findings"]
PY
