"""Smart Map Tbilisi settings: one module, every knob read from the environment.

Without any variable the portal serves as a deployment would (``make run``): DEBUG off, a secret key
generated once into var/ and kept there, hashed and compressed static files. Developers ask for the
debugging pages and live static files with DEBUG=1. HTTPS is enforced (redirect, secure cookies, HSTS)
exactly when SITE_URL says the site is served over https, so a plain-HTTP local address keeps working.
The variables are listed in the README and are the same ones docker-compose.yml passes to every service.
"""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from smartmap.env import database_from_url, env_bool, env_int, env_list, env_str, secret_key_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SMARTMAP_VAR_DIR", str(BASE_DIR / "var")))
# Real Tbilisi boundaries live beside the project, never inside it (see ../shared/data/README.md).
SHARED_DATA_DIR = Path(env_str("SMARTMAP_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") or (_DEV_SECRET_KEY if DEBUG else secret_key_file(VAR_DIR / "secret_key"))
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("DEBUG is off but SECRET_KEY is the development default: set SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many reverse proxies (nginx, a load balancer) stand in front of gunicorn and append to
# X-Forwarded-For; client addresses for rate limits are read accordingly.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "allauth",
    "allauth.account",
    "accounts",
    "places",
    "layers",
    "subscriptions",
    "fixtracker",
    "forum",
    "moderation",
    "stats",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a value: NUL, control characters, oversized or broken bodies (400/413).
    "smartmap.middleware.HostileInput",
    "smartmap.language.PageLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "smartmap.urls"
WSGI_APPLICATION = "smartmap.wsgi.application"

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
                "django.template.context_processors.i18n",
                # The portal's share tags for pages that set none (base.html includes them everywhere).
                "smartmap.sharing.default_share",
            ],
            # A capfirst that leaves Georgian alone, and hreflang links, in every template.
            "builtins": ["smartmap.templatetags"],
        },
    },
]

# The local services' ports (bin/services reads the same variables), so two checkouts can run side by side.
PG_PORT = env_int("SMARTMAP_PG_PORT", 54329)
REDIS_PORT = env_int("SMARTMAP_REDIS_PORT", 63799)
DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"postgis://smartmap:smartmap@127.0.0.1:{PG_PORT}/smartmap"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", f"redis://127.0.0.1:{REDIS_PORT}/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # The cache is an optimisation, never a dependency: with Redis down, reads miss and writes
        # are dropped instead of raising, so pages, logins and reports keep working.
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "smartmap"),
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions live in PostgreSQL so that a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

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
SITE_ID = 1
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# Changing the address: the new one replaces the old only once it is confirmed from its own inbox.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Smart Map] "

LANGUAGE_CODE = "ka"
LANGUAGES = [("ka", "ქართული"), ("en", "English")]
# locale/: the portal's own strings (makemessages writes here, it must come first).
# locale_thirdparty/: Georgian for Django, DRF and allauth strings the portal shows whose upstream
# catalogues are incomplete or missing; hand-maintained, and first match wins, so ours override.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_thirdparty"]
USE_I18N = True
TIME_ZONE = "Asia/Tbilisi"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "smartmap.staticstorage.StaticFilesStorage"
    },
}
# Without DEBUG, collectstatic (in `make run` and in the image) writes every file under a content hash,
# with .gz and .br (Brotli) beside it; WhiteNoise serves the smallest the browser accepts, and the
# hashed names as immutable for a year and more. With DEBUG, files come live from static/.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Outgoing mail: an SMTP server when configured, otherwise files under var/mail/ for the local run.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Smart Map Tbilisi <noreply@smartmap.tbilisi.gov.ge>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule"))
CELERY_BEAT_SCHEDULE: dict = {
    "poll-layer-feeds": {"task": "layers.tasks.poll_feeds", "schedule": 300.0},
    "deliver-notifications": {"task": "subscriptions.tasks.deliver_notifications", "schedule": 60.0},
    "mark-overdue-reports": {"task": "fixtracker.tasks.mark_overdue_reports", "schedule": 60.0},
    "notify-new-reports": {"task": "fixtracker.tasks.notify_new_reports", "schedule": 60.0},
    "sweep-report-photos": {"task": "fixtracker.photos.sweep_photos", "schedule": 300.0},
    "sweep-forum-photos": {"task": "forum.photos.sweep_post_photos", "schedule": 300.0},
    # Nightly full open-data dumps, when the city is asleep (Tbilisi time: CELERY_TIMEZONE).
    "write-opendata-dumps": {"task": "opendata.tasks.write_dumps", "schedule": crontab(hour=3, minute=15)},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "smartmap.api.exception_handler",
    # One JSON reader (depth limit, objects only, number range, text rule): smartmap/parsers.py.
    "DEFAULT_PARSER_CLASSES": [
        "smartmap.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Smart Map Tbilisi API",
    "DESCRIPTION": "Open data and civic participation API of the Tbilisi Smart Map.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc assets come from the vendored sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The error shape and the errors every operation can answer (smartmap/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "smartmap.schema.document_errors"],
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (41.7151, 44.8271),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 9,
    "MAX_ZOOM": 19,
    "TILES": [
        (
            "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            {"attribution": "&copy; OpenStreetMap contributors", "maxZoom": 19},
        )
    ],
}
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Optional outside geocoder for the search box (a Nominatim-compatible /search URL); the offline
# gazetteer answers without it.
SEARCH_GEOCODER_URL = env_str("SEARCH_GEOCODER_URL", "")
SEARCH_GEOCODER_TIMEOUT = float(env_str("SEARCH_GEOCODER_TIMEOUT", "2"))

# Production hardening: on whenever DEBUG is off and the site is served over https (SITE_URL), each
# switch overridable for odd deployments. Forcing HTTPS on http://127.0.0.1:8000 would lock a local
# run out of its own pages (redirects to a port nothing answers, cookies the browser never sends back).
_HTTPS = not DEBUG and SITE_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Health: how long /health/ waits for a Celery worker to answer a ping.
HEALTH_CELERY_TIMEOUT = float(env_str("HEALTH_CELERY_TIMEOUT", "1.5"))

# Django 5.2 asks for GDAL 3.9+ to block file and network access from spatial references. Debian 12
# ships 3.6. We never hand user-supplied spatial references to Django's GDAL: API geometries are
# GeoJSON with any "crs" member refused before parsing, and importers read files through pyogrio.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Area subscriptions (see subscriptions/matching.py and subscriptions/delivery.py).
SUBSCRIPTIONS_HISTORY_WINDOW_DAYS = env_int("SUBSCRIPTIONS_HISTORY_WINDOW_DAYS", 30)
SUBSCRIPTIONS_INSTANT_GATHER_SECONDS = env_int("SUBSCRIPTIONS_INSTANT_GATHER_SECONDS", 120)
# A row claimed by a worker that has not finished within this time is assumed lost with its
# worker and is claimed again (the one window in which a message can be sent twice).
SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS = env_int("SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS", 600)
SUBSCRIPTIONS_MAX_ATTEMPTS = env_int("SUBSCRIPTIONS_MAX_ATTEMPTS", 6)
# The first retry after a failed send waits this long, each further one twice as long as the last.
SUBSCRIPTIONS_RETRY_SECONDS = env_int("SUBSCRIPTIONS_RETRY_SECONDS", 120)
# How many tasks drain a large backlog at once (beat's run and its helpers; subscriptions/tasks.py).
SUBSCRIPTIONS_DELIVERY_PARALLEL = env_int("SUBSCRIPTIONS_DELIVERY_PARALLEL", 4)
# The most subscriptions (follows included) one account, and one address without an account, may
# have at a time; the next is refused with a message naming the limit (subscriptions/actions.py).
SUBSCRIPTIONS_MAX_PER_ACCOUNT = env_int("SUBSCRIPTIONS_MAX_PER_ACCOUNT", 50)
SUBSCRIPTIONS_MAX_PER_EMAIL = env_int("SUBSCRIPTIONS_MAX_PER_EMAIL", 20)

# Fix-Tbilisi: original photos (with EXIF/GPS) are kept here, outside MEDIA_ROOT, staff-only.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))

# Open data: the licence every export, the catalogue and the page name; how many nightly dumps
# (MEDIA_ROOT/opendata/) are kept.
OPEN_DATA_LICENCE = env_str("OPEN_DATA_LICENCE", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = env_str("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_DUMPS_KEEP = env_int("OPEN_DATA_DUMPS_KEEP", 7)

# Moderation: this many flags from distinct accounts older than MODERATION_FLAG_ACCOUNT_DAYS hide a
# post or report until a moderator reviews it.
MODERATION_AUTO_HIDE_FLAGS = env_int("MODERATION_AUTO_HIDE_FLAGS", 3)
MODERATION_FLAG_ACCOUNT_DAYS = 3
