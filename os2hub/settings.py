"""OS2hub settings: one module, configured by environment variables (12-factor).

See docs/installation.md for the full list of variables.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The package's own folder: templates, static files and translations ship inside it, so an installed wheel finds
# them wherever it is installed.
PACKAGE_DIR = Path(__file__).resolve().parent
# The home of local data by default (db.sqlite3, media/, staticfiles/): the checkout when running from one
# (`make run`), otherwise the working folder, never the installed package. Production sets DATABASE_URL,
# MEDIA_ROOT (or S3_BUCKET) and STATIC_ROOT.
BASE_DIR = PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "manage.py").is_file() else Path.cwd()


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Commands that only read the code (never sign or serve anything) run without a key, e.g. in CI and hooks.
KEYLESS_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}
if not SECRET_KEY:
    keyless = sys.argv[0].endswith("manage.py") and len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS
    if DEBUG or TESTING or keyless or env_bool("DJANGO_COLLECTSTATIC"):
        # Only for a developer's machine and the test suite; production refuses to start without a key.
        SECRET_KEY = "django-insecure-os2hub-development-only-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set SECRET_KEY (required when DEBUG is off).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address every absolute link is built from (e-mails, feed ids, exports, the API's file links, the badge
# snippet): never the request's host, which a proxy or a second port may change. `make run` sets it from PORT.
SITE_URL = (os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}").rstrip("/")
# Where people reach the operator (the OS2 secretariat): shown in the footer and the accessibility statement.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "kontakt@os2hub.example")
# Where the site's own source code is published (the footer links to it; MPL-2.0).
SOURCE_CODE_URL = os.environ.get("SOURCE_CODE_URL", "https://github.com/OS2/os2hub")
# Looking up a CVR number's name and address when an organisation is created (cvrapi.dk-style JSON); off when empty.
CVR_LOOKUP_URL = os.environ.get("CVR_LOOKUP_URL", "")
CVR_LOOKUP_TIMEOUT = float(os.environ.get("CVR_LOOKUP_TIMEOUT", "3"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    "os2hub.web",
    "os2hub.accounts",
    "os2hub.suppliers",
    "os2hub.products",
    "os2hub.community",
    "os2hub.governance",
    "os2hub.scans",
    "os2hub.development",
    "os2hub.needs",
    "os2hub.questions",
    "os2hub.contact",
    "os2hub.newsletters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "os2hub.web.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "os2hub.web.middleware.LanguageMiddleware",
    # Whole pages for anonymous visitors (see page_cache.py): after the language, before CSRF and the views.
    "os2hub.web.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After language and user, so its 400 page speaks the visitor's language; before every view.
    "os2hub.web.middleware.MalformedInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "os2hub.urls"
WSGI_APPLICATION = "os2hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "os2hub.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: Danish first, English complete.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Copenhagen"
# One date and one date-and-time format per language, named everywhere (DATE_FORMAT, DATETIME_FORMAT).
FORMAT_MODULE_PATH = ["os2hub.formats"]

# Static files and uploads.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Several web machines share uploads through an S3-compatible bucket (AWS, MinIO, Ceph, ...): set S3_BUCKET.
# Objects are private (no ACL: the bucket's own policy, which must block public access) and never overwritten;
# OS2hub serves every upload through its own views, which check who may see it, so no bucket address reaches a
# page. Without S3_ACCESS_KEY_ID the usual AWS credential chain applies (AWS_* variables, an instance role).
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", "").strip("/"),
            # "path" for MinIO and other servers without a DNS name per bucket; the default lets boto3 choose.
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads are untrusted: size limits in bytes.
OS2HUB_MAX_LOGO_BYTES = 5 * 1024 * 1024
OS2HUB_MAX_SVG_BYTES = 512 * 1024
OS2HUB_MAX_AGREEMENT_BYTES = 10 * 1024 * 1024
OS2HUB_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Anything larger is refused before it is read (a product document is the largest file, plus form overhead).
OS2HUB_MAX_REQUEST_BYTES = 21 * 1024 * 1024
# The version of OS2's Code of Conduct a supplier accepts; stored with each acceptance.
OS2HUB_CODE_OF_CONDUCT_VERSION = os.environ.get("OS2HUB_CODE_OF_CONDUCT_VERSION", "2024-1")

# The cache holds login rate-limit counters and used TOTP codes, so every web process on every machine must
# share it: the database by default (`manage.py createcachetable` creates the table; `make run` and the
# container's entry point run it after migrate), Redis when CACHE_URL (redis://host:6379/0) is set.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// address.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "os2hub",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "os2hub_cache",
            # Room for the counters of a large guessing run: at the default 300, culling would drop counters.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# Sessions are kept in the database (Django's default backend), which every web process shares.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Accounts (django-allauth): e-mail login with mandatory verification, optional TOTP MFA.
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OS2hub] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "os2hub.accounts.adapter.AccountAdapter"
# Failed logins (counted in the shared cache above; a successful login does not count):
# - per address: 10 a minute, whatever the accounts tried;
# - per account and address: 5 in 5 minutes, so someone guessing from one address cannot lock the owner out
#   from everywhere else (allauth's default counts per account alone);
# - per account from all addresses together: 100 an hour, a ceiling that slows guessing from many addresses.
#   A successful password reset lifts it for the account.
# The same "login_failed" limits apply to wrong TOTP codes, per user. The test suite runs without limits
# (its own throttling tests switch these on).
OS2HUB_LOGIN_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "100/h/key",
}
ACCOUNT_RATE_LIMITS = False if TESTING else OS2HUB_LOGIN_RATE_LIMITS
# The client's address for those limits is taken from the X-Forwarded-For header that this many reverse proxies
# in front of the site append (production runs behind one, see docs/installation.md); with 0 it is the address of
# the connection itself. Without the proxy counted, every visitor would share the proxy's address and its limits.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or ("0" if (DEBUG or TESTING) else "1"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "OS2hub"
SOCIALACCOUNT_ONLY = False
# Single sign-on through an OpenID Connect broker (Keycloak, OS2faktor/OS2Adgang, ...): set OIDC_SERVER_URL
# (the issuer; its /.well-known/openid-configuration is read), OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.
# None is enabled by default; local e-mail accounts with MFA always work.
SOCIALACCOUNT_PROVIDERS = {}
if os.environ.get("OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "broker"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "Kommunalt login"),
                "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": os.environ["OIDC_SERVER_URL"]},
            }
        ]
    }
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# E-mail: console in development, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OS2hub <noreply@os2hub.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background work: immediate by default; django-tasks-db in production (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("TASKS_BACKEND", "immediate") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# The repository scanner (os2hub.scanner, run by os2hub.scans). Only https addresses on these hosts are
# scanned; names that resolve to loopback, private or link-local addresses are refused whatever the host.
SCANNER_ALLOWED_HOSTS = [
    h.strip().lower()
    for h in os.environ.get("SCANNER_ALLOWED_HOSTS", "github.com,gitlab.com,codeberg.org,bitbucket.org").split(",")
    if h.strip()
]
# `manage.py scan_due` scans repositories whose last scan is older than this many days.
SCAN_DUE_DAYS = int(os.environ.get("SCAN_DUE_DAYS", "7"))
# A scan still waiting or running after this long has lost its worker and is marked failed.
SCAN_STALE_MINUTES = int(os.environ.get("SCAN_STALE_MINUTES", "30"))

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-tasks logs every task start and finish at INFO; only problems are worth a line.
    "loggers": {"django.db.backends": {"level": "INFO"}, "django_tasks": {"level": "WARNING"}},
}

# Anonymous visitors get whole public pages from the shared cache for this many seconds (os2hub/web/page_cache.py);
# signed-in people always get fresh ones. 0 turns it off, as it is by default on a developer's machine and in tests.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS") or (0 if (DEBUG or TESTING) else 30))

# API rate limits (os2hub/api/throttling.py), counted in the shared cache; empty turns one off.
API_THROTTLE_WRITES = os.environ.get("API_THROTTLE_WRITES", "120/min")
API_THROTTLE_BAD_TOKENS = os.environ.get("API_THROTTLE_BAD_TOKENS", "20/min")
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
FORM_RENDERER = "os2hub.web.forms.DkfdsRenderer"
FORMS_URLFIELD_ASSUME_HTTPS = True

if TESTING:
    # Hashing with PBKDF2 on every persona would dominate the test run; tests do not test hashing strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
