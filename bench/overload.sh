#!/usr/bin/env bash
# Overload benchmark (issue 4): the busy-day mix — 80 % browse, 15 % cart, 5 % checkout, plus 10 % crawler
# traffic on top — offered open-loop at 1×, 2×, 5×, 10× and 20× the measured capacity, by floodgate-load
# (Swift, NIO, HDR histograms; one core). Capacity = the human goodput of a closed loop of 64 connections.
# Prints one JSON line per class and level, a total per level, and a summary with the goals. Latency is
# given twice: as the client saw it (queue included), and as the shop's admin API reports it for the
# level — from admission to answer (`admitted_service_*`), in the queue (`queue_wait_p99_ms`), and from the
# request's head read on the connection to the answer written back (`in_shop_*`). The client's latency runs
# from the request's write to its answer's read; an arrival that finds every connection busy is counted as
# not offered, not queued. The generator shares the cores: `generator_late_*` is how late its own 1 ms tick
# ran, i.e. how long it waits for a core, while answers wait unread in its sockets (a wait the client's
# latency includes).
# Loopback only; every level bounded in time (DURATION s + at most 10 s for answers still out).
#
#   bench/overload.sh                     SQLite
#   bench/overload.sh --engine postgres
#   DURATION=10 LEVELS="1 2 5 10 20" ROUNDS=1 bench/overload.sh
#   CAPACITY=9000 LEVELS=1 bench/overload.sh --engine postgres   one level at a fixed 9,000 human requests/s
#                                        (no capacity run): the quick probe for an A/B of one change
#   MAX_CONNECTIONS=256 bench/overload.sh  the generator's pool for the levels (default 1,024): how deep the
#                                        queue in front of the shop may grow, which the client's latency includes
#   PROXY=haproxy bench/overload.sh       through HAProxy (bench/haproxy.cfg; apt-get install haproxy): at most
#                                        SHOP_MAXCONN (64) requests at the shop, the rest queued there by class
# ROUNDS > 1 runs the whole sequence of levels that many times; the summary then takes each level's median
# goodput over the rounds (these 2 cores are shared and noisy: single 10 s levels of the same run differ by
# ±10 %, and the peak of five noisy levels is biased upwards against any one of them).
set -euo pipefail
cd "$(dirname "$0")/.."

engine=sqlite
[ "${1:-}" = "--engine" ] && engine="${2:-sqlite}"
duration=${DURATION:-10}
levels=${LEVELS:-"1 2 5 10 20"}
rounds=${ROUNDS:-1}

bin=${BIN:-.build/release/floodgate}
load=${LOAD:-.build/release/floodgate-load}
[ -n "${BIN:-}" ] || swift build -c release --product floodgate >&2
[ -n "${LOAD:-}" ] || swift build -c release --product floodgate-load >&2

. bench/lib.sh
bench_scratch "$engine" overload
sql() { sqlite3 "$data/floodgate.sqlite" "$1"; }
[ "$engine" = postgres ] && sql() { psql -q -t -A "$PG_URL" -c "$1"; }

export FLOODGATE_ADMIN_TOKEN=bench-admin-token-0123456789abcdef0123456
# Behind the proxy the shop hears its Floodgate-Shed and its X-Forwarded-For (http.trust.forwarded).
if [ "${PROXY:-}" = haproxy ]; then export FLOODGATE_HTTP_TRUST_FORWARDED=127.0.0.1; fi
bench_serve --data "$data" --database "$database" ${ROLE:+--role "$ROLE"}
gate_stats() { curl -s -H "Authorization: Bearer bench-admin-token-0123456789abcdef0123456" "http://127.0.0.1:$port/api/v1/admin/admission"; }
sql "UPDATE delivery_windows SET capacity = 10000000" >/dev/null
products=$(curl -s "http://127.0.0.1:$port/api/v1/stores/petals/products" | python3 -c 'import json,sys; print(",".join(str(p["id"]) for p in json.load(sys.stdin) if p["available"]))')
windows=$(bench_windows ",")
cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)

# With PROXY=haproxy the load goes through HAProxy (bench/haproxy.cfg): at most SHOP_MAXCONN requests at the
# shop, the rest queued there by class. The shop's own figures are read from the shop as before.
load_port=$port
if [ "${PROXY:-}" = haproxy ]; then
  command -v haproxy >/dev/null || { echo "haproxy is missing: apt-get install haproxy" >&2; exit 1; }
  load_port=$(free_port)
  # Its other settings (SHOP_MAXCONN, ROBOT_MAXCONN, HAPROXY_THREADS, BROWSE_QUEUE_MAX, CART_QUEUE_MAX) are read
  # from the environment, with their defaults in bench/haproxy.cfg.
  FRONT_PORT=$load_port SHOP_PORT=$port haproxy -db -f bench/haproxy.cfg >"$data/haproxy.log" 2>&1 &
  proxy_pid=$!
  trap 'kill $proxy_pid 2>/dev/null; bench_cleanup' EXIT
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$load_port/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$load_port/healthz" >/dev/null || { echo "HAProxy did not start:" >&2; cat "$data/haproxy.log" >&2; exit 1; }
fi

run_load() { "$load" --port "$load_port" --products "$products" --windows "$windows" --duration "$duration" "$@"; }

# Warm-up, then capacity (unless given).
run_load --closed 32 --label warmup >/dev/null
capacity_lines="" capacity=${CAPACITY:-}
if [ -z "$capacity" ]; then
  capacity_lines=$(run_load --closed 64 --label capacity)
  echo "$capacity_lines"
  capacity=$(echo "$capacity_lines" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin if l.strip()]
print(sum(l["goodput_per_s"] for l in lines if l.get("bench") == "overload" and l["class"] != "bot"))')
fi

all_lines="$capacity_lines"
for round in $(seq 1 "$rounds"); do for k in $levels; do
  before=$(sql "SELECT COUNT(*) FROM orders")
  stats_before=$(gate_stats)
  rate=$(python3 -c "print($capacity * $k)")
  lines=$(run_load --rate "$rate" --label "${k}x" ${MAX_CONNECTIONS:+--max-connections "$MAX_CONNECTIONS"})
  sleep 1
  after=$(sql "SELECT COUNT(*) FROM orders")
  stats_after=$(gate_stats)
  # The shop's own view of the level: time from admission to answer, and time in the queue, per class.
  lines=$(echo "$lines" | STATS_BEFORE="$stats_before" STATS_AFTER="$stats_after" python3 -c "
import json, os, sys
before, after = json.loads(os.environ['STATS_BEFORE']), json.loads(os.environ['STATS_AFTER'])
a, b = dict(before['gate'], inShop=before['inShop']), dict(after['gate'], inShop=after['inShop'])
def pct(kind, cls, p):
    counts = [y - x for x, y in zip(a[kind][cls]['counts'], b[kind][cls]['counts'])]
    per_octave = b[kind][cls]['bucketsPerOctave']
    total, seen = sum(counts), 0
    for i, c in enumerate(counts):
        seen += c
        if total and seen >= max(1, -(-total * p // 100)): return round(2 ** ((i + 1) / per_octave) / 1000, 2)
    return None
for l in sys.stdin:
    d = json.loads(l); d['multiple'] = $k; d['round'] = $round; d['engine'] = '$engine'; d['max_connections'] = ${MAX_CONNECTIONS:-1024}
    d['proxy'] = '${PROXY:-none}'
    if d['bench'] == 'overload_total': d['orders_stored'] = $after - $before
    if d['bench'] == 'overload':
        d['admitted_service_p50_ms'] = pct('service', d['class'], 50)
        d['admitted_service_p99_ms'] = pct('service', d['class'], 99)
        d['queue_wait_p99_ms'] = pct('wait', d['class'], 99)
        d['in_shop_p50_ms'] = pct('inShop', d['class'], 50)
        d['in_shop_p99_ms'] = pct('inShop', d['class'], 99)
    print(json.dumps(d, sort_keys=True))")
  echo "$lines"
  all_lines="$all_lines"$'\n'"$lines"
done; done

echo "$all_lines" | python3 -c "
import json, statistics, sys
lines = [json.loads(l) for l in sys.stdin if l.strip()]
levels = [l for l in lines if l.get('multiple')]
rounds = {}  # (multiple, round) -> human goodput
for l in levels:
    if l['bench'] == 'overload' and l['class'] != 'bot':
        key = (l['multiple'], l['round'])
        rounds[key] = rounds.get(key, 0) + l['goodput_per_s']
multiples = sorted({m for m, _ in rounds})
human = {m: statistics.median(g for (k, _), g in rounds.items() if k == m) for m in multiples}
peak = max(human.values())
per_round = {r: round(rounds.get((20, r), 0) / max(g for (m, q), g in rounds.items() if q == r), 3) for r in sorted({r for _, r in rounds})}
checkout = [l for l in levels if l['bench'] == 'overload' and l['class'] == 'checkout']
totals = [l for l in levels if l['bench'] == 'overload_total']
odd = sum(n for l in levels if l['bench'] == 'overload' for s, n in l['statuses'].items() if not (200 <= int(s) < 400 or s in ('429', '503')))
summary = {
    'bench': 'overload_summary', 'engine': '$engine', 'capacity_per_s': $capacity, 'max_connections': ${MAX_CONNECTIONS:-1024}, 'proxy': '${PROXY:-none}', 'duration_s': $duration, 'rounds': $rounds, 'cpu': '$cpu', 'cores': 2,
    'human_goodput_per_s': human, 'peak_goodput_per_s': peak, 'goodput_20x_over_peak': round(human[20] / peak, 3) if peak and 20 in human else None,
    'goodput_20x_over_peak_per_round': per_round if 20 in multiples else None,
    'achieved_offered_per_s': {m: statistics.median(l['achieved_offered_per_s'] for l in totals if l['multiple'] == m) for m in multiples},
    'checkout_success_min': min(l['success_ratio'] for l in checkout), 'checkout_p99_ms_max': max(l['p99_ms'] for l in checkout),
    'checkout_admitted_service_p99_ms_max': max(l['admitted_service_p99_ms'] or 0 for l in checkout),
    'checkout_in_shop_p99_ms_max': max(l['in_shop_p99_ms'] or 0 for l in checkout),
    'generator_late_p99_ms_max': max(l.get('generator_late_p99_ms') or 0 for l in totals),
    'answers_outside_2xx_3xx_429_503': odd, 'unanswered': sum(l['unanswered'] for l in totals),
    'orders_lost': sum(l['orders_acknowledged'] - l['orders_stored'] for l in totals if l['orders_acknowledged'] > l['orders_stored']),
}
print(json.dumps(summary, sort_keys=True))
"
