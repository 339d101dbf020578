"""Test settings: the real services, kept apart from the developer's data.

The test database is test_smartmap (pytest-django creates it); Redis DB 1 keeps the test broker and
cache away from a `make run` in progress on DB 0. Worker processes started by tests import this
module too, with DATABASE_URL pointing at the test database.
"""

import os

os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:63799/1")
os.environ.setdefault("CACHE_KEY_PREFIX", "smartmap-test")

from smartmap.settings import *  # noqa: E402,F403
from smartmap.settings import DATABASES

DATABASES["default"]["TEST"] = {"NAME": "test_smartmap"}
# A fast hasher: tests create many users; the real hasher proves nothing here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
