#!/usr/bin/env bash
# CI smoke for the benchmark harness: seed 20,000 bags into a fresh PostgreSQL database, serve
# it, and run the shift mix for 15 s. Fails on any unexpected error (never on latency: CI
# machines are noisy). Usage: bench/smoke.sh postgres://postgres@127.0.0.1:5432
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-postgres://postgres@127.0.0.1:5432}"
DB="tt_smoke_$(date +%s)_$$"
PORT="${SMOKE_PORT:-5391}"
export DATABASE_URL="$BASE/$DB" SESSION_SECRET="smoke-secret-smoke-secret-smoke-secret" LOG_LEVEL=warn
psql "$BASE/postgres" -qc "create database $DB"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  psql "$BASE/postgres" -qc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
node --import tsx bench/seed.ts --bags 20000 --known bench/.data/smoke-codes.json
PORT=$PORT HOST=127.0.0.1 ADMIN_PASSWORD=smoke-boss-pass-1 LOGIN_RATE_LIMIT_PER_MINUTE=100000 node --import tsx src/server.ts > bench/.data/smoke-server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
node --import tsx bench/load/main.ts --url "http://127.0.0.1:$PORT" --mode paced --users 50 --rate 2 --seconds 15 --known bench/.data/smoke-codes.json
