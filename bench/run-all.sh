#!/usr/bin/env bash
# The benchmark of docs/benchmarks.md against an already seeded PostgreSQL database:
#   DATABASE_URL=postgres://…/tt_bench bash bench/run-all.sh
# Starts the server (WORKERS=2), runs the shift (paced), the peak (ramp) and the ceiling
# (closed vs raw pg), and prints each table. Results go to bench/.data/*.json too.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the seeded database}"
PORT="${BENCH_PORT:-5078}"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is already in use (a server left from an earlier run?): stop it or set BENCH_PORT" >&2
  exit 1
fi
SHIFT_SECONDS="${SHIFT_SECONDS:-180}"
export SESSION_SECRET="${SESSION_SECRET:-bench-secret-bench-secret-bench-secret-00}"
mkdir -p bench/.data
# Autovacuum is off on this machine's PostgreSQL: start from vacuumed, analysed tables, as a
# production database with autovacuum on would be (the seed's 2M rows leave no dead tuples, but
# earlier runs do).
psql "$DATABASE_URL" -qc 'vacuum analyze'
WORKERS="${WORKERS:-2}" PORT=$PORT HOST=127.0.0.1 LOG_LEVEL=warn LOGIN_RATE_LIMIT_PER_MINUTE=100000 DB_POOL_SIZE="${DB_POOL_SIZE:-20}" \
  node --import tsx src/server.ts > bench/.data/server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
load() { node --import tsx bench/load/main.ts --url "http://127.0.0.1:$PORT" "$@"; }
echo "## shift: 200 users paced at 1 action/s for ${SHIFT_SECONDS}s"
load --mode paced --users 200 --rate 1 --seconds "$SHIFT_SECONDS" --warmup 15 --out bench/.data/shift.json
echo "## peak: child scans at a rising arrival rate (limit p99 50 ms)"
load --mode ramp --users 200 --start-rate 150 --step-rate 50 --step-seconds 10 --seconds 120 --warmup 5 --limit-ms 50 --out bench/.data/ramp.json || true
echo "## ceiling: 32 clients back to back, app vs raw pg"
load --mode closed --users 32 --seconds 20 --warmup 5 --out bench/.data/closed.json
node --import tsx bench/raw-baseline.ts --clients 32 --seconds 20
node --import tsx bench/raw-baseline.ts --clients 32 --seconds 20 --coalesce
