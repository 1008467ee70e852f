#!/usr/bin/env bash
# Installs what this project needs and the machine lacks: the Swift toolchain is expected at
# /opt/swift (or on PATH); the C libraries and PostgreSQL come from Debian's packages.
set -euo pipefail
need=()
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
[ -f /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v curl >/dev/null || need+=(curl)
# Headless Chromium renders the KPI dashboard in its end-to-end test.
command -v chromium >/dev/null || need+=(chromium)
# promtool (Prometheus's) checks every service's /metrics in a test.
command -v promtool >/dev/null || need+=(prometheus)
# The deployment files' check: PyYAML parses the manifests, systemd-analyze verifies the units.
python3 -c "import yaml" 2>/dev/null || need+=(python3-yaml)
command -v systemd-analyze >/dev/null || need+=(systemd)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v swift >/dev/null; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        echo "export PATH=/opt/swift/usr/bin:\$PATH" >&2
    else
        echo "setup: no Swift toolchain found; install Swift 6 at /opt/swift" >&2
        exit 1
    fi
fi
# Real Open311 GeoReport v2 clients for the interoperability test: two on Python 3, and two
# that run only on Python 2.7 (installed where a 2.7 interpreter exists, e.g. pyenv's).
if ! python3 -c "import georeport, civicbot" 2>/dev/null; then
    python3 -c "import requests, xmltodict" 2>/dev/null || pip install -q requests xmltodict
    pip install -q --no-deps georeport==0.3.1 civicbot==0.4.0
fi
for py2 in "${HOTLINE_PYTHON2:-}" "$HOME"/.pyenv/versions/2.7*/bin/python /usr/bin/python2.7; do
    [ -n "$py2" ] && [ -x "$py2" ] || continue
    "$py2" -c "import open311, three" 2>/dev/null && break
    "$py2" -m pip install -q --disable-pip-version-check "requests==2.27.1" simplejson relaxml "three==0.8.0" "open311==1.1" \
        2>&1 | grep -v DEPRECATION >&2 || true
    break
done
