#!/usr/bin/env bash
# Short chaos runs (issue 15), after the tests have built `hotline`: 10 rounds killing the bus
# and services on SQLite, 10 killing `hotline run` itself, and — when a throwaway PostgreSQL
# is given (HOTLINE_TEST_POSTGRES_URL and its data directory HOTLINE_TEST_POSTGRES_DATA) —
# 10 rounds on PostgreSQL with the server restarted (immediate mode) among them. Each run
# compares itself with a fault-free run of the same seed; any FAIL stops CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${HOTLINE_BIN:-.build/debug}
"$bin/hotline" chaos --rounds 10 --mode services
"$bin/hotline" chaos --rounds 10 --mode supervisor --seed 2
if [ -n "${HOTLINE_TEST_POSTGRES_URL:-}" ] && [ -n "${HOTLINE_TEST_POSTGRES_DATA:-}" ]; then
    db="chaos_$$"
    psql "$HOTLINE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db"
    trap 'psql "$HOTLINE_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true' EXIT
    url=${HOTLINE_TEST_POSTGRES_URL/\/hotline\?/\/$db?}
    "$bin/hotline" chaos --rounds 10 --database "$url" --postgres-data "$HOTLINE_TEST_POSTGRES_DATA" --seed 3
fi
