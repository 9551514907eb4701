#!/usr/bin/env bash
# The 200-scanner shift (issue 14, SPEC §8): seeds the database if it has no bench users, checks
# that this machine is one the bar is judged on, runs paced minutes and prints the verdict.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_bench bash bench/shift.sh [--minutes 3]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database on this host (seeded or empty)}"
export SESSION_SECRET="${SESSION_SECRET:-bench-secret-bench-secret-bench-secret-00}"
exec node --import tsx bench/shift.ts "$@"
