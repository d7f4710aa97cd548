#!/usr/bin/env bash
# What PostgreSQL spends on each statement of a checkout: guest checkouts alone (wrk + order.lua, 16
# connections) against a throwaway cluster with pg_stat_statements, then one JSON line per statement with
# its calls, how often it was planned, and the planning and execution time. Shows whether the checkout's
# statements are prepared (planned a few times per connection, not once per order). Loopback only, bounded.
#
#   bench/pg_statements.sh
#   DURATION=8 BIN=/path/floodgate bench/pg_statements.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bin=${BIN:-.build/release/floodgate}
[ -n "${BIN:-}" ] || swift build -c release --product floodgate >&2

PG_SETTINGS="shared_preload_libraries=pg_stat_statements pg_stat_statements.track_planning=on pg_stat_statements.track=all"
. bench/lib.sh
bench_scratch postgres pg-statements
sql() { psql -q -t -A "$PG_URL" -c "$1"; }
bench_serve --data "$data" --database "$database" --role web
sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
sql "UPDATE delivery_windows SET capacity = 10000000" >/dev/null
product=$(sql "SELECT MIN(id) FROM products WHERE available = 1 AND store_id = (SELECT id FROM stores WHERE slug = 'petals')")
windows=$(bench_windows " ")
sql "SELECT pg_stat_statements_reset()" >/dev/null
sql "SELECT pg_stat_reset_shared('wal')" >/dev/null
wrk -t2 -c16 -d"${duration}s" -s bench/order.lua "http://127.0.0.1:$port/api/v1/stores/petals/orders" -- "$product" $windows \
  | sed -n 's/^WRK //p' | python3 -c 'import json, sys; print(json.dumps({"bench": "pg_statements_load", **json.load(sys.stdin)}))'
sql "SELECT json_build_object('bench', 'pg_statements', 'calls', calls, 'plans', plans,
       'plan_ms', round(total_plan_time::numeric, 1), 'exec_ms', round(total_exec_time::numeric, 1),
       'wal_records', wal_records, 'wal_fpi', wal_fpi, 'wal_bytes', wal_bytes,
       'query', left(regexp_replace(query, '\s+', ' ', 'g'), 100))
     FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
     ORDER BY total_plan_time + total_exec_time DESC LIMIT 10"
# The cluster's WAL as a whole: how many flushes the orders shared, and its bytes per order.
sql "SELECT json_build_object('bench', 'pg_statements_wal', 'orders', (SELECT count(*) FROM orders),
       'wal_bytes', wal_bytes, 'wal_records', wal_records, 'wal_fpi', wal_fpi, 'wal_syncs', wal_sync, 'wal_writes', wal_write)
     FROM pg_stat_wal"
