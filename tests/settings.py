"""Test settings: the project's settings over one temp data dir per test session.

The environment is set before mediahub.settings reads it; the embedded
PostgreSQL starts in that dir on first connect and is deleted at exit.
"""

import atexit
import os
import shutil
import tempfile

_data_dir = tempfile.mkdtemp(prefix="mediahub-test-")
os.environ["MEDIAHUB_DATA_DIR"] = _data_dir
os.environ.pop("DATABASE_URL", None)  # tests always run on the embedded server
os.environ.pop("REDIS_URL", None)
# Many short-lived test servers (this session's, and those tests start in subprocesses, which inherit
# the environment): PostgreSQL's own small default, not a quarter of the machine each.
os.environ.setdefault("MEDIAHUB_DB_SHARED_BUFFERS", "128MB")
os.environ.setdefault("MEDIAHUB_DB_EFFECTIVE_CACHE_SIZE", "1GB")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Registered first, so it runs after pgserver's own atexit stop (atexit is LIFO).
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

from django.conf import global_settings  # noqa: E402

from mediahub.settings import *  # noqa: E402,F403

# Serve static files straight from the source folders, as DEBUG would.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Map pages draw a blank local tile: tests never reach a tile server on the network.
MEDIAHUB_MAP_TILE_URL = "/static/img/blank-tile.png?{z}/{x}/{y}"
MEDIAHUB_MAP_ATTRIBUTION = "Test tiles"
# Test users' passwords are hashed cheaply (tests/hashers.py); the production hashers still verify.
PASSWORD_HASHERS = ["tests.hashers.FastPBKDF2PasswordHasher", *global_settings.PASSWORD_HASHERS]
