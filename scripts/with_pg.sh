#!/usr/bin/env bash
# Run a command against PostgreSQL: the database of DATABASE_URL when it is set, else a throwaway cluster
# (scripts/pg_cluster.sh) with an empty `opencpf` database, removed afterwards. The command sees DATABASE_URL.
#   scripts/with_pg.sh .venv/bin/python manage.py migrate
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${DATABASE_URL:-}" ]; then
  exec "$@"
fi
dir=$(mktemp -d /tmp/opencpf-pg.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
DATABASE_URL=$(scripts/pg_cluster.sh start "$dir")
export DATABASE_URL
"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/createdb" -h "$dir" -U postgres opencpf
"$@"
