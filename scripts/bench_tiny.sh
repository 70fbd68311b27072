#!/usr/bin/env bash
# Every `make bench-*` at a tiny size (a few thousand rows, seconds each), so that CI fails when a benchmark
# breaks. One throwaway PostgreSQL cluster: migrated once into a template, one copy per benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
pg=$(mktemp -d /tmp/opencpf-bench-tiny-pg.XXXXXX)
var=$(mktemp -d /tmp/opencpf-bench-tiny.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$pg" >/dev/null 2>&1 || true; rm -rf "$pg" "$var"' EXIT
scripts/pg_cluster.sh start "$pg" >/dev/null
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
"$bindir/createdb" -h "$pg" -U postgres template_opencpf
DATABASE_URL="postgres://postgres@/template_opencpf?host=$pg" .venv/bin/python manage.py migrate --no-input -v 0
database() {  # a fresh, migrated database
  "$bindir/createdb" -h "$pg" -U postgres -T template_opencpf "$1"
  echo "postgres://postgres@/$1?host=$pg"
}
unset DATABASE_URL

echo "== bench-credit (tiny)"
DATABASE_URL=$(database credit) make --no-print-directory bench-credit \
  BENCH_CREDIT_ARGS="--holders 3000 --chunk-size 1000"
echo "== bench-deadlines (tiny)"
DATABASE_URL=$(database deadlines) make --no-print-directory bench-deadlines \
  BENCH_DEADLINES_ARGS="--files 5000 --unentered 5"
echo "== bench-search (tiny)"
BENCH_DATABASE_URL=$(database search) make --no-print-directory bench-search \
  BENCH_OFFERS=1500 BENCH_SESSIONS=5000 BENCH_ROUNDS=2
echo "== bench-pages (tiny)"
OPENCPF_VAR_DIR="$var/pages" BENCH_CONNECTIONS=4 make --no-print-directory bench-pages BENCH_DURATION=3s
echo "== bench-peak (tiny)"
OPENCPF_VAR_DIR="$var/peak" DATABASE_URL=$(database peak) make --no-print-directory bench-peak \
  BENCH_PEAK_ARGS="--holders 12 --duration 3 --warm-up 1 --connections 4"
echo "== bench-tiny done in $(( $(date +%s) - started )) s"
