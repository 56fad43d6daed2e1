"""Settings shared by every environment.

A node keeps everything under one data directory (`AYLLU_DATA_DIR`): the SQLite database, the node's
signing key (mode 0600) and a cache of its sessions (`cache/`: the database holds them all, so it may be
deleted). `AYLLU_DATABASE_URL` switches to PostgreSQL for large installs.
"""

import ipaddress
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("AYLLU_DATA_DIR", "var/dev")).resolve()

SECRET_KEY = os.environ.get("AYLLU_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    # django-ninja's own templates and static files: /api/docs loads Swagger UI from this node, not
    # from a CDN the Content-Security-Policy refuses.
    "ninja",
    "ayllu.storage",
    "ayllu.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a record: every record is checked on a process's first request.
    "ayllu.web.middleware.ServedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ayllu.web.middleware.LoginMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Django's 404 and django-ninja's 405 under /api/ in the API's error shape, in the chosen language.
    "ayllu.api.middleware.ApiErrorShapeMiddleware",
    # Before any view looks a record up by a path or query that PostgreSQL could not even compare.
    "ayllu.web.middleware.NulCharacterMiddleware",
    # Before anything reads the body (CSRF reads a form's), after the language is chosen for the answer.
    "ayllu.web.middleware.RequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ayllu.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "ayllu.urls"
WSGI_APPLICATION = "ayllu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csrf",
                "ayllu.web.context_processors.node",
                "ayllu.web.context_processors.demo",
                "ayllu.web.context_processors.record_alerts",
            ],
        },
    }
]


def database_from_url(url: str) -> dict[str, object]:
    """Turn `postgresql://user@host:port/name` or `sqlite:///path` into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "ayllu",
            "USER": unquote(parsed.username or "postgres"),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(parsed.port or 5432),
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)))
    raise ValueError(
        f"AYLLU_DATABASE_URL has an unknown scheme {parsed.scheme!r} (use postgresql:// or sqlite://)"
    )


def sqlite_database(path: Path) -> dict[str, object]:
    """SQLite in WAL mode with synchronous=FULL: an acknowledged append survives power loss."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so appends to a record serialise instead of
            # failing with "database is locked" when two writers upgrade a read lock at once.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=30000;"
            ),
        },
    }


DATABASES = {
    "default": database_from_url(os.environ["AYLLU_DATABASE_URL"])
    if os.environ.get("AYLLU_DATABASE_URL")
    else sqlite_database(DATA_DIR / "ayllu.sqlite3")
}

# Django's cache framework, per process: outsiders' pages, shared by every outsider (web/page_cache.py).
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # fragments of pages kept by what they show (a federation's member cards: web/views_federation_body.py),
    # apart so that they do not crowd the pages out
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "sessions": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "sessions",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
# Pages are answered 304 Not Modified until the record or the clock changes them, and at most this long
# (a guard against a dependency on the clock that the core does not name).
AYLLU_PAGE_SECONDS = 300
# How often each process compares every record's head with what it checked (storage/served.py); a
# read or a write of a record always compares that record's at once.
AYLLU_SERVED_SECONDS = float(os.environ.get("AYLLU_SERVED_SECONDS", "2"))
# Already-checked rows hashed again per period, node-wide, by a thread of `ayllu serve`
# (storage/served.py): a change inside them is seen within size / rows periods; 0 turns it off.
AYLLU_SERVED_SWEEP_ROWS = int(os.environ.get("AYLLU_SERVED_SWEEP_ROWS", "500"))
# The memory (estimated, MiB) each process may keep in replayed assembly states (storage/replayed.py);
# past it the least recently used assembly is dropped and replayed again when next read.
AYLLU_REPLAY_CACHE_MB = int(os.environ.get("AYLLU_REPLAY_CACHE_MB", "256"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Bolivian Spanish groups thousands with a point (ayllu/web/formats/es/formats.py).
FORMAT_MODULE_PATH = ["ayllu.web.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/La_Paz"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

# Django's database sessions, read through a cache in the data directory (write-through): every worker
# process of the node shares it, so a session ended on any of them ends on every one at once.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Pages carry no CSRF token: the forms' script sends the cookie's (static/web/js/messages.js), so the
# cookie must stay readable by it (Django's default). A refused form says what needs JavaScript.
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "ayllu.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# A request's body in memory: a draw.prepared body may be 2 MiB (core/ledger/record.py
# MAX_DRAW_BODY_BYTES), and the signed-act route carries it as a JSON string, where every quote is
# escaped (and non-ASCII may be written \uXXXX): Django's 2.5 MB default would refuse such a draw. The
# core still refuses any body over its type's limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
# `ayllu serve` (ayllu.asgi): a request's headers must arrive within this many seconds (granian drops
# the connection otherwise), and its whole body within this many more (408 otherwise), before a thread
# is given to it; a body over this many bytes is refused with 413 before Django reads it.
AYLLU_REQUEST_HEADER_SECONDS = 10
AYLLU_REQUEST_BODY_SECONDS = 30
AYLLU_REQUEST_BODY_MAX_BYTES = 2 * DATA_UPLOAD_MAX_MEMORY_SIZE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Logging in with the device key (ayllu.web.auth). A session ends after this long without a request,
# and in any case this long after logging in; the cookie lasts no longer than the absolute limit.
AYLLU_SESSION_IDLE_SECONDS = 60 * 60
AYLLU_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = AYLLU_SESSION_ABSOLUTE_SECONDS
AYLLU_LOGIN_CHALLENGE_SECONDS = 120
# Login attempts allowed per window, counted in the database (ayllu_rate_counter), so every worker
# process of the node shares the same counts (docs/decisions/0004-rate-limits-in-the-database.md).
AYLLU_LOGIN_WINDOW_SECONDS = 10 * 60
AYLLU_LOGIN_ATTEMPTS_PER_ADDRESS = 30
# Failed attempts on one key from one address: never per key alone, or anyone could lock a member out.
AYLLU_LOGIN_ATTEMPTS_PER_KEY = 10
# Each challenge is stored in a session: limited so that nobody can fill the database with them.
AYLLU_LOGIN_CHALLENGES_PER_ADDRESS = 60

# Writes anyone may make without being a member, per client address and window (actions.rate_limits):
# acts a non-member signs (applying to join, claiming a lost key), foundings, founding drafts opened.
AYLLU_ANONYMOUS_WINDOW_SECONDS = 60 * 60
AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 10
AYLLU_FOUNDINGS_PER_ADDRESS = 5
AYLLU_FOUNDING_DRAFTS_PER_ADDRESS = 10
# The same windows, counted for the whole node whatever the address: every founding makes a new record
# on this node, every draft rows in its database (decision 0011).
AYLLU_FOUNDINGS_PER_WINDOW = 20
AYLLU_FOUNDING_DRAFTS_PER_WINDOW = 50

# Acts a stranger signs (applying to join, claiming a lost key) wait outside the record until a member
# takes them in (ayllu.actions.waiting_room, docs/decisions/0011-strangers-wait-outside.md): at most this
# many from one client address and on the whole node at once; one nobody took in for AYLLU_WAITING_DAYS
# is deleted.
AYLLU_WAITING_PER_ADDRESS = 20
AYLLU_WAITING_LIMIT = 2000
AYLLU_WAITING_DAYS = 30

# Reverse proxies whose X-Forwarded-For the node believes, as addresses or networks (CIDR); in the
# environment, comma-separated. Empty: the header is ignored and every limit counts per connection
# (REMOTE_ADDR). Read by ayllu.addresses.client_address, for every limit counted per client address.
AYLLU_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("AYLLU_TRUSTED_PROXIES", "").split(",")]
AYLLU_TRUSTED_PROXIES = [p for p in AYLLU_TRUSTED_PROXIES if p]
for _proxy in AYLLU_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        _bad = f"AYLLU_TRUSTED_PROXIES: {_proxy!r} is not an address or a network"
        raise ImproperlyConfigured(_bad) from None

# A founding draft (ayllu.actions.founding_drafts) expires this many days after any founder last took a
# step in it; its links then answer that it expired, and `ayllu prune-drafts` deletes it.
AYLLU_FOUNDING_DRAFT_DAYS = 30

AYLLU_NODE_KEY_FILE = DATA_DIR / "node.key"
# Shown in every page's header; the name of the place or organisation that runs this node.
AYLLU_NODE_NAME = os.environ.get("AYLLU_NODE_NAME", "")

# Notifications (docs/notifications.md): messages link to pages at this address, the one members reach
# the node at. E-mail goes through the SMTP server named here; without one (a demo, development) every
# message is printed to the console instead.
AYLLU_PUBLIC_URL = os.environ.get("AYLLU_PUBLIC_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("AYLLU_EMAIL_FROM", "ayllu@localhost")
EMAIL_HOST = os.environ.get("AYLLU_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("AYLLU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("AYLLU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AYLLU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("AYLLU_EMAIL_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("AYLLU_EMAIL_SSL", "") == "1"
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# `ayllu serve` delivers notifications in a thread of its own unless this is "0" (or `--no-deliver`);
# a large node runs `ayllu deliver` workers instead. Each pass queues what is due, then sends at most
# AYLLU_DELIVER_BATCH messages; passes are AYLLU_DELIVER_SECONDS apart.
AYLLU_DELIVER_IN_SERVE = os.environ.get("AYLLU_DELIVER_IN_SERVE", "1") != "0"
AYLLU_DELIVER_SECONDS = float(os.environ.get("AYLLU_DELIVER_SECONDS", "60"))
AYLLU_DELIVER_BATCH = 50
# A message a deliverer took is due again this long after, should that deliverer die before marking it.
AYLLU_DELIVER_CLAIM_SECONDS = float(os.environ.get("AYLLU_DELIVER_CLAIM_SECONDS", "300"))
# Web Push (decision 0017): the node's VAPID key, created on first use beside the node key; the contact
# a push service may write to about it (RFC 8292 `sub`: a mailto: or https: URL); subscriptions' endpoints
# must be https, except to these hosts (tests run a push service on 127.0.0.1).
AYLLU_PUSH_KEY_FILE = DATA_DIR / "push.key"
AYLLU_PUSH_CONTACT = os.environ.get("AYLLU_PUSH_CONTACT", "mailto:" + DEFAULT_FROM_EMAIL)
AYLLU_PUSH_HTTP_HOSTS: tuple[str, ...] = ()
# A demo node's catch-all of sent mail, listed by its Inbox page (settings/dev.py); None elsewhere.
AYLLU_DEMO_INBOX_DIR: Path | None = None
# A household hears of its coming turn this many days ahead.
AYLLU_TURN_NOTICE_DAYS = 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Demo nodes only (settings/dev.py): the key file of the demo household a visitor may act as. Its seed is
# handed to any visitor of the demo assembly's "try it" page, so it must never name a real member's key.
AYLLU_DEMO_VISITOR_KEY_FILE: Path | None = None
