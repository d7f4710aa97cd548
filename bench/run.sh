#!/usr/bin/env bash
# Foundation benchmarks on a release build: product page requests/s (wrk, 32 connections) and durable
# guest checkouts/s through the API (wrk + order.lua, 16 connections) with p50/p99, plus peak RSS.
# Prints one JSON line per measure. Loopback only; every run is bounded in time.
#
#   bench/run.sh                      SQLite (the embedded default)
#   bench/run.sh --engine postgres    a throwaway PostgreSQL cluster
#   DURATION=15 ROUNDS=3 bench/run.sh
#   ROLE=web bench/run.sh             the web server alone (jobs are written but no worker runs them)
#   ONLY=checkout BIN=/path/floodgate bench/run.sh   checkouts only, with another build (an A/B against an older commit)
set -euo pipefail
cd "$(dirname "$0")/.."

engine=sqlite
[ "${1:-}" = "--engine" ] && engine="${2:-sqlite}"
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

bin=${BIN:-.build/release/floodgate}
[ -n "${BIN:-}" ] || swift build -c release --product floodgate >&2

. bench/lib.sh
bench_scratch "$engine" bench
sql() { sqlite3 "$data/floodgate.sqlite" "$1"; }
[ "$engine" = postgres ] && sql() { psql -q -t -A "$PG_URL" -c "$1"; }

# (--role only when asked: builds older than the outbox have no such flag.)
bench_serve --data "$data" --database "$database" ${ROLE:+--role "$ROLE"}

# Room for every order the benchmark will place: no window fills up mid-run.
sql "UPDATE delivery_windows SET capacity = 10000000" >/dev/null
product=$(sql "SELECT MIN(id) FROM products WHERE available = 1 AND store_id = (SELECT id FROM stores WHERE slug = 'petals')")
windows=$(bench_windows " ")
base="http://127.0.0.1:$port"
cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)

emit() { # name, connections, wrk summary json, extra json fields
  python3 - "$@" <<'PY'
import json, os, sys
name, connections, summary, engine, cpu = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
out = {"bench": name, "engine": engine, "label": os.environ.get("LABEL", "current"), "role": os.environ.get("ROLE", "all"), "connections": connections,
       "per_s": round(summary["requests"] / summary["duration_s"], 1), **summary, "cpu": cpu, "cores": 2}
print(json.dumps(out))
PY
}

# Warm up (JIT-free, but caches, connections and the SQLite page cache).
wrk -t2 -c32 -d3s "$base/s/petals/products/$product" >/dev/null

for round in $(seq 1 "$rounds"); do
  [ "${ONLY:-}" = checkout ] && break
  # A browser's User-Agent: without one the shop classes wrk as a robot and the figure would be its refusals.
  line=$(wrk -t2 -c32 -d"${duration}s" -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120" -s bench/report.lua "$base/s/petals/products/$product" | sed -n 's/^WRK //p')
  emit product_page 32 "$line" "$engine" "$cpu"
done

before=$(sql "SELECT COUNT(*) FROM orders")
for round in $(seq 1 "$rounds"); do
  line=$(wrk -t2 -c16 -d"${duration}s" -s bench/order.lua "$base/api/v1/stores/petals/orders" -- "$product" $windows | sed -n 's/^WRK //p')
  emit checkout 16 "$line" "$engine" "$cpu"
done
after=$(sql "SELECT COUNT(*) FROM orders")

rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
python3 -c "import json; print(json.dumps({'bench': 'memory', 'engine': '$engine', 'peak_rss_mb': round($rss_kb / 1024, 1), 'orders_stored': $after - $before}))"
