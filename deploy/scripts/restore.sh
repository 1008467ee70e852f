#!/usr/bin/env bash
# Restores a backup made by backup.sh into the store named by HOTLINE_DATABASE_URL. The suite
# must be stopped. Every service comes back to the same moment, so their streams agree.
#   restore.sh SRC
# PostgreSQL: drops and recreates the five schemas from SRC/hotline.dump (as a superuser or
#   the schemas' owner; the objects keep their owners, the service roles of init.sql).
# SQLite: replaces each service's file (and drops its -wal/-shm) under every service's lock.
set -euo pipefail
src=${1:?usage: restore.sh SRC}
url=${HOTLINE_DATABASE_URL:-sqlite:data}
services=(intake dispatch supervision survey kpi)
case "$url" in
sqlite:*)
    dir=${url#sqlite:}; dir=${dir#//}; dir=${dir%%\?*}
    mkdir -p "$dir"
    fd=3
    for s in "${services[@]}"; do
        [ -f "$src/$s.sqlite3" ] || { echo "restore: no $src/$s.sqlite3" >&2; exit 1; }
        eval "exec $fd>\"$dir/$s.lock\""
        flock -n "$fd" || { echo "restore: $s is running on $dir; stop the suite first" >&2; exit 1; }
        fd=$((fd + 1))
    done
    for s in "${services[@]}"; do
        rm -f "$dir/$s.sqlite3-wal" "$dir/$s.sqlite3-shm"
        cp "$src/$s.sqlite3" "$dir/$s.sqlite3.restoring"
        mv "$dir/$s.sqlite3.restoring" "$dir/$s.sqlite3"
    done
    ;;
*)
    [ -f "$src/hotline.dump" ] || { echo "restore: no $src/hotline.dump" >&2; exit 1; }
    pg_restore --dbname="$url" --clean --if-exists --single-transaction --exit-on-error "$src/hotline.dump"
    ;;
esac
echo "restore: $src → $url"
