"""The project's settings for bench runs, with one change: database connections are kept for the run.

With the project's CONN_MAX_AGE = 60 every gunicorn worker opens a new PostgreSQL session each
minute, and a new session pays a few hundred milliseconds on its first tile query (loading PostGIS
and PROJ in the new backend). The bench measures steady state; the JSON result records this.
"""

from smartmap.settings import *  # noqa: F403
from smartmap.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = None
