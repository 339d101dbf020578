"""Settings come from the environment, and production refuses unsafe defaults."""

import os
import subprocess
import sys

from django.conf import settings

# The test process itself sets these; a deployment never would.
_TEST_ONLY = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _clean_env(**env):
    return {**{k: v for k, v in os.environ.items() if k not in _TEST_ONLY}, **env}


def _run(code: str, **env):
    full_env = _clean_env(**env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_it_refuses_to_start_with_debug_off_and_the_default_secret_key():
    result = _run("import smartmap.settings", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_a_boolean_it_cannot_read():
    result = _run("import smartmap.settings", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_clean_env(DEBUG="0", SECRET_KEY="x7#kq" * 12, ALLOWED_HOSTS="smartmap.tbilisi.gov.ge"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_keeps_sessions_in_the_database_so_a_redis_outage_logs_nobody_out():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
