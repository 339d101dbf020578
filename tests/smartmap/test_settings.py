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


def _settings(code: str, **env) -> str:
    result = _run(f"import smartmap.settings as s; print({code})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_refuses_to_start_with_debug_off_and_the_development_secret_key(tmp_path):
    result = _run(
        "import smartmap.settings",
        DEBUG="0",
        SECRET_KEY="dev-only-insecure-key-do-not-use-in-production",
        SMARTMAP_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_runs_with_debug_off_unless_a_developer_asks(tmp_path):
    assert _settings("s.DEBUG", SMARTMAP_VAR_DIR=str(tmp_path)) == "False"
    assert _settings("s.DEBUG", DEBUG="1", SMARTMAP_VAR_DIR=str(tmp_path)) == "True"


def test_it_generates_a_private_secret_key_once_and_keeps_it(tmp_path):
    first = _settings("s.SECRET_KEY", SMARTMAP_VAR_DIR=str(tmp_path))
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first and len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert _settings("s.SECRET_KEY", SMARTMAP_VAR_DIR=str(tmp_path)) == first
    # A key given in the environment wins, and the file is left alone.
    assert _settings("s.SECRET_KEY", SMARTMAP_VAR_DIR=str(tmp_path), SECRET_KEY="given" * 10) == "given" * 10
    assert key_file.read_text().strip() == first


def test_it_closes_a_key_file_someone_opened_up(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 60)
    (tmp_path / "secret_key").chmod(0o644)
    assert _settings("s.SECRET_KEY", SMARTMAP_VAR_DIR=str(tmp_path)) == "k" * 60
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


HTTPS_SWITCHES = "(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"


def test_it_forces_https_only_where_the_site_is_served_over_https(tmp_path):
    local = _settings(HTTPS_SWITCHES, SMARTMAP_VAR_DIR=str(tmp_path), SITE_URL="http://127.0.0.1:8000")
    public = _settings(HTTPS_SWITCHES, SMARTMAP_VAR_DIR=str(tmp_path), SITE_URL="https://map.tbilisi.gov.ge")
    developer = _settings(HTTPS_SWITCHES, SMARTMAP_VAR_DIR=str(tmp_path), SITE_URL="https://x.ge", DEBUG="1")
    assert local == "(False, False, False, False)"
    assert public == "(True, True, True, True)"
    assert developer == "(False, False, False, False)"


def test_it_refuses_a_boolean_it_cannot_read():
    result = _run("import smartmap.settings", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_clean_env(
            DEBUG="0",
            SECRET_KEY="x7#kq" * 12,
            ALLOWED_HOSTS="smartmap.tbilisi.gov.ge",
            SITE_URL="https://smartmap.tbilisi.gov.ge",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_keeps_sessions_in_the_database_so_a_redis_outage_logs_nobody_out():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
