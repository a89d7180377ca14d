#!/bin/sh
# A consistent dump of the Navigator central store (pg_dump's custom format, one snapshot), checked
# readable, and dumps older than NAVIGATOR_BACKUP_KEEP_DAYS removed. Run it daily from a systemd
# timer or cron as a role that may read every table; see deploy/README.md, "Backups".
#
#   deploy/backup.sh [DIRECTORY]        (default /var/backups/navigator)
#
# The database is NAVIGATOR_DATABASE_URL (postgresql://user@host:port/db), as the server reads it;
# a password belongs in ~/.pgpass, not the URL. Prints the dump's path.
set -eu

url="${NAVIGATOR_DATABASE_URL:?set NAVIGATOR_DATABASE_URL to the store (postgresql://...)}"
dir="${1:-/var/backups/navigator}"
keep="${NAVIGATOR_BACKUP_KEEP_DAYS:-14}"

case "$url" in
  postgresql://*|postgres://*) ;;
  *) echo "backup.sh: NAVIGATOR_DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac

umask 077  # the dump holds every client record: readable by its owner only
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$dir/navigator-$stamp.dump"
part="$out.part"

pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$part" "$url"
pg_restore --list "$part" > /dev/null  # a dump that cannot be read back is not a backup
mv "$part" "$out"
find "$dir" -maxdepth 1 -name 'navigator-*.dump' -mtime +"$keep" -delete
echo "$out"
