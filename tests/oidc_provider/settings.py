"""Settings of the test provider (tests/oidc_provider): its own database and address, from the
environment that server.py or scripts/oidc-provider gives it."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
SECRET_KEY = "test-provider-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "oidc-provider"]
# The issuer is SITE_URL + "/" (the discovery document is at its root).
SITE_URL = os.environ["OIDC_PROVIDER_URL"].rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
    "tests.oidc_provider.apps.TestProviderConfig",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
WSGI_APPLICATION = "tests.oidc_provider.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OIDC_PROVIDER_DB"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Its own cookie name: the application and the provider both live on 127.0.0.1 in the tests,
# and cookies do not keep ports apart.
SESSION_COOKIE_NAME = "provider_session"
CSRF_COOKIE_NAME = "provider_csrftoken"
LOGIN_URL = "/login/"
USE_TZ = True
# Quick password hashing: these are test people.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

OIDC_IDTOKEN_SUB_GENERATOR = "tests.oidc_provider.scenarios.subject"
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.oidc_provider.scenarios.claims_as_the_scenario_says"
OIDC_IDTOKEN_INCLUDE_CLAIMS = False
OIDC_SKIP_CONSENT_EXPIRE = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
