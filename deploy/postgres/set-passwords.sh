#!/usr/bin/env bash
# Sets each Hotline service role's password from the database URL that service is given (the
# compose file's *-database-url secrets: postgresql://ROLE:PASSWORD@HOST:PORT/DB), so one
# secret per role holds it. The postgres image runs it once, at its first start, after
# init.sql (both in /docker-entrypoint-initdb.d). Passwords are URL-safe (make-secrets.py).
set -euo pipefail
shopt -s nullglob
for f in /run/secrets/*-database-url; do
    url=$(cat "$f")
    userinfo=${url#*://}
    userinfo=${userinfo%%@*}
    role=${userinfo%%:*}
    password=${userinfo#*:}
    if [ "$role" = "$userinfo" ] || [ -z "$password" ]; then
        echo "set-passwords: $f names no password" >&2; exit 1
    fi
    case "$role" in
        hotline_intake|hotline_dispatch|hotline_supervision|hotline_survey|hotline_kpi) ;;
        *) echo "set-passwords: $f names $role, not a service role of init.sql" >&2; exit 1 ;;
    esac
    printf '%s\n' "ALTER ROLE :\"role\" PASSWORD :'password';" |
        psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
            -v role="$role" -v password="$password"
    echo "set-passwords: $role"
done
