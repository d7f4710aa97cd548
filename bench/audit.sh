#!/usr/bin/env bash
# What recording staff actions in the audit log costs (release build, loopback, bounded in time):
#   backoffice_action         a tour's capacity changed with the back-office form, then the page it leads to, one
#                             after another (a manager, or an owner on builds before per-store roles)
#   staff_action              price changes through the admin API, one after another (actions/s, p50/p99)
#   checkout                  guest checkouts alone (wrk + order.lua, 16 connections)
#   checkout_with_staff       the same checkouts while staff actions run beside them without pause
#   staff_action_with_checkouts  those staff actions
# One JSON line each, with the build's commit. For an A/B, alternate builds:
#   BIN=/tmp/floodgate-before bench/audit.sh; BIN=/tmp/floodgate-after bench/audit.sh
#   DURATION=10 bench/audit.sh --engine postgres
set -euo pipefail
cd "$(dirname "$0")/.."

engine=sqlite
[ "${1:-}" = "--engine" ] && engine="${2:-sqlite}"
duration=${DURATION:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bin=${BIN:-.build/release/floodgate}
[ -n "${BIN:-}" ] || swift build -c release --product floodgate >&2

. bench/lib.sh
bench_scratch "$engine" audit
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1], isolation_level=None).execute(sys.argv[2]).fetchall(); print("\n".join("|".join(map(str,x)) for x in r))' "$data/floodgate.sqlite" "$1"; }
[ "$engine" = postgres ] && sql() { psql -q -t -A "$PG_URL" -c "$1"; }
token=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
bench_serve --data "$data" --database "$database" --admin-token "$token"
sql "UPDATE delivery_windows SET capacity = 10000000" >/dev/null
product=$(sql "SELECT MIN(id) FROM products WHERE available = 1 AND store_id = 1")
# Staff change another product than the one ordered: the measure is the chain's cost, not a row both touch.
other=$(sql "SELECT MAX(id) FROM products WHERE store_id = 1")
windows=$(bench_windows " ")
build=$("$bin" --version 2>/dev/null || basename "$bin")
tag() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(engine=sys.argv[2], build=sys.argv[3]); print(json.dumps(d))' "$1" "$engine" "$build"; }
checkouts() { # label
  local line
  line=$(wrk -t2 -c16 -d"${duration}s" -s bench/order.lua "http://127.0.0.1:$port/api/v1/stores/petals/orders" -- "$product" $windows | sed -n 's/^WRK //p')
  python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print(json.dumps({"bench": sys.argv[2], "per_s": round(s["requests"]/s["duration_s"],1), **s}))' "$line" "$1"
}

# The bench account signs in with a password alone (see bench/backoffice.sh).
if "$bin" staff --help 2>/dev/null | grep -q second-factor; then
  "$bin" staff second-factor --data "$data" --database "$database" --store petals --required no >/dev/null
  echo "lilac and birch 42" | "$bin" staff add --data "$data" --database "$database" --email bench@example.com --name Bench --store petals --role manager --password-stdin >/dev/null
else
  echo "lilac and birch 42" | "$bin" staff add --data "$data" --database "$database" --email bench@example.com --name Bench --role owner --password-stdin >/dev/null
fi
tour=$(sql "SELECT MAX(id) FROM delivery_windows WHERE store_id = 1")
python3 bench/staff_form.py "$port" "$tour" 2 >/dev/null
tag "$(python3 bench/staff_form.py "$port" "$tour" "$duration")"
python3 bench/staff_actions.py "$port" "$token" "$other" 2 warmup >/dev/null
tag "$(python3 bench/staff_actions.py "$port" "$token" "$other" "$duration")"
wrk -t2 -c16 -d3s -s bench/order.lua "http://127.0.0.1:$port/api/v1/stores/petals/orders" -- "$product" $windows >/dev/null
tag "$(checkouts checkout)"
python3 bench/staff_actions.py "$port" "$token" "$other" "$duration" staff_action_with_checkouts >"$data/staff.json" &
staff_pid=$!
tag "$(checkouts checkout_with_staff)"
wait "$staff_pid"
tag "$(cat "$data/staff.json")"
