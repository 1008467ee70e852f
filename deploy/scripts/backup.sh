#!/usr/bin/env bash
# Backs up every service's store into DEST (a new directory).
#   backup.sh DEST            the store named by HOTLINE_DATABASE_URL [sqlite:data]
# PostgreSQL: online, one pg_dump of the five schemas in a single snapshot (so the streams the
#   services follow agree with one another), custom format: DEST/hotline.dump. Run it as
#   hotline_ops (deploy/postgres/init.sql), which reads everything and writes nothing.
# SQLite: the suite must be stopped (each file is its own database, and separate files cannot
#   be copied at one instant while written): the script takes every service's lock, so none can
#   start meanwhile, copies each file with SQLite's backup API and checks the copy's integrity.
set -euo pipefail
dest=${1:?usage: backup.sh DEST}
url=${HOTLINE_DATABASE_URL:-sqlite:data}
services=(intake dispatch supervision survey kpi)
[ -e "$dest" ] && { echo "backup: $dest exists; give a new directory" >&2; exit 2; }
mkdir -p "$dest"
case "$url" in
sqlite:*)
    dir=${url#sqlite:}; dir=${dir#//}; dir=${dir%%\?*}
    fd=3
    for s in "${services[@]}"; do
        eval "exec $fd>\"$dir/$s.lock\""
        if ! flock -n "$fd"; then
            echo "backup: $s is running on $dir; stop the suite first (SQLite backups are taken cold)" >&2
            rm -rf "$dest"; exit 1
        fi
        fd=$((fd + 1))
    done
    for s in "${services[@]}"; do
        [ -f "$dir/$s.sqlite3" ] || { echo "backup: no $dir/$s.sqlite3" >&2; rm -rf "$dest"; exit 1; }
        sqlite3 "$dir/$s.sqlite3" ".backup '$dest/$s.sqlite3'"
        [ "$(sqlite3 "$dest/$s.sqlite3" 'PRAGMA integrity_check')" = ok ] || { echo "backup: $s's copy fails its integrity check" >&2; exit 1; }
    done
    ;;
*)
    pg_dump "$url" --format=custom --file="$dest/hotline.dump" $(printf -- '--schema=%s ' "${services[@]}")
    ;;
esac
echo "backup: $url → $dest"
