#!/usr/bin/env bash
# What a flood of sign-ins costs the shop (issue 22): product-page and checkout throughput with no sign-ins,
# and while RATE (default 200) sign-in posts a second arrive with random emails from random client addresses
# (bench/login_flood.py; the shop trusts X-Forwarded-For here, so no per-address limit holds the flood back).
# Rounds interleaved; JSON lines per run and a summary of medians and ratios. Loopback only, bounded in time.
#
#   DURATION=10 ROUNDS=3 RATE=200 bench/login_flood.sh [--engine postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
rate=${RATE:-200}
engine=sqlite
[ "${1:-}" = --engine ] && engine=$2
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

bin=${BIN:-.build/release/floodgate}
[ -n "${BIN:-}" ] || swift build -c release --product floodgate >&2

. bench/lib.sh
bench_scratch "$engine" login-flood
export FLOODGATE_HTTP_TRUST_FORWARDED=${FLOODGATE_HTTP_TRUST_FORWARDED:-127.0.0.1}
bench_serve --data "$data" --database "$database"
sql() { sqlite3 "$data/floodgate.sqlite" "$1"; }
[ "$engine" = postgres ] && sql() { psql -q -t -A "$PG_URL" -c "$1"; }
# Checkouts never run out of places: the benchmark measures taking orders, not refusing them.
sql "UPDATE delivery_windows SET capacity = 10000000" >/dev/null
base="http://127.0.0.1:$port"
ua="Mozilla/5.0 (X11; Linux x86_64) Chrome/120"
product=$(curl -sf "$base/api/v1/stores/petals/products" | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p.get("available")][0])')
windows=$(bench_windows " ")

run() { # what flood
  local flood_pid="" target
  if [ "$2" = flood ]; then
    python3 bench/login_flood.py "$port" "$rate" "$((duration + 2))" >"$data/flood.json" &
    flood_pid=$!
    sleep 1
  fi
  if [ "$1" = product ]; then
    target=(-H "User-Agent: $ua" -s bench/report.lua "$base/s/petals/products/$product")
  else
    target=(-s bench/order.lua "$base/api/v1/stores/petals/orders" -- "$product" $windows)
  fi
  line=$(wrk -t2 -c32 -d"${duration}s" "${target[@]}" | sed -n 's/^WRK //p')
  sender="{}"
  if [ -n "$flood_pid" ]; then wait "$flood_pid"; sender=$(cat "$data/flood.json"); fi
  python3 -c "
import json, sys
d = json.loads(sys.argv[3]) if sys.argv[3] else {}
d.update(bench='login_flood', engine='$engine', what=sys.argv[1], flood=sys.argv[2], sign_ins_per_s=$rate if sys.argv[2] == 'flood' else 0,
         per_s=round(d.get('requests', 0) / d.get('duration_s', 1), 1), sender=json.loads(sys.argv[4]))
print(json.dumps(d))" "$1" "$2" "$line" "$sender"
}

wrk -t2 -c32 -d3s -H "User-Agent: $ua" "$base/s/petals/products/$product" >/dev/null
lines=""
for _ in $(seq 1 "$rounds"); do
  for what in product checkout; do
    lines+=$(run "$what" none)$'\n'
    lines+=$(run "$what" flood)$'\n'
  done
done
printf '%s' "$lines"
printf '%s' "$lines" | python3 -c '
import json, statistics, sys
runs = [json.loads(l) for l in sys.stdin if l.strip()]
out = {"bench": "login_flood_summary", "engine": "'"$engine"'", "sign_ins_per_s": '"$rate"', "rounds": '"$rounds"', "duration_s": '"$duration"'}
for what in ("product", "checkout"):
    med = {f: statistics.median(r["per_s"] for r in runs if r["what"] == what and r["flood"] == f) for f in ("none", "flood")}
    out[what] = {"median_per_s_none": med["none"], "median_per_s_flood": med["flood"], "ratio": round(med["flood"] / med["none"], 3)}
print(json.dumps(out))'
