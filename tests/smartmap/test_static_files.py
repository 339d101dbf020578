"""Static files as `make run` and the container serve them: hashed, compressed, cached for a year.

A child process with the deployment's settings (DEBUG off, nothing else set) runs collectstatic into
a temporary var/ and asks WhiteNoise, through Django's test client, for the map page's script.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", "--noinput", verbosity=0)
client = Client()
url = static("js/map.js")
answers = {}
for encoding in ("br", "gzip", ""):
    r = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
    answers[encoding or "none"] = [r.status_code, r.get("Content-Encoding", ""), r.get("Cache-Control", ""), len(b"".join(r.streaming_content))]
plain = client.get("/static/js/map.js")
live = client.get("/health/live/")
print(json.dumps({"url": url, "answers": answers, "plain": plain.status_code, "live": live.status_code}))
"""


def test_it_serves_hashed_brotli_and_gzip_files_cached_for_a_year_without_forcing_https(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SITE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="smartmap.settings", SMARTMAP_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["url"].startswith("/static/js/map.") and probe["url"] != "/static/js/map.js"
    br, gz, none = probe["answers"]["br"], probe["answers"]["gzip"], probe["answers"]["none"]
    for status, _, cache, _ in (br, gz, none):
        assert status == 200
        max_age = int(cache.split("max-age=")[1].split(",")[0])
        assert max_age >= 365 * 24 * 3600 and "immutable" in cache
    assert br[1] == "br" and gz[1] == "gzip" and none[1] == ""
    assert br[3] < gz[3] < none[3]
    # Only hashed names are kept (an old page never mixes new and old modules), and a plain-HTTP
    # local address is served, not redirected to https.
    assert probe["plain"] == 404
    assert probe["live"] == 200
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


DEBUG_PROBE = r"""
import json, django
django.setup()
from django.templatetags.static import static
from django.test import Client
client = Client()
script = client.get(static("js/map.js"))
missing = client.get("/en/no-such-page/")
print(json.dumps({"url": static("js/map.js"), "script": script.status_code, "cache": script.get("Cache-Control", ""),
                  "missing": missing.status_code, "technical": "URLconf" in missing.content.decode()}))
"""


def test_it_serves_live_unhashed_files_and_debug_pages_when_a_developer_asks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SITE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="smartmap.settings", SMARTMAP_VAR_DIR=str(tmp_path), DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-c", DEBUG_PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["url"] == "/static/js/map.js" and probe["script"] == 200
    assert "immutable" not in probe["cache"]
    assert probe["missing"] == 404 and probe["technical"]
    assert not (tmp_path / "secret_key").exists()  # the development key: nothing written
