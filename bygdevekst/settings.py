"""Settings for Bygdevekst. Every deploy-time value comes from the environment (.env.example)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a yes/no variable; anything but the usual spellings is an error."""
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    """Read a whole number."""
    value = os.environ.get(name, str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    """Read a comma-separated list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str | None) -> dict:
    """SQLite in the project folder when DATABASE_URL is unset, else PostgreSQL from the URL."""
    if not url:
        path = os.environ.get("SQLITE_PATH") or BASE_DIR / "db.sqlite3"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be postgresql://..., not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": prepared_statements(envbool("DATABASE_PREPARED_STATEMENTS", "true")),
    }


def prepared_statements(enabled: bool) -> dict:
    """psycopg options: with prepared statements PostgreSQL plans each repeated query once per
    connection (the session, user and role lookups of every request), not on every run.

    Django leaves them off for connection poolers in transaction mode (PgBouncer), which cannot
    keep a statement between transactions: set DATABASE_PREPARED_STATEMENTS=false behind one.
    """
    if not enabled:
        return {}
    # Prepared statements need server-side parameter binding; prepare from the 5th run on.
    return {"server_side_binding": True, "prepare_threshold": 5}


def oidc_providers_from_env() -> dict[str, dict]:
    """The OpenID Connect providers people may log in with (access/oidc.py), by name, from
    OIDC_PROVIDERS=name,name and OIDC_<NAME>_* for each (.env.example, docs/operations.md)."""
    providers = {}
    for name in envlist("OIDC_PROVIDERS", ""):
        if not name.replace("-", "").isalnum() or not name.islower():
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: {name!r} is not a lower-case name")
        prefix = f"OIDC_{name.upper().replace('-', '_')}_"
        missing = [
            key
            for key in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
            if not os.environ.get(prefix + key)
        ]
        if missing:
            raise ImproperlyConfigured(f"Set {', '.join(prefix + key for key in missing)}.")
        providers[name] = {
            "issuer": os.environ[prefix + "ISSUER"],
            "client_id": os.environ[prefix + "CLIENT_ID"],
            "client_secret": os.environ[prefix + "CLIENT_SECRET"],
            "scopes": os.environ.get(prefix + "SCOPES", "openid profile").split(),
            "acr_values": os.environ.get(prefix + "ACR_VALUES", "").split(),
            "label": os.environ.get(prefix + "LABEL", name),
        }
    return providers


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "insecure-development-key-only-for-debug"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bygdevekst.apps.BygdevekstConfig",
    "django_htmx",
    "simple_history",
    "axes",
    "access",
    "measures",
    "budget",
    "money",
    "reporting",
    "public",
    "limits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the user's målform, or their agreements' (access/language.py).
    "access.language.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bygdevekst.sessions.AbsoluteSessionLimitMiddleware",
    "bygdevekst.sessions.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]
if envbool("LOG_REQUESTS", "true"):
    MIDDLEWARE.insert(1, "bygdevekst.logs.RequestLogMiddleware")

ROOT_URLCONF = "bygdevekst.urls"
WSGI_APPLICATION = "bygdevekst.wsgi.application"

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
                "django.template.context_processors.csp",
                "access.login_page.password_login",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# In the database, so that every worker process and every server sees the same cached pages
# (keyed by measures.overview.plan_stamp); the table is made by bygdevekst's migration 0001.
# Counted limits do not use the cache: they live in limits.counters.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bygdevekst_cache",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login with OpenID Connect beside (or instead of) the password: the providers, and whether the
# password login is open at all (false for installations that use OpenID Connect only).
OIDC_PROVIDERS = oidc_providers_from_env()
PASSWORD_LOGIN = envbool("PASSWORD_LOGIN", "true")
if not PASSWORD_LOGIN and not OIDC_PROVIDERS:
    raise ImproperlyConfigured("PASSWORD_LOGIN=false needs at least one of OIDC_PROVIDERS.")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, fetching what the interface's målform needs with the user.
    "access.backends.ModelBackendWithLanguage",
    # The sessions of people who logged in with OpenID Connect (access/oidc_views.py).
    "access.backends.OpenIdConnectBackend",
]
# A whole town hall shares one IP address: lock out a username from one address, and the
# address itself only at a far higher count across usernames (access.lockout).
AXES_HANDLER = "access.lockout.AddressLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
LOCKOUT_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reporting:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nn"
# Nynorsk is the source language (msgids); Bokmål is a translation (docs/translations.md).
LANGUAGES = [("nn", "Norsk nynorsk"), ("nb", "Norsk bokmål")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# The largest file anyone may upload (the budget workbook); more is dropped as it arrives.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",  # up to 2.5 MB in all
    "bygdevekst.uploads.LimitedUploadHandler",
]

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# How long a browser or a shared cache may keep a public page (public/) before asking again; it
# asks with the page's ETag and is answered 304 Not Modified while the approved plan stands.
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 300)


# A line of the accounts whose spending differs from the approved budget by more than both of
# these (percent, kroner) needs the project leader's explanation before the accounts go to KDD.
def envthreshold(name: str, default: str) -> tuple[int, int]:
    """Read "percent,kroner": two whole numbers, none negative."""
    parts = envlist(name, default)
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise ImproperlyConfigured(f"{name} must be percent,kroner (e.g. 10,100000), not {parts}")
    return int(parts[0]), int(parts[1])


ACCOUNTS_DEVIATION_THRESHOLD = envthreshold("ACCOUNTS_DEVIATION_THRESHOLD", "10,100000")

# Idle limit: the session lasts SESSION_IDLE_MINUTES after the last request (renewed at most
# once a minute by bygdevekst.sessions, to spare a database write per page view).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 60) * 60
# Absolute limit: however active, a login lasts at most this long (bygdevekst.sessions).
SESSION_ABSOLUTE_HOURS = envint("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS in production: cookies only over HTTPS, redirect to HTTPS, HSTS.
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# A year or more of HSTS is a commitment to HTTPS; allow the browsers' preload list then.
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS >= 31536000
# Only when set to a true value: "false" must not turn on trust in X-Forwarded-Proto.
if envbool("SECURE_PROXY_SSL_HEADER", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks (the compose check, load balancers) ask over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^helse/$"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: scripts and styles come from our own static files.
# Designsystemet draws its icons as data: URLs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# E-mail: printed to the console unless an SMTP server (or a folder for files) is configured.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bygdevekst <bygdevekst@localhost>")
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": envint("SMTP_PORT", 587),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": envbool("SMTP_TLS", "true"),
            },
        }
    }
elif os.environ.get("EMAIL_FILE_PATH"):
    # Each e-mail written to a file in that folder (scripts/two_instances.py counts them there).
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["EMAIL_FILE_PATH"]},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# The address people reach the site at, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "bygdevekst.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"refusals": {"()": "bygdevekst.logs.RefusalsOnOneLine"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if envbool("LOG_JSON", "true") else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Axes logs every login attempt at INFO; our own audit log records them instead.
        "axes": {"level": "WARNING"},
        # runserver prints its own request lines; ours are in bygdevekst.requests.
        "django.server": {"level": "WARNING"},
        # A refused request (403, 404, 400) is one line with its reason, not a traceback.
        "django.request": {"filters": ["refusals"]},
        "django.security": {"filters": ["refusals"]},
    },
}
