#!/usr/bin/env bash
# The back-office with 1,000,000 orders (release build, loopback, bounded): order list pages and searches
# (p50/p99 over sequential requests), a 500-order day's assembly sheets (render time), and guest checkouts'
# p99 against the same shop with an empty database (wrk + order.lua, 16 connections). One JSON line each;
# then the searches are checked against a brute-force answer (bench/search_check.py).
#
#   bench/backoffice.sh                    SQLite
#   bench/backoffice.sh --engine postgres  a throwaway PostgreSQL cluster
#   ORDERS=100000 REQUESTS=50 DURATION=10 bench/backoffice.sh
set -euo pipefail
cd "$(dirname "$0")/.."

engine=sqlite
[ "${1:-}" = "--engine" ] && engine="${2:-sqlite}"
orders=${ORDERS:-1000000}
requests=${REQUESTS:-100}
duration=${DURATION:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bin=${BIN:-.build/release/floodgate}
[ -n "${BIN:-}" ] || swift build -c release --product floodgate >&2

. bench/lib.sh
bench_scratch "$engine" backoffice
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1], isolation_level=None).execute(sys.argv[2]).fetchall(); print("\n".join("|".join(map(str,x)) for x in r))' "$data/floodgate.sqlite" "$1"; }
[ "$engine" = postgres ] && sql() { psql -q -t -A "$PG_URL" -c "$1"; }
cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)

checkout_p99() { # label → JSON line with the checkout figures of a 3 s warm-up then $duration s of wrk
  local product windows line
  product=$(sql "SELECT MIN(id) FROM products WHERE available = 1 AND store_id = 1")
  windows=$(bench_windows " ")
  wrk -t2 -c16 -d3s -s bench/order.lua "http://127.0.0.1:$port/api/v1/stores/petals/orders" -- "$product" $windows >/dev/null
  line=$(wrk -t2 -c16 -d"${duration}s" -s bench/order.lua "http://127.0.0.1:$port/api/v1/stores/petals/orders" -- "$product" $windows | sed -n 's/^WRK //p')
  python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print(json.dumps({"bench": "checkout", "database": sys.argv[2], "engine": sys.argv[3], "per_s": round(s["requests"]/s["duration_s"],1), **s, "cpu": sys.argv[4], "cores": 2}))' \
    "$line" "$1" "$engine" "$cpu"
}

# 1. Checkouts on the shop with its demo data only.
bench_serve --data "$data" --database "$database" --role web
sql "UPDATE delivery_windows SET capacity = 10000000" >/dev/null
empty=$(checkout_p99 empty)
echo "$empty"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

# 2. A million orders: two years of tours, and one coming day with exactly 500.
day=$(python3 -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=20))')
start=$(date +%s)
if [ "$engine" = postgres ]; then
  python3 bench/gen_orders.py --csv "$data" --orders "$orders" --day "$day"
  for table in "delivery_windows (id, store_id, date, time_from, time_to, capacity, reserved, held, cutoff, template_id):windows" \
               "orders (id, store_id, token, status, total, currency, window_id, window_date, window_from, window_to, customer_name, customer_phone, customer_email, recipient_name, recipient_phone, recipient_address, card_message, created_at, postcode, zone_id, delivery_fee, status_changed_at):orders" \
               "order_lines (order_id, position, product_id, name, unit_price, quantity, composition, photo):lines" \
               "order_search (store_id, token, order_id):search"; do
    psql -q "$PG_URL" -c "\\copy ${table%%:*} FROM '$data/${table##*:}.csv' WITH (FORMAT csv, NULL '\\N')"
  done
  psql -q "$PG_URL" -c "SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT MAX(id) FROM orders)); SELECT setval(pg_get_serial_sequence('delivery_windows', 'id'), (SELECT MAX(id) FROM delivery_windows))" >/dev/null
  psql -q "$PG_URL" -c "VACUUM ANALYZE" >/dev/null
  # The load wrote gigabytes of WAL: checkpoint it now, or the checkpoint lands in the measured checkouts.
  psql -q "$PG_URL" -c "CHECKPOINT" >/dev/null
else
  python3 bench/gen_orders.py --sqlite "$data/floodgate.sqlite" --orders "$orders" --day "$day"
  sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi
echo "{\"bench\": \"generate\", \"engine\": \"$engine\", \"orders\": $(sql "SELECT COUNT(*) FROM orders"), \"seconds\": $(( $(date +%s) - start ))}"

# 3. The back-office on it.
bench_serve --data "$data" --database "$database" --role web
# The bench signs in with a password alone: a manager, with the store's second factor made optional (builds before
# per-store roles took `--role owner` and no store).
if "$bin" staff --help 2>/dev/null | grep -q second-factor; then
  "$bin" staff second-factor --data "$data" --database "$database" --store petals --required no >/dev/null
  echo "lilac and birch 42" | "$bin" staff add --data "$data" --database "$database" --email bench@example.com --name Bench --store petals --role manager --password-stdin >/dev/null
else
  echo "lilac and birch 42" | "$bin" staff add --data "$data" --database "$database" --email bench@example.com --name Bench --role owner --password-stdin >/dev/null
fi
tour=$(sql "SELECT MIN(id) FROM delivery_windows WHERE date = '$day'")
number=$(sql "SELECT 'PE-' || (MAX(id) - 7777 + 1000) FROM orders")
middle=$(sql "SELECT MAX(id) - 400000 FROM orders")
python3 - "$port" "$requests" "$engine" "$day" "$tour" "$number" "$middle" "$cpu" <<'PY'
import json, statistics, sys, time
sys.path.insert(0, "bench")
from admin_client import AdminClient
port, requests, engine, day, tour, number, middle, cpu = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
admin = AdminClient(port)
def measure(name, path, count=requests):
    admin.get(path)
    times, rows = [], 0
    for _ in range(count):
        t = time.perf_counter()
        r, body = admin.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status == 200, (path, r.status)
        rows = body.count(b"<tr data-status") or body.count(b'data-testid="sheet"')
    times.sort()
    p99 = times[min(len(times) - 1, int(round(len(times) * 0.99)) - 1)]
    print(json.dumps({"bench": name, "engine": engine, "path": path, "requests": count, "rows": rows, "p50_ms": round(statistics.median(times), 1),
                      "p99_ms": round(p99, 1), "max_ms": round(times[-1], 1), "cpu": cpu, "cores": 2}))
base = "/admin/petals/orders"
measure("orders_list", base)
measure("orders_list_deep_page", f"{base}?before={middle}")
measure("orders_by_day", f"{base}?date={day}")
measure("orders_by_tour", f"{base}?tour={tour}")
measure("orders_by_status", f"{base}?status=assembling")
measure("orders_by_status_and_day", f"{base}?status=confirmed&date={day}")
measure("search_number", f"{base}?q={number}")
measure("search_surname", f"{base}?q=sokolova")
measure("search_name_prefix", f"{base}?q=family12")
measure("search_two_words", f"{base}?q=anna+petrov")
measure("search_phone_end", f"{base}?q=45-67")
measure("search_phone_start", f"{base}?q=%2B7+912")
measure("search_nothing_found", f"{base}?q=zzzz")
measure("assembly_sheets_day", f"/admin/petals/days/{day}/sheets", count=max(10, requests // 10))
PY

# The pages measured must also be right: searches against a brute-force answer from the database.
if [ "$engine" = postgres ]; then python3 bench/search_check.py "$port" postgres "$PG_URL"; else python3 bench/search_check.py "$port" sqlite "$data/floodgate.sqlite"; fi

# 4. Checkouts again, with the million orders in.
full=$(checkout_p99 million)
echo "$full"
python3 -c 'import json,sys; e,f=json.loads(sys.argv[1]),json.loads(sys.argv[2]); print(json.dumps({"bench": "checkout_ratio", "engine": e["engine"], "p99_ratio": round(f["p99_ms"]/e["p99_ms"],2), "per_s_ratio": round(f["per_s"]/e["per_s"],2)}))' "$empty" "$full"
