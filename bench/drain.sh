#!/usr/bin/env bash
# Outbox drain rate on a release build: a fresh outbox of no-op jobs emptied by the real worker (claim,
# run, complete — each a durable commit). Prints one JSON line per round and batch size.
#
#   bench/drain.sh                      SQLite (the embedded default)
#   bench/drain.sh --engine postgres    a throwaway PostgreSQL cluster
#   JOBS=50000 ROUNDS=3 BATCHES="64 256" bench/drain.sh
set -euo pipefail
cd "$(dirname "$0")/.."

engine=sqlite
[ "${1:-}" = "--engine" ] && engine="${2:-sqlite}"
jobs=${JOBS:-30000}
rounds=${ROUNDS:-3}
batches=${BATCHES:-"16 64 256"}

swift build -c release --product floodgate >&2
bin=.build/release/floodgate
. bench/lib.sh
bench_scratch "$engine" drain

for round in $(seq 1 "$rounds"); do
  for batch in $batches; do
    timeout 300 "$bin" bench-drain --database "$database" --jobs "$jobs" --batch "$batch"
  done
done
