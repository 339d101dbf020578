"""bench.settings for the forum bench, whose pages render in-process without a collectstatic first.

Static addresses come unhashed from static/ (as in tests/settings.py); looking a name up in the
hashed manifest instead is one dictionary lookup, nothing the figures could see.
"""

from bench.settings import *  # noqa: F403
from bench.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
