# Shared by the benchmark scripts; sourced, not run.
#   bench_scratch ENGINE NAME   a scratch data folder ($data) and database ($database, on a throwaway
#                               PostgreSQL cluster for `postgres`), removed with the server on exit
#   bench_serve ARGS…           starts `$bin serve` on a free loopback port ($port, $server_pid) and waits for it
. scripts/lib/postgres.sh

server_pid=""
bench_cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  stop_postgres
  rm -rf "$data"
}

bench_scratch() { # engine, name
  data=$(mktemp -d "/tmp/floodgate-$2.XXXXXX")
  trap bench_cleanup EXIT
  database="sqlite:$data/floodgate.sqlite"
  if [ "$1" = postgres ]; then
    start_postgres ${PG_SETTINGS:-}  # e.g. PG_SETTINGS="synchronous_commit=off" for a what-if
    database="$PG_URL"
  fi
}

bench_serve() { # extra serve arguments
  # The load comes from one address (loopback): per-client limits would measure the limiter, not the shop.
  export FLOODGATE_ADMISSION_CLIENT_RATE="${FLOODGATE_ADMISSION_CLIENT_RATE:-100000}" FLOODGATE_ADMISSION_CLIENT_BURST="${FLOODGATE_ADMISSION_CLIENT_BURST:-1000000}"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" serve --port "$port" "$@" --log-level warning >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}
