#!/usr/bin/env bash
# Makes sure a PostgreSQL answers at $NAVIGATOR_TEST_POSTGRES_URL and prints the URL to use.
# Order: the one already running; the machine's cluster started again; PostgreSQL installed via
# apt (as root); a throwaway cluster made with initdb in a temp dir (as the postgres user when
# run as root, since initdb refuses root). Exits non-zero, loudly, if none of that works.
set -euo pipefail
URL="${NAVIGATOR_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
PY="${NAVIGATOR_VENV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv}/bin/python"

answers() { "$PY" - "$1" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PYEOF
}

if answers "$URL"; then echo "$URL"; exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  done
  for _ in $(seq 1 20); do answers "$URL" && { echo "$URL"; exit 0; }; sleep 0.5; done
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_postgres: installing PostgreSQL" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ]; then
  echo "ensure_postgres: no PostgreSQL at $URL and none could be installed" >&2; exit 1
fi
DIR="$(mktemp -d /tmp/navigator-pg.XXXXXX)"
PORT=54329
run_as() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$DIR"; su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run_as "'$BIN/initdb' -D '$DIR/data' -U postgres -A trust >/dev/null"
run_as "'$BIN/pg_ctl' -D '$DIR/data' -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1' -l '$DIR/log' -w start >/dev/null"
run_as "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres test"
echo "ensure_postgres: started a throwaway cluster in $DIR on port $PORT" >&2
echo "postgresql://postgres@127.0.0.1:$PORT/test"
