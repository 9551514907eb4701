#!/usr/bin/env bash
# Cost per scan (issue 14, SPEC §8): seeds the database if it has no bench users, then prints app
# vs raw vs pgbench (same SQL, minimal write set) throughput and CPU per child scan, and the bar.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_bench bash bench/ceiling.sh [--clients 8,32] [--seconds 15] [--rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database on this host (seeded or empty)}"
export SESSION_SECRET="${SESSION_SECRET:-bench-secret-bench-secret-bench-secret-00}"
exec node --import tsx bench/ceiling.ts "$@"
