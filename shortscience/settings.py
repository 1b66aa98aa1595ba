"""Settings for ShortScience, read from the environment (see README, "Configuration").

Development needs no variables at all: DEBUG is on, a development secret key is used,
and without DATABASE_URL an embedded PostgreSQL starts in .pgdata/. With DEBUG off the
site refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from shortscience.embedded_postgres.server import DEFAULT_PGDATA
from shortscience.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off."
        )
    SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "shortscience",
    "accounts",
    "papers",
    "summaries",
    "moderation",
    "pages",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.orcid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shortscience.replicas.pin_reads_after_writes",
    # An ETag on every page, and 304 Not Modified to a reader who has that page already.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shortscience.middleware.reject_nul_bytes",
    "shortscience.middleware.explain_method_not_allowed",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A suspended member's writes are refused here unless the view says otherwise (gate.py).
    "accounts.gate.SuspensionGateMiddleware",
    # The admin's committed writes make every cached page stale (pagecache.py).
    "shortscience.pagecache.AdminChangesMiddleware",
]

ROOT_URLCONF = "pages.urls"
WSGI_APPLICATION = "shortscience.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.member_status",
            ],
        },
    },
]

# Database: PostgreSQL only. DATABASE_URL names a server; without it an embedded
# PostgreSQL 18 is started on first connection in .pgdata/ (shortscience/embedded_postgres).
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 600)


def _postgres(name: str, url: str) -> dict:
    """The database that environment variable `name` gives as `url`; PostgreSQL only."""
    try:
        database = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    except ValueError as error:
        # The message names what is wrong, never the URL: it may hold a password.
        raise ImproperlyConfigured(f"{name} must be a postgres:// URL: {error}") from None
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{name} must be a postgres:// URL: the site needs PostgreSQL.")
    return database


if DATABASE_URL:
    _database = _postgres("DATABASE_URL", DATABASE_URL)
else:
    _database = {
        "ENGINE": "shortscience.embedded_postgres",
        "NAME": "shortscience",
        "PGDATA": DEFAULT_PGDATA,
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
    }
# A query running longer than this is cancelled (and its page answers 503), so one slow
# query cannot hold a database connection and the worker waiting on it. It is for web
# requests: manage.py sets 0, no limit, for every command but runserver (migrations,
# imports and seeding run long on purpose). Milliseconds.
STATEMENT_TIMEOUT_MS = env_int("STATEMENT_TIMEOUT_MS", 5000)


def _with_statement_timeout(database: dict) -> dict:
    options = database.setdefault("OPTIONS", {})
    server_options = options.get("options", "")
    options["options"] = f"{server_options} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
    return database


DATABASES = {"default": _with_statement_timeout(_database)}
# A streaming replica of DATABASE_URL: page reads go there, writes and the reads right
# after them to the primary (shortscience/replicas.py, docs/scaling.md).
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs DATABASE_URL: the embedded server has no replicas."
        )
    DATABASES["replica"] = _with_statement_timeout(
        _postgres("DATABASE_REPLICA_URL", DATABASE_REPLICA_URL)
    )
    # Tests create no second database: the alias points at the default test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["shortscience.replicas.PrimaryReplicaRouter"]
# How long after a write a member's reads stay on the primary, for replication lag.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches (docs/caching.md):
# - "default" keeps what must not be evicted while it lives: rate-limit counters, the
#   sessions' read copies, and the version numbers that name cached pages. Redis at
#   REDIS_URL (run it without eviction, or with room to spare), else the database cache,
#   shared by every worker; past CACHE_MAX_ENTRIES rows it drops expired ones first.
# - "pages": whole pages for visitors and parts of pages, which may be evicted at any
#   time. Redis at REDIS_PAGES_URL (its own server or database, allkeys-lru), else
#   REDIS_URL under its own key prefix, else each worker's memory, PAGE_CACHE_ENTRIES
#   at most. A page is found by its address and the versions of what it shows, so a
#   worker never serves one older than the last write to it.
REDIS_URL = env_str("REDIS_URL")
REDIS_PAGES_URL = env_str("REDIS_PAGES_URL", REDIS_URL)
CACHE_MAX_ENTRIES = env_int("CACHE_MAX_ENTRIES", 100_000)
PAGE_CACHE_ENTRIES = env_int("PAGE_CACHE_ENTRIES", 2_000)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "shortscience.cache.RedisCache", "LOCATION": REDIS_URL}}
    # A signed-in request reads its session from Redis; writes go to the database too,
    # so an emptied cache signs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
        }
    }
if REDIS_PAGES_URL:
    CACHES["pages"] = {
        "BACKEND": "shortscience.cache.RedisCache",
        "LOCATION": REDIS_PAGES_URL,
        "KEY_PREFIX": "pages",
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_ENTRIES},
    }

# Pages for readers without a session are cached this long at most (shortscience/
# pagecache.py; writes make them stale at once). 0 switches the page cache off, as in
# development, where templates change under it.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 60)

# "cs.LG" and "CS.LG" are one keyword.
TAGGIT_CASE_INSENSITIVE = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id for new passwords (shortscience/passwords.py says with which parameters); the
# others only read hashes made before, and Django re-hashes such a password with Argon2id
# at the member's next sign-in.
PASSWORD_HASHERS = [
    "shortscience.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail + username accounts, verified e-mail required to sign in.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_USERNAME_BLACKLIST = [
    "admin",
    "anon",
    "anonymous",
    "moderator",
    "moderators",
    "notifications",
    "root",
]
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ShortScience] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sign-up goes through our form: allauth's, with a honeypot field (accounts/forms.py).
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# allauth's rate limits are on by default and count in the cache. Our own write paths
# use the same limiter (accounts/ratelimits.py) with these rates added to allauth's.
# Each is allauth's syntax, "30/h/user,60/h/ip": 30 an hour per member and 60 an hour per
# client address; "" switches an action's limit off. The "_new" rates count on top for
# members with no accepted contribution yet (accounts.permissions.is_established).
_RATE_SYNTAX = re.compile(r"(\d+/\d*[smhd]/(user|ip))(,\s*\d+/\d*[smhd]/(user|ip))*")


def _env_rates(name: str, default: str) -> str:
    value = env_str(name, default)
    if value and not _RATE_SYNTAX.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be rates like 30/h/user,60/h/ip (a number, a period of s, m, h "
            f"or d with an optional count, and user or ip); got {value!r}"
        )
    return value


ACCOUNT_RATE_LIMITS = {
    # Sign-ups per client address; a lab or a conference may share one.
    "signup": _env_rates("RATE_SIGNUP", "10/h/ip"),
    "summary_write": _env_rates("RATE_SUMMARY_WRITE", "30/h/user,60/h/ip"),
    "summary_write_new": _env_rates("RATE_SUMMARY_WRITE_NEW", "10/h/user"),
    "summary_preview": _env_rates("RATE_SUMMARY_PREVIEW", "120/m/user"),
    "figure_upload": _env_rates("RATE_FIGURE_UPLOAD", "30/h/user"),
    "paper_add": _env_rates("RATE_PAPER_ADD", "30/h/user"),
    # Each import may call arXiv, Crossref, dblp or Bibsonomy on the member's behalf.
    "paper_import": _env_rates("RATE_PAPER_IMPORT", "60/h/user"),
    "vote": _env_rates("RATE_VOTE", "120/h/user,300/h/ip"),
    "vote_new": _env_rates("RATE_VOTE_NEW", "30/h/user"),
    "comment": _env_rates("RATE_COMMENT", "30/h/user,60/h/ip"),
    "comment_new": _env_rates("RATE_COMMENT_NEW", "10/h/user"),
    "flag": _env_rates("RATE_FLAG", "20/h/user,60/h/ip"),
    "flag_new": _env_rates("RATE_FLAG_NEW", "5/h/user"),
    "profile_edit": _env_rates("RATE_PROFILE_EDIT", "20/h/user"),
}
# Behind N reverse proxies, the client's address is the Nth from the right in
# X-Forwarded-For; rate limits per IP need it.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# Social sign-in: a provider shows on the sign-in page only when both of its
# variables are set, e.g. GITHUB_CLIENT_ID and GITHUB_SECRET.
SOCIAL_PROVIDER_HOSTS = {
    "github": ["https://github.com"],
    "google": ["https://accounts.google.com"],
    "orcid": ["https://orcid.org"],
}
SOCIALACCOUNT_PROVIDERS = {}
for _provider in SOCIAL_PROVIDER_HOSTS:
    _client_id = env_str(f"{_provider.upper()}_CLIENT_ID")
    _secret = env_secret(f"{_provider.upper()}_SECRET")
    if _client_id and _secret:
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": _secret}]
        }

# E-mail through Django 6.1's MAILERS: SMTP when EMAIL_HOST is set, else the console.
_smtp_host = env_str("EMAIL_HOST")
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_secret("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ShortScience <noreply@localhost>")
# The site's address, for links in e-mails sent outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names need `collectstatic`, so only outside development.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Decided here, where DEBUG comes from the environment: the test runner turns DEBUG off
# later, and the live test server should still serve static files from the source tree.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)
# Uploads above this size go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Request bodies (docs/limits.md). Form fields, files aside: the longest form is a summary
# of 50,000 characters, at most 600 kB posted. The paper admin's author inline posts about
# five fields per author, so the field count stays at Django's default. No form takes more
# than one file; the figure upload refuses a body over 5 MB before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# Security. The CSP allows no inline script or style anywhere; images may come from
# any https source because summaries embed figures hosted elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "https:"],
    "font-src": [CSP.SELF],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    # Chromium applies form-action to the redirect after a form post too, so the
    # sign-in with a configured provider needs that provider's host here.
    "form-action": [
        CSP.SELF,
        *(host for name in SOCIALACCOUNT_PROVIDERS for host in SOCIAL_PROVIDER_HOSTS[name]),
    ],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", default=False):
        # Only behind a proxy that sets this header itself and strips it from clients.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pgserver narrates every start and exit at INFO; its warnings and errors still show.
    "loggers": {"pgserver": {"level": "WARNING"}},
}
