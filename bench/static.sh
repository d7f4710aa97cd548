#!/usr/bin/env bash
# Product page with the page cache vs nginx serving the same bytes as a static file, same machine, same
# wrk (2 threads, 32 connections, a browser's User-Agent), rounds interleaved. Prints a JSON line per run
# and a summary with the median ratio (goal ≥ 0.5). Loopback only; every run bounded in time.
#
#   DURATION=10 ROUNDS=3 bench/static.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }

bin=${BIN:-.build/release/floodgate}
[ -n "${BIN:-}" ] || swift build -c release --product floodgate >&2

. bench/lib.sh
bench_scratch sqlite static
bench_serve --data "$data" --database "$database"
base="http://127.0.0.1:$port"
product=$(sqlite3 "$data/floodgate.sqlite" "SELECT MIN(id) FROM products WHERE available = 1")
ua="Mozilla/5.0 (X11; Linux x86_64) Chrome/120"
mkdir -p "$data/www/s/petals/products"
curl -sf -A "$ua" "$base/s/petals/products/$product" -o "$data/www/s/petals/products/$product"
chmod -R a+rX "$data/www" && chmod a+x "$data"  # nginx's workers run as nobody

nginx_port=$(free_port)
cat > "$data/nginx.conf" <<CONF
worker_processes 2;
pid $data/nginx.pid;
error_log $data/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $data/www;
  }
}
CONF
nginx -c "$data/nginx.conf" -p "$data"
sleep 0.5
trap 'nginx -c "$data/nginx.conf" -p "$data" -s stop 2>/dev/null; bench_cleanup' EXIT
cmp <(curl -sf "http://127.0.0.1:$nginx_port/s/petals/products/$product") <(curl -sf -A "$ua" "$base/s/petals/products/$product")

run() { # name url
  line=$(wrk -t2 -c32 -d"${duration}s" -H "User-Agent: $ua" -s bench/report.lua "$2" | sed -n 's/^WRK //p')
  python3 -c "import json,sys; d=json.loads(sys.argv[2]); d.update(bench='static_compare', server=sys.argv[1], per_s=round(d['requests']/d['duration_s'],1)); print(json.dumps(d))" "$1" "$line"
}
wrk -t2 -c32 -d3s -H "User-Agent: $ua" "$base/s/petals/products/$product" >/dev/null
lines=""
for _ in $(seq 1 "$rounds"); do
  lines+=$(run nginx "http://127.0.0.1:$nginx_port/s/petals/products/$product")$'\n'
  lines+=$(run floodgate "$base/s/petals/products/$product")$'\n'
done
printf '%s' "$lines"
printf '%s' "$lines" | python3 -c '
import json, statistics, sys
runs = [json.loads(l) for l in sys.stdin if l.strip()]
med = {s: statistics.median(r["per_s"] for r in runs if r["server"] == s) for s in ("nginx", "floodgate")}
print(json.dumps({"bench": "static_compare_summary", "nginx_median_per_s": med["nginx"], "floodgate_median_per_s": med["floodgate"],
                  "ratio": round(med["floodgate"] / med["nginx"], 3), "bytes": '"$(stat -c %s "$data/www/s/petals/products/$product")"'}))'
