#!/usr/bin/env bash
# The peer for `hotline bench suite --peer`: django-helpdesk (PyPI) in a virtualenv, on
# SQLite, served by gunicorn on 127.0.0.1 (a worker per core, 4 threads each, keep-alive), an admin
# user, one queue and a REST token. Prints the two arguments for --peer.
#
#   bash deploy/scripts/peer-helpdesk.sh start [DIR] [PORT]   # default /tmp/hotline-peer 18800
#   bash deploy/scripts/peer-helpdesk.sh stop  [DIR]
#
# The comparison is one run: `hotline bench suite --peer "$(bash ... start | tail -1)"`
# drives both with the same load generator, connections and offered rate (see README,
# Benchmarks). Nothing here is part of Hotline; it only gives the ratio a real yardstick.
set -euo pipefail
action=${1:-start}
dir=${2:-/tmp/hotline-peer}
port=${3:-18800}

stop() {
    if [ -f "$dir/gunicorn.pid" ]; then
        kill "$(cat "$dir/gunicorn.pid")" 2>/dev/null || true
        rm -f "$dir/gunicorn.pid"
    fi
}

case "$action" in
stop) stop; exit 0 ;;
start) ;;
*) echo "use: peer-helpdesk.sh start|stop [DIR] [PORT]" >&2; exit 64 ;;
esac

mkdir -p "$dir"
if [ ! -x "$dir/venv/bin/gunicorn" ]; then
    command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-venv; }
    python3 -m venv "$dir/venv" || { apt-get update -qq && apt-get install -y -qq python3-venv && python3 -m venv "$dir/venv"; }
    "$dir/venv/bin/pip" install -q "django-helpdesk==2.6.*" gunicorn >&2
fi

mkdir -p "$dir/site/peersite"
cat > "$dir/site/peersite/__init__.py" <<'EOF'
EOF
cat > "$dir/site/peersite/settings.py" <<EOF
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "hotline-peer-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites", "django.contrib.humanize",
    "rest_framework", "rest_framework.authtoken", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware", "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "peersite.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
              "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                                 "django.contrib.auth.context_processors.auth",
                                                 "django.contrib.messages.context_processors.messages"]}}]
# SQLite with a durable commit per ticket, like Hotline's embedded default (synchronous=FULL).
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "helpdesk.sqlite3",
                         "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", "timeout": 30}}}
SITE_ID = 1
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "/login/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"]}
# No mail goes out from a benchmark.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
HELPDESK_SEND_EMAIL_NOTIFICATIONS = False
# Teams need pinax-teams; the API does not.
HELPDESK_TEAMS_MODE_ENABLED = False
EOF
cat > "$dir/site/peersite/urls.py" <<'EOF'
from django.urls import include, path
urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
EOF
cat > "$dir/site/peersite/wsgi.py" <<'EOF'
import os
from django.core.wsgi import get_wsgi_application
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
application = get_wsgi_application()
EOF
cat > "$dir/site/setup_peer.py" <<'EOF'
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue
user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True})
user.is_staff = user.is_superuser = True
user.save()
Queue.objects.get_or_create(slug="hotline", defaults={"title": "12345 hotline"})
print(Token.objects.get_or_create(user=user)[0].key)
EOF
cd "$dir/site"
"$dir/venv/bin/python" -c "import django, sys; sys.argv=['manage.py','migrate','-v','0']; import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','peersite.settings'); from django.core.management import execute_from_command_line; execute_from_command_line(sys.argv)" >&2
token=$("$dir/venv/bin/python" setup_peer.py)
queue=$("$dir/venv/bin/python" -c "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','peersite.settings'); import django; django.setup(); from helpdesk.models import Queue; print(Queue.objects.get(slug='hotline').id)")
stop
workers=$(nproc)
"$dir/venv/bin/gunicorn" --chdir "$dir/site" --bind "127.0.0.1:$port" --workers "$workers" --worker-class gthread --threads 4 --daemon \
    --pid "$dir/gunicorn.pid" --error-logfile "$dir/gunicorn.log" peersite.wsgi
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/api/" && break
    sleep 0.2
done
echo "django-helpdesk on http://127.0.0.1:$port (queue $queue); for hotline bench suite --peer:" >&2
echo "http://127.0.0.1:$port/api/tickets/?queue=$queue $token"
