"""Settings for the history quiz, read from the environment.

Development defaults are safe to run locally (SQLite file, DEBUG off unless asked).
Production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and, behind a TLS proxy,
SECURE_PROXY_SSL_HEADER via TRUST_X_FORWARDED_PROTO; see README "Deploying".
"""

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DEBUG")
# PRODUCTION=1 turns on every transport-security default and demands real secrets.
PRODUCTION = env_bool("PRODUCTION")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=1.")
    # Tests and `make run` use this development key; production provides its own (bandit: intended).
    SECRET_KEY = "dev-insecure-key-for-local-use-only-never-in-production-0123456789"  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "accounts",
    "history",
    "quiz",
]

MIDDLEWARE = [
    # Permissions-Policy on every response; private, no-store on every signed-in user's.
    "config.middleware.ResponseHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Refuse an oversize or length-less body (413, 411) before anything reads it: the two
    # above only set headers.
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL in a parameter would reach PostgreSQL as a 500; refuse it before the view runs, but
    # after CSRF, so a forged or cookie-less POST is refused without its body being parsed.
    "config.middleware.RejectNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An htmx request after the session ended: a full-page trip to the login page.
    "config.middleware.HtmxLoginRedirectMiddleware",
    # Last: answers requests the per-client limits hold (429).
    "accounts.middleware.ThrottleMiddleware",
]

# Request size. The largest legitimate body is a teacher's question-file import (at most 1 MiB,
# MAX_UPLOAD_BYTES in quiz/interop/common.py) in its multipart envelope; every other form is a
# few kilobytes. A larger body is refused with 413 before it is read (RequestSizeLimitMiddleware);
# the nginx config in deploy/nginx/ sets client_max_body_size to the same value.
MAX_REQUEST_BYTES = 1088 * 1024
# Uploads stay in memory, never in a temporary file: the memory handler takes any upload whose
# request is at most this size, which is every request the limit above lets through.
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FILES = 1  # the import form's one file
# Form fields, files aside: the largest form (a question: a dozen fields of up to 500
# characters) is under 72 KB even as URL-encoded 4-byte characters.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# The most fields a form sends is an admin action on a "Show all" list of 200 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {
    # An empty DATABASE_URL (as `make test-sqlite` sets it) means the SQLite default too.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a test browser share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["TEST_DATABASE_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, but a Redis outage reads as a miss instead of an error.
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions are read on every request: from the shared cache, with the database behind it
    # (so a Redis restart logs nobody out). Not with the per-process memory cache: a logout
    # handled by one worker would leave the session alive in the others' caches.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    # First: holds log-in attempts the limits refuse before any password is checked.
    "accounts.login_limits.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A form from an out-of-date page says so (and that nothing was saved) instead of a bare 403.
CSRF_FAILURE_VIEW = "quiz.views.home.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Per-client limits (accounts/throttle.py, README "Accounts"): how many events are free in each
# window; past that each further one waits a minute, doubling, up to an hour.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)  # a day, from unknown browsers
LOGIN_FAILURES_PER_KNOWN_DEVICE = env_int("LOGIN_FAILURES_PER_KNOWN_DEVICE", 10)  # a day, each remembered device
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 100)  # an hour: a school shares one address
JOIN_FAILURES_PER_USER = env_int("JOIN_FAILURES_PER_USER", 10)  # wrong join codes an hour
JOIN_FAILURES_PER_ADDRESS = env_int("JOIN_FAILURES_PER_ADDRESS", 100)
SIGNUPS_PER_ADDRESS = env_int("SIGNUPS_PER_ADDRESS", 100)  # an hour: whole classes sign up together
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 20)  # an hour
PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 3)  # an hour, so nobody floods an inbox

# The proxies whose X-Forwarded-For is believed (accounts/clients.py): IPs or CIDR networks.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network.") from None

# E-mail (password resets), from the usual EMAIL_* variables into Django 6.1's MAILERS: SMTP
# (EMAIL_HOST, or a local mail server in production), printed to the console in development.
# Tests get Django's in-memory outbox.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_email_host = os.environ.get("EMAIL_HOST", "")
_email_backend = os.environ.get("EMAIL_BACKEND") or (
    _SMTP if _email_host or PRODUCTION else "django.core.mail.backends.console.EmailBackend"
)
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": _email_backend}}
if _email_backend == _SMTP:
    MAILERS["default"]["OPTIONS"] = {
        "host": _email_host or "localhost",
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "use_ssl": env_bool("EMAIL_USE_SSL"),
        "timeout": env_int("EMAIL_TIMEOUT", 10),  # seconds: a hung mail server must not hold a worker
    }
    if os.environ.get("EMAIL_PORT"):  # otherwise 25, 587 or 465 as TLS/SSL say
        MAILERS["default"]["OPTIONS"]["port"] = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

SESSION_COOKIE_AGE = 60 * 60 * 8  # a school day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
# The app is written in British English only: a browser asking for another language (en-US,
# French) must not get Django's own messages and date formats in it beside English pages.
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed names never change content, so clients may cache them for a year.
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# Strict CSP: only our own files; no inline script or style, no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Transport security: on by default in production; a proxy terminating TLS
# sets TRUST_X_FORWARDED_PROTO so Django knows the request was secure.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
