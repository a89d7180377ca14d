#!/bin/sh
# Restore a dump made by deploy/backup.sh into a NEW database, then check it: the schema is at the
# revision this server expects and the change feed's counter is not behind the feed (laptops keep
# their cursors; a counter behind would hand out numbers again). Never restores over a database
# that exists: restore beside it, check, then point NAVIGATOR_DATABASE_URL at the new one.
#
#   deploy/restore.sh DUMP postgresql://user@host:port/NEW_DATABASE
#
# The role in the URL needs CREATEDB (or create the empty database first and pass --into-empty).
set -eu

usage() { echo "usage: restore.sh [--into-empty] DUMP postgresql://user@host:port/NEW_DATABASE" >&2; exit 2; }
into_empty=0
if [ "${1:-}" = "--into-empty" ]; then into_empty=1; shift; fi
[ $# -eq 2 ] || usage
dump="$1"
url="$2"
[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
case "$url" in
  postgresql://*/*|postgres://*/*) ;;
  *) usage ;;
esac
name="${url##*/}"
name="${name%%\?*}"
admin="${url%/*}/postgres"

# psql fills :'name' (quoted) and :"name" (an identifier) in from standard input, never from -c.
exists="$(echo "SELECT count(*) FROM pg_database WHERE datname = :'name';" |
  psql -X -A -t -v ON_ERROR_STOP=1 -d "$admin" -v name="$name")"
if [ "$into_empty" = 1 ]; then
  [ "$exists" = 1 ] || { echo "restore.sh: $name does not exist" >&2; exit 1; }
  tables="$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$url" \
    -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  [ "$tables" = 0 ] || { echo "restore.sh: $name is not empty; refusing to restore over it" >&2; exit 1; }
else
  [ "$exists" = 0 ] || { echo "restore.sh: $name exists; refusing to restore over it" >&2; exit 1; }
  echo 'CREATE DATABASE :"name";' | psql -X -q -v ON_ERROR_STOP=1 -d "$admin" -v name="$name" > /dev/null
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
psql -X -v ON_ERROR_STOP=1 -d "$url" -c "ANALYZE" > /dev/null  # a restore leaves no statistics

# Checks: the counter is at or past the feed's last change, and the schema's revision.
behind="$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$url" \
  -c "SELECT count(*) FROM feed_counter WHERE last_seq < (SELECT coalesce(max(seq), 0) FROM changes)")"
[ "$behind" = 0 ] || { echo "restore.sh: the feed counter is behind the feed" >&2; exit 1; }
revision="$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$url" -c "SELECT version_num FROM alembic_version")"
records="$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$url" -c "SELECT count(*) FROM records")"
echo "restored $dump into $name: schema revision $revision, $records records"
echo "next: NAVIGATOR_DATABASE_URL=$url navigator-server migrate (if this server is newer), then restart"
