"""OpenCPF settings. Everything that differs between machines is read from the environment."""

import ipaddress
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENCPF_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Serving plain HTTP on purpose with DEBUG off (benchmarks on loopback); the test suite is the same case.
LOCAL_HTTP = env_bool("OPENCPF_LOCAL_HTTP") or "pytest" in sys.modules
# Production: HTTPS behind a reverse proxy, a secret key given by the environment.
PRODUCTION = not DEBUG and not LOCAL_HTTP


def _secret_key() -> str:
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    if PRODUCTION and env_bool("OPENCPF_SERVING"):  # set by config/wsgi.py and config/asgi.py
        # A key generated per server would sign sessions, password-reset links and digests differently on each.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required in production (DJANGO_DEBUG off). For local plain-HTTP serving set "
            "DJANGO_DEBUG=1 or OPENCPF_LOCAL_HTTP=1."
        )
    # Development: one random key per checkout, kept out of git under var/.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "dsfr",
    "widget_tweaks",
    "django_countries",
    "opencpf.utils",
    "opencpf.accounts",
    "opencpf.places",
    "opencpf.catalogue",
    "opencpf.rights",
    "opencpf.dossiers",
    "opencpf.scams",
    "opencpf.identity",
    "opencpf.advisors",
    "opencpf.funders",
    "opencpf.support",
    "opencpf.demo",
    "opencpf.www",
    "opencpf.api",
]

MIDDLEWARE = [
    "opencpf.www.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opencpf.www.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "opencpf.www.middleware.PrivacyHeadersMiddleware",
    "opencpf.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "opencpf" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opencpf.www.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"

# Database: embedded SQLite under var/ unless DATABASE_URL names another (PostgreSQL in CI and production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'opencpf.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["opencpf.accounts.backends.NirOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "www:dashboard"
LOGOUT_REDIRECT_URL = "www:home"

PASSWORD_HASHERS = [
    "opencpf.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("OPENCPF_FAST_PASSWORD_HASHER"):  # tests only: argon2 stays the production hasher
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "opencpf.accounts.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link is good for one hour
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "opencpf.www.pages_views.errors.csrf_failure"
# HTTPS only, for a year, once a browser has seen the site over HTTPS (the header is only sent on HTTPS answers).
SECURE_HSTS_SECONDS = int(os.environ.get("OPENCPF_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
# The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: addresses or networks (CIDR).
# Anyone else's forwarded headers are dropped before Django reads them (opencpf.www.middleware).
TRUSTED_PROXIES = [ipaddress.ip_network(item, strict=False) for item in env_list("OPENCPF_TRUSTED_PROXIES", "")]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # DSFR components set a few inline style attributes; scripts stay nonce-only.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "fr"
FORMAT_MODULE_PATH = ["opencpf.formats"]  # English dates day first (opencpf/formats/en)
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "opencpf_language"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks for it at start-up
STATICFILES_DIRS = [BASE_DIR / "opencpf" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "opencpf.utils.staticfiles.MemoisedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Email: SMTP in production and in the SMTP tests; the demo writes messages under var/emails/.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": 10,
            },
        }
    }
elif env_bool("OPENCPF_EMAIL_TO_CONSOLE"):  # `make run`: codes appear in the terminal
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "emails")},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OpenCPF <ne-pas-repondre@opencpf.test>")

# Background work: django.tasks stored in the database, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("OPENCPF_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# "default": per process, small parts of the layout (header, footer). "pages": rendered catalogue pages (search
# results, whole pages for signed-out visitors: ~10-30 KB each); 5 000 entries (Django's default is 300) keep the
# busiest day's offers and searches. Per process unless OPENCPF_PAGE_CACHE_DIR names a directory the server's
# workers share (one render per machine instead of one per worker); its keys name the machine's own search index.
_CACHE_ENTRIES = int(os.environ.get("OPENCPF_CACHE_ENTRIES", "5000"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}},
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["OPENCPF_PAGE_CACHE_DIR"],
            "OPTIONS": {"MAX_ENTRIES": _CACHE_ENTRIES},
        }
        if os.environ.get("OPENCPF_PAGE_CACHE_DIR")
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": _CACHE_ENTRIES},
        }
    ),
}

# Where the embedded search index lives (one copy per app server, rebuilt from the database).
SEARCH_INDEX_DIR = Path(os.environ.get("OPENCPF_SEARCH_INDEX_DIR", VAR_DIR / "search-index"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENCPF_LOG_LEVEL", "INFO")},
    # Request logs would carry NIRs and emails in query strings: keep only errors.
    "loggers": {"django.request": {"level": "ERROR"}, "django.server": {"level": "WARNING"}},
}

# What the code of the areas reads, from the environment (the README's configuration table). Code reads these
# settings only, never the environment.
# Legal notice of this instance (opencpf/templates/pages/legal.html): who publishes it, who hosts it, its code.
OPENCPF_PUBLISHER = os.environ.get(
    "OPENCPF_PUBLISHER", "Caisse des Dépôts et consignations, 56 rue de Lille, 75007 Paris, France"
)
OPENCPF_PUBLICATION_DIRECTOR = os.environ.get("OPENCPF_PUBLICATION_DIRECTOR", "")
OPENCPF_HOST = os.environ.get("OPENCPF_HOST", "")
OPENCPF_SOURCE_URL = os.environ.get("OPENCPF_SOURCE_URL", "https://github.com/opencpf/opencpf")
# The sandbox SMS gateway also prints its messages where the demo prints its emails (`make run`).
OPENCPF_SMS_TO_CONSOLE = env_bool("OPENCPF_EMAIL_TO_CONSOLE")
OPENCPF_SITE_URL = os.environ.get("OPENCPF_SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in emails
OPENCPF_PAYMENT_PROVIDER = os.environ.get("OPENCPF_PAYMENT_PROVIDER", "opencpf.dossiers.payments.SandboxCardProvider")
OPENCPF_SMS_GATEWAY = os.environ.get("OPENCPF_SMS_GATEWAY", "opencpf.accounts.sms.SandboxSmsGateway")
# Days an organisation's payments wait after its bank details change (fraud: a hijacked account's new IBAN).
OPENCPF_IBAN_CHANGE_HOLD_DAYS = int(os.environ.get("OPENCPF_IBAN_CHANGE_HOLD_DAYS", "5"))
OPENCPF_LAPSE_WORKERS = int(os.environ.get("OPENCPF_LAPSE_WORKERS", "2"))  # database connections of the lapse task
# FranceConnect (OpenID Connect, DESIGN §2.5): "S'identifier avec FranceConnect" shows only when the issuer, the
# client id and the secret are set. The redirect URI registered with the provider defaults to this site's
# /compte/identite/franceconnect/retour/.
OPENCPF_FRANCECONNECT_ISSUER = os.environ.get("OPENCPF_FRANCECONNECT_ISSUER", "").strip()
OPENCPF_FRANCECONNECT_CLIENT_ID = os.environ.get("OPENCPF_FRANCECONNECT_CLIENT_ID", "").strip()
OPENCPF_FRANCECONNECT_CLIENT_SECRET = os.environ.get("OPENCPF_FRANCECONNECT_CLIENT_SECRET", "").strip()
OPENCPF_FRANCECONNECT_REDIRECT_URI = os.environ.get("OPENCPF_FRANCECONNECT_REDIRECT_URI", "").strip()
