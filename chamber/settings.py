"""Settings for the chamber workspace, read from the environment.

Development defaults (SQLite, DEBUG on, console email) need no configuration; production sets
DEBUG=0 and then must provide SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-dev-only-not-for-production-use-0123456789abcdefghij"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "chamber.admin_site.ChamberAdminConfig",  # django.contrib.admin, its site ours
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "import_export",
    "csp",
    "django_prose_editor",
    "simple_history",
    "django_tasks",
    "django_tasks_db",  # fmt: skip
    "core",
    "chamber",
    "members",
    "activities",
    "charity",
    "notices",
    "development",  # --- join ---
    "reports",
    "dues",  # --- dues ---
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database outage answers 503 (with chamber.urls.handler500 for errors before the view).
    "chamber.outage.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "chamber.middleware.RolesMiddleware",
    # Refuses a body above its path's limit before anything reads it (core/limits.py).
    "core.limits.RequestLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# bench/run.py serves bench.urls: the app plus a trivial view to measure the ceiling.
ROOT_URLCONF = os.environ.get("DJANGO_ROOT_URLCONF", "chamber.urls")
WSGI_APPLICATION = "chamber.wsgi.application"
ASGI_APPLICATION = "chamber.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chamber.context_processors.roles",
                "demo.context_processors.demo_banner",  # --- share ---
                "core.notifications.context_processors.inbox",
            ],
        },
    },
]

# Plain widgets rendered in Python, the rest through templates (see chamber/renderers.py).
FORM_RENDERER = "chamber.renderers.FastTemplateRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache counts login attempts for allauth's rate limits, so it must be shared by every
# worker process and every server: Redis when REDIS_URL is set (CACHE_URL, its older name, is
# still read), the database cache otherwise. Never the per-process local-memory cache.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "REDIS_URL (or CACHE_URL) must start with redis://, rediss:// or unix://."
    )
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Room for the cached pages' parts of a city federation (per leader, per filter, per page):
    # Django's default of 300 entries would cull a third of them at every turn. Django's backend
    # counts the table before every write: ours counts it every 500 writes (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": "chamber_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
# Sessions stay in the database (Django's engine, read with a plain statement: chamber/sessions.py),
# which every server shares; they are not moved to the cache, so flushing Redis logs nobody out.
SESSION_ENGINE = "chamber.sessions"

AUTH_USER_MODEL = "chamber.User"
AUTHENTICATION_BACKENDS = ["chamber.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "chamber:home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: accounts are created by staff (no open sign-up); people log in with their
# username, their email address or their mobile (the one on their person's record), with a
# password or, for a mobile, a code sent by SMS (see "--- auth ---" below).
ACCOUNT_ADAPTER = "chamber.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins: at most 10 a minute from one address; 5 in 5 minutes per login from one
# address (chamber.adapters keys it by login and address: a stranger elsewhere cannot lock a
# login); 100 an hour per login from all addresses together, against guessing spread out.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key", "login_failed_anywhere": "100/h/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "【商会工作台】"
ACCOUNT_PRESERVE_USERNAME_CASING = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["chamber.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private uploads (MEDIA_ROOT/private/) are served by permission-checked views (core.files):
# set to nginx's internal location (e.g. /protected-media/) to hand the bytes to nginx with
# X-Accel-Redirect; empty, Django streams them itself (development, tests).
PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("PRIVATE_MEDIA_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
# Uploads above this size go to a temporary file rather than memory; the logo limit itself
# (5 MB) is checked by the image validator. A request's whole body is capped per path before
# it is read (core.limits.REQUEST_LIMITS, 25 MB unless a form needs more or less), and so is
# the number of files in one post (a visit takes 9 photos).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
DATA_UPLOAD_MAX_NUMBER_FILES = 20

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "商会工作台 <noreply@chamber.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-import-export: every import runs in one transaction, so a file with a bad row
# changes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Off on purpose: it only drops a leading "=" and turns every cell into text. Every resource
# writes its cells through core.exports.safe_cell instead, as the other exports do.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# The chamber's own name, shown in the header, emails and printed pages.
CHAMBER_NAME = os.environ.get("CHAMBER_NAME", "上海市青浦区徐泾镇商会")
# Share posters (notices, spotlights, events) are drawn with this font; it must have Chinese
# characters (Debian: apt-get install fonts-noto-cjk).
CHAMBER_POSTER_FONT = os.environ.get(
    "CHAMBER_POSTER_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)
# Where the site is reached, for links in emails sent outside a request (the daily reminders).
CHAMBER_SITE_URL = os.environ.get("CHAMBER_SITE_URL", "http://127.0.0.1:8000")

# Enterprise visits (联系走访制度): each leader visits at least this many member companies a
# month; leaders below it are reminded after this day of the month; a problem heard is due
# this many days after it was raised.
CHAMBER_VISITS_PER_MONTH = int(os.environ.get("CHAMBER_VISITS_PER_MONTH", "2"))
CHAMBER_VISIT_REMINDER_AFTER_DAY = 20
CHAMBER_PROBLEM_DUE_DAYS = 30
# Cached counts (core.counts): check that each count declares every table its queries read, so a
# table left out fails at once instead of leaving a number stale. On in development and in the
# tests; off in production, where it would cost every recount its SQL scan.
CHAMBER_CHECK_COUNTS = env_bool("CHAMBER_CHECK_COUNTS", DEBUG)

# Production hardening, on whenever DEBUG is off. Behind a TLS-terminating proxy, set
# SECURE_PROXY_SSL_HEADER_TRUSTED=1 so X-Forwarded-Proto: https is believed.
if env_bool("SECURE_PROXY_SSL_HEADER_TRUSTED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (nginx: 1) add themselves to X-Forwarded-For: allauth then counts failed
# logins per client address rather than the proxy's, which would lock out everyone at once.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp) on every response: scripts only from our own files, no
# inline scripts or event handlers anywhere. Inline style attributes stay allowed because the
# Django admin's templates use a few; styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- backoffice ---
# The notice editor (django-prose-editor) loads its modules through an import map, an inline
# <script type="importmap">: the pages that show it give it this request's nonce, and the
# nonce is in the header only on a page that used it (django-csp).
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] = ["'self'", NONCE]
# --- auth ---
# Text messages (core.sms): the console backend (prints each message) unless a provider is set:
# core.sms.aliyun.AliyunBackend or core.sms.tencent.TencentBackend. The sign name and one
# provider template code per message kind (SMS_TEMPLATE_LOGIN_CODE=SMS_123456789, …) come from
# the environment, with the provider's keys (README "短信与微信").
SMS_BACKEND = os.environ.get("SMS_BACKEND", "core.sms.console.ConsoleBackend")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_TEMPLATE_CODES = {
    name.removeprefix("SMS_TEMPLATE_").lower(): value.strip()
    for name, value in os.environ.items()
    if name.startswith("SMS_TEMPLATE_") and value.strip()
}
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
SMS_TENCENT_SECRET_ID = os.environ.get("SMS_TENCENT_SECRET_ID", "")
SMS_TENCENT_SECRET_KEY = os.environ.get("SMS_TENCENT_SECRET_KEY", "")
SMS_TENCENT_SDK_APP_ID = os.environ.get("SMS_TENCENT_SDK_APP_ID", "")
SMS_TENCENT_REGION = os.environ.get("SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_ENDPOINT = os.environ.get("SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")
# Sending a login code to a number on record and sending nothing to one that is not take at
# least this long, so the answer's delay does not tell them apart (no delay with the console).
SMS_SEND_FLOOR_SECONDS = float(
    os.environ.get("SMS_SEND_FLOOR_SECONDS")
    or ("0" if SMS_BACKEND == "core.sms.console.ConsoleBackend" else "1.5")
)

# Login by mobile and SMS code (allauth's login by code; chamber/adapters.py, chamber/phone.py):
# a 6-digit code, valid 5 minutes, 3 tries; a number is sent a code at most once a minute and
# 5 times an hour, and one address asks at most 20 times an hour (asking again is the resend).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = False
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"length": 6, "numeric": True, "dashed": False}
ACCOUNT_FORMS = {"request_login_code": "chamber.phone.PhoneLoginCodeForm"}
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,
    "request_login_code": "20/h/ip,1/m/key,5/h/key",
}

# WeChat login (chamber/wechat.py, allauth's weixin provider): the Open Platform website app
# for the QR code on a PC, the Official Account (公众号) inside WeChat's browser. Either or
# both; with neither, WeChat login is off. Never creates accounts (see SocialAccountAdapter).
INSTALLED_APPS += ["allauth.socialaccount", "allauth.socialaccount.providers.weixin"]
SOCIALACCOUNT_ADAPTER = "chamber.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
WECHAT_OPEN_APP_ID = os.environ.get("WECHAT_OPEN_APP_ID", "")
WECHAT_OPEN_APP_SECRET = os.environ.get("WECHAT_OPEN_APP_SECRET", "")
WECHAT_MP_APP_ID = os.environ.get("WECHAT_MP_APP_ID", "")
WECHAT_MP_APP_SECRET = os.environ.get("WECHAT_MP_APP_SECRET", "")
_wechat_apps = []
if WECHAT_OPEN_APP_ID and WECHAT_OPEN_APP_SECRET:
    _wechat_apps.append(
        {
            "client_id": WECHAT_OPEN_APP_ID,
            "secret": WECHAT_OPEN_APP_SECRET,
            "settings": {
                "browser": "pc",
                "scope": ["snsapi_login"],
                "authorize_url": "https://open.weixin.qq.com/connect/qrconnect",
            },
        }
    )
if WECHAT_MP_APP_ID and WECHAT_MP_APP_SECRET:
    _wechat_apps.append(
        {
            "client_id": WECHAT_MP_APP_ID,
            "secret": WECHAT_MP_APP_SECRET,
            "settings": {
                "browser": "wechat",
                "scope": ["snsapi_userinfo"],
                "authorize_url": "https://open.weixin.qq.com/connect/oauth2/authorize",
            },
        }
    )
# The WeChat button posts to our login URL, which redirects to WeChat's authorisation page:
# browsers hold that redirect to the form-action policy too.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("https://open.weixin.qq.com")
SOCIALACCOUNT_PROVIDERS = {
    "weixin": {"provider_class": "chamber.wechat.WeixinProvider", "APPS": _wechat_apps}
}


# --- notify ---
# The notification service's task queue (django-tasks): the immediate backend sends inside the
# request (development, tests); production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and
# runs `manage.py db_worker` under systemd (README, "Messages and the task worker").
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}
# SMS without a provider goes to the console backend's output only where this is on.
NOTIFY_SMS_TO_CONSOLE = env_bool("NOTIFY_SMS_TO_CONSOLE", DEBUG)
# WeChat template messages from the Official Account (公众号: WECHAT_MP_APP_ID and _SECRET
# above); off unless a template id is set too.
WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com")
# One template id for every kind, or per kind: "event_cancelled=TEMPLATE_ID,event_tomorrow=…".
WECHAT_MP_DEFAULT_TEMPLATE = os.environ.get("WECHAT_MP_DEFAULT_TEMPLATE", "")
WECHAT_MP_TEMPLATES = dict(
    item.strip().split("=", 1)
    for item in os.environ.get("WECHAT_MP_TEMPLATES", "").split(",")
    if "=" in item
)
