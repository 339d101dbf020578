"""Test settings: the real services, kept apart from the developer's data.

The test database is test_smartmap_<pid> (pytest-django creates and drops it); Redis DB 1 keeps the test broker and
cache away from a `make run` in progress on DB 0. Worker processes started by tests import this
module too, with DATABASE_URL pointing at the test database.
"""

import os

os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:{os.environ.get('SMARTMAP_REDIS_PORT', '63799')}/1")
# Per test process, inherited by the worker processes tests start: parallel runs on one machine
# must not take each other's tasks or cached tiles.
os.environ.setdefault("CACHE_KEY_PREFIX", f"smartmap-test-{os.getpid()}")
os.environ.setdefault("SMARTMAP_TEST_QUEUE", f"test-{os.getpid()}")

from smartmap.settings import *  # noqa: E402,F403
from smartmap.settings import DATABASES, STORAGES

# Pages render straight from static/, with no collectstatic before every run (test_static_files.py
# checks the deployment's hashed, compressed files on their own).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True

# One test database per pytest process: parallel runs (a developer's and CI's, or several
# engineers on one machine) must never create and drop each other's database mid-run.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SMARTMAP_TEST_DB", f"test_smartmap_{os.getpid()}")}
CELERY_TASK_DEFAULT_QUEUE = os.environ["SMARTMAP_TEST_QUEUE"]
# A fast hasher: tests create many users; the real hasher proves nothing here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
