"""
Settings for mgreview, read from the environment.

Local development needs no environment at all: DEBUG defaults to on, SQLite in
the project directory, a throwaway secret key. Production sets DEBUG=0 and must
then set SECRET_KEY (and ALLOWED_HOSTS); see docs/deploy.md.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {value!r}.") from None


def envlist(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off, set SECRET_KEY in the environment "
            "to a long random string, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    SECRET_KEY = "django-insecure-local-development-only-do-not-deploy"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    # The domain first; the apps built on it after (analysis and public extend its admin).
    "claims",
    "public",
    "review",
    "analysis",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Response headers every page needs, then the page cache's early answers (which skip
    # everything below it: sessions, CSRF, authentication; public/caching.py).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "public.caching.ServeStoredPublicPages",
    "public.caching.WarmPagesAfterWrites",
    "mgreview.middleware.RejectUnprintableAdminInput",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mgreview.middleware.PrivateForLoggedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mgreview.urls"

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
                "mgreview.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "mgreview.wsgi.application"

# SQLite in the project directory by default; PostgreSQL (or any engine
# dj-database-url knows) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public pages read while a reviewer writes; a busy timeout
    # waits for a writer instead of failing with "database is locked".
    # Memory-mapped reads and a 32 MB page cache: at 100k claims the list
    # filters look up tens of thousands of rows (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the server compiles a query whose *estimated* cost passes
    # jit_above_cost, and the estimate grows with the tables whatever the plan reads. At
    # 100,000 claims one history query of the review page spent 236 ms compiling a plan whose
    # costly part never ran (docs/benchmarks.md, finding 11). Appended, so options given in
    # DATABASE_URL are kept.
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = f"{pg_options.get('options', '')} -c jit=off".strip()

# Django's cache: where public pages are kept for anonymous readers (public/caching.py).
# Local memory by default (each worker its own, keyed on the data version so
# never stale); Redis, shared by every worker and host, when REDIS_URL is set.
# PAGE_CACHE=0 stores nothing (pages are still revalidated by ETag): the baseline of the spike load check.
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE = envbool("PAGE_CACHE", True)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        if not PAGE_CACHE
        else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "TIMEOUT": 600}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": envint("MGREVIEW_PAGE_CACHE_ENTRIES", 1000)},
        }
    )
}
MGREVIEW_PAGE_CACHE = "default"
# Pages larger than this (the biggest article pages) are revalidated but not stored.
MGREVIEW_PAGE_CACHE_MAX_BYTES = envint("MGREVIEW_PAGE_CACHE_MAX_BYTES", 2 * 1024 * 1024)
# Each process also keeps the pages it served lately, up to this many bytes, in front of the
# shared cache (public/caching.py: a page's key names its data version, so a copy is never stale).
MGREVIEW_PAGE_CACHE_LOCAL_BYTES = envint("MGREVIEW_PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024) if PAGE_CACHE else 0
# A request that writes builds the pages readers are reading before the version moves on
# (public/caching.py). Worth it with a cache all workers share; in one worker's memory the
# other workers would build them again anyway.
MGREVIEW_PAGE_CACHE_WARM = PAGE_CACHE and envbool("PAGE_CACHE_WARM", bool(REDIS_URL))


def _release():
    """A digest of the code and templates, so that a deploy that changes a page never serves the old one."""
    digest = hashlib.sha256()
    for folder in ("claims", "public", "review", "analysis", "mgreview", "templates"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt"} and path.is_file():
                digest.update(path.relative_to(BASE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Part of every ETag and page-cache key; set it (e.g. to the deployed commit) to skip hashing the sources.
MGREVIEW_RELEASE = os.environ.get("MGREVIEW_RELEASE") or _release()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "review:queue"
LOGOUT_REDIRECT_URL = "home"

# Login brute-force protection: after AXES_FAILURE_LIMIT failures for one
# username from one IP address, that pair is locked for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind N reverse proxies (docs/deploy.md) the client's address is read from
# X-Forwarded-For (mgreview/proxy.py); with none, the header is ignored.
MGREVIEW_PROXY_COUNT = envint("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "mgreview.proxy.client_ip"

# A consensus needs ratings by at least this many different reviewers.
MGREVIEW_MIN_RATINGS = envint("MGREVIEW_MIN_RATINGS", 2)
if MGREVIEW_MIN_RATINGS < 1:
    raise ImproperlyConfigured("MGREVIEW_MIN_RATINGS must be at least 1.")

# History is a record: nobody writes an old row back through the admin's
# history pages (claims/admin.py refuses the POST too; claims/policy.py says why).
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The reviewing organisation, named as the author of ClaimReview markup.
MGREVIEW_ORGANISATION = os.environ.get("MGREVIEW_ORGANISATION", "mgreview")
MGREVIEW_ORGANISATION_URL = os.environ.get("MGREVIEW_ORGANISATION_URL", "")

# Security headers. Safe to keep on in development; the HTTPS-only ones follow DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
if envbool("BEHIND_PROXY", not DEBUG):
    # The proxy in front terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (Django's built-in support): no inline scripts or
# styles anywhere. The one inline block, ClaimReview JSON-LD, is a data block,
# which browsers never execute and script-src does not govern, so it needs no
# nonce; without one, a page cached for every reader matches every header.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
