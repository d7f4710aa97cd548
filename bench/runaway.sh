#!/usr/bin/env bash
# Storefront isolation from a runaway scheduled task, on a release build: product-page latency (wrk,
# 32 connections) with the `runaway` task paused (A) and running flat out (B), rounds interleaved
# A B A B … so that machine noise hits both alike. Prints one JSON line per round and a summary line with
# the ratio of median p99s (goal ≤ 1.2).
#
#   bench/runaway.sh                      SQLite (the embedded default)
#   bench/runaway.sh --engine postgres
#   DURATION=10 ROUNDS=3 bench/runaway.sh
set -euo pipefail
cd "$(dirname "$0")/.."

engine=sqlite
[ "${1:-}" = "--engine" ] && engine="${2:-sqlite}"
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

swift build -c release --product floodgate >&2
bin=.build/release/floodgate
. bench/lib.sh
bench_scratch "$engine" runaway
export FLOODGATE_FAULTS=runaway-task FLOODGATE_DATABASE_URL="$database" FLOODGATE_DATA="$data"
tasks() { "$bin" tasks "$@" >/dev/null; }
bench_serve
# Orders for the runaway's query to chew on.
for i in $(seq 1 200); do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -H "Idempotency-Key: seed-$i" \
    --data "$(python3 -c "import json,urllib.request as u; b='http://127.0.0.1:$port/api/v1/stores/petals/'; w=json.load(u.urlopen(b+'delivery-windows')); p=json.load(u.urlopen(b+'products')); print(json.dumps({'items':[{'product':p[0]['id'],'quantity':2}],'customer':{'name':'Anna','phone':'+7 495 123-45-67','email':'anna@example.com'},'recipient':{'name':'Olga','phone':'+7 916 555-12-34','address':'Tverskaya 7, Moscow'},'deliveryWindow':w[$i % len(w)]['id'],'cardMessage':''}))")" \
    "http://127.0.0.1:$port/api/v1/stores/petals/orders" || true
done
# Flat out: a run lasts until paused; every query it makes is real work on the same database.
tasks set runaway --schedule "* * * * * *" --timeout-ms 3600000 --max-queries 2000000000
tasks pause runaway --reason "bench: phase A"

product=$(curl -s "http://127.0.0.1:$port/api/v1/stores/petals/products" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
url="http://127.0.0.1:$port/s/petals/products/$product"
cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)
# A browser's User-Agent: without one the shop classes wrk as a robot and the figure would be its refusals.
agent="User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120"
wrk -t2 -c32 -d3s -H "$agent" "$url" >/dev/null

wrk_line() { wrk -t2 -c32 -d"${duration}s" -H "$agent" -s bench/report.lua "$url" | sed -n 's/^WRK //p'; }
emit() { # phase, wrk line, runaway queries during the phase
  python3 -c "import json,sys; s=json.loads(sys.argv[1]); print(json.dumps({'bench':'product_page_runaway','engine':'$engine','phase':'$1','per_s':round(s['requests']/s['duration_s'],1),**s,'runaway_queries':int(sys.argv[2]),'cpu':'$cpu','cores':2}))" "$2" "$3"
}
last_run_queries() {
  "$bin" tasks runs --task runaway --limit 1 --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["queries"] if r else 0)'
}

results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  emit paused "$(wrk_line)" 0 | tee -a "$results"
  tasks resume runaway
  for _ in $(seq 1 50); do
    "$bin" tasks runs --task runaway --limit 1 --json | grep -q '"outcome" : "running"' && break
    sleep 0.1
  done
  line=$(wrk_line)
  # Pausing cancels the run, which then logs how many queries it made meanwhile.
  tasks pause runaway --reason "bench: phase A"
  sleep 1.5
  emit running "$line" "$(last_run_queries)" | tee -a "$results"
done
python3 - "$results" "$engine" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
p99 = {ph: statistics.median(r["p99_ms"] for r in rows if r["phase"] == ph) for ph in ("paused", "running")}
rps = {ph: statistics.median(r["per_s"] for r in rows if r["phase"] == ph) for ph in ("paused", "running")}
print(json.dumps({"bench": "runaway_summary", "engine": sys.argv[2], "median_p99_ms_paused": p99["paused"], "median_p99_ms_running": p99["running"],
                  "p99_ratio": round(p99["running"] / p99["paused"], 2), "median_per_s_paused": rps["paused"], "median_per_s_running": rps["running"]}))
PY
