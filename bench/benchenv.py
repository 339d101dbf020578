"""Where the benchmarks find PostgreSQL and Redis, and which databases they own.

The same ports as the rest of the project (SMARTMAP_PG_PORT, SMARTMAP_REDIS_PORT, read as settings.py
and bin/services read them), so a benchmark talks to the services `make run` and `bin/services start`
started, never to someone else's. BENCH_DB_SUFFIX gives every benchmark database a suffix: the smoke
runs of `make test` (tests/bench/) use "_smoke" and so never touch the million-row sets a full run has
loaded and reuses.
"""

import os

PG_PORT = int(os.environ.get("SMARTMAP_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("SMARTMAP_REDIS_PORT", "63799"))
SUFFIX = os.environ.get("BENCH_DB_SUFFIX", "")
PG = {"host": "127.0.0.1", "port": PG_PORT, "user": "smartmap", "password": "smartmap"}


def db_name(base: str) -> str:
    return f"{base}{SUFFIX}"


def database_url(base: str) -> str:
    """The Django DATABASE_URL of this benchmark's database."""
    return f"postgis://{PG['user']}:{PG['password']}@{PG['host']}:{PG['port']}/{db_name(base)}"


def conninfo(dbname: str) -> str:
    """A psycopg connection string to any database of the local server (by its full name)."""
    return f"host={PG['host']} port={PG['port']} user={PG['user']} password={PG['password']} dbname={dbname}"


def redis_url(db: int) -> str:
    return f"redis://127.0.0.1:{REDIS_PORT}/{db}"


def ensure_database(dbname: str) -> bool:
    """Create the database with PostGIS if it is missing; True when it was created now."""
    import psycopg

    with psycopg.connect(conninfo("postgres"), autocommit=True) as conn:
        created = not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if created:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    with psycopg.connect(conninfo(dbname), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return created


def load_average() -> dict:
    """How busy the machine was: the figures of a shared machine are read with this beside them."""
    one, five, fifteen = os.getloadavg()
    return {"cpus": os.cpu_count(), "load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}
