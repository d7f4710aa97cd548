# shellcheck shell=bash disable=SC2034  # PG_URL and PG_DIR are for the scripts that source this
# Starts a throwaway PostgreSQL cluster on loopback for tests and benchmarks; sourced, not run.
#   start_postgres [extra -c settings…]  sets PG_URL (postgres://postgres@127.0.0.1:PORT/postgres) and PG_DIR
#   stop_postgres                         stops it and removes its files (call it from an EXIT trap)
# As root the server runs as the `postgres` user: Debian's PostgreSQL refuses to run as root.

PG_DIR=""
PG_URL=""
# shellcheck disable=SC2012  # versions are plain numbers
postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }
PG_BIN=$(postgres_bin)

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Looks again when nothing was found: scripts/lib/setup.sh may have just installed it.
have_postgres() { [ -n "$PG_BIN" ] || PG_BIN=$(postgres_bin); [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]; }

start_postgres() {
  PG_DIR=$(mktemp -d /tmp/floodgate-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
  local options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_DIR -c max_connections=300"
  for setting in "$@"; do options="$options -c $setting"; done
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "$options" start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}
