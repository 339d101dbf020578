"""The Docker deployment (Dockerfile, .dockerignore, docker-compose.yml) agrees with the project.

Docker cannot run where the tests run, so these files are kept correct by reading them: the compose
services run the Procfile's commands, pass only variables the settings read, point at the compose
database and Redis, and mount only declared volumes; the image is built the way those services need it.
Two tests go further and run the project under the exact environment compose would give a container:
the deployment checklist, and gunicorn answering web's own healthcheck. Compose's `${VAR:-default}`
interpolation is reproduced here for that; `docker compose config` checks the file itself where the
Compose plugin is installed.
"""

import ast
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
ESSENTIAL = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}
# What an operator's shell or .env would hold; WEB_CONCURRENCY=1 keeps the gunicorn test light.
HOST_ENV = {
    "SECRET_KEY": "k3#Vq9" * 10,
    "POSTGRES_PASSWORD": "0f3a9c",
    "SITE_URL": "https://map.example.ge",
    "WEB_CONCURRENCY": "1",
}
_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>\w+)")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service(name: str) -> dict:
    return compose()["services"][name]


def procfile() -> dict[str, list[str]]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = shlex.split(command)
    return entries


def command_tokens(value) -> list[str]:
    return shlex.split(value) if isinstance(value, str) else [str(token) for token in value]


def environment(svc: dict) -> dict[str, str | None]:
    """A service's environment as {name: value}; None is compose's pass-through-if-set."""
    raw = svc.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, None) for item in raw)
    return {name: None if value is None else str(value) for name, value in raw.items()}


def interpolate(value: str, host_env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error} and $$."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match["name"] or match["bare"], match["op"] or "", match["arg"]
        current = host_env.get(name)
        missing = current is None or (current == "" and op.startswith(":"))
        if op.endswith("?") and missing:
            raise LookupError(f"{name}: {arg}")
        if op.endswith("-") and missing:
            return arg
        return current or ""

    return _VARIABLE.sub(replace, value)


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comment lines dropped and continuation lines joined."""
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.lstrip().startswith("#")]
    text = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in text.splitlines() if line.strip()]


def dockerfile_env() -> dict[str, str]:
    pairs = [token.split("=", 1) for kind, args in dockerfile() if kind == "ENV" for token in shlex.split(args)]
    return dict(pairs)


def container_env(name: str, host_env: dict[str, str]) -> dict[str, str]:
    """The environment compose gives a service's container: the image's ENV, then `environment`."""
    env = dockerfile_env()
    for key, value in environment(service(name)).items():
        if value is not None:
            env[key] = interpolate(value, host_env)
        elif key in host_env:
            env[key] = host_env[key]
    return env


def variables_the_app_reads() -> set[str]:
    """Literal names passed to settings.py's env_* readers and to os.environ.get in gunicorn.conf.py."""
    names = set()
    for path in ("smartmap/settings.py", "smartmap/env.py", "gunicorn.conf.py"):
        for node in ast.walk(ast.parse((ROOT / path).read_text())):
            if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            called = ast.unparse(node.func)
            if called in ENV_READERS or called == "os.environ.get":
                names.add(node.args[0].value)
    return names


def test_it_defines_the_services_of_a_deployment():
    services = compose()["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgis/postgis:")
    assert services["redis"]["image"].split(":")[0] == "redis"
    assert "--appendonly" in command_tokens(services["redis"]["command"])


def test_it_runs_the_procfile_command_in_each_app_service():
    entries = procfile()
    for name in APP_SERVICES:
        assert command_tokens(service(name)["command"]) == entries[name], name


def test_it_serves_the_procfile_web_command_when_the_image_runs_without_a_command():
    instructions = dockerfile()
    commands = [args for kind, args in instructions if kind == "CMD"]
    assert json.loads(commands[-1]) == procfile()["web"]  # exec form: SIGTERM reaches gunicorn, not a shell
    # An ENTRYPOINT would turn each compose `command` into its arguments instead of the Procfile line.
    assert "ENTRYPOINT" not in {kind for kind, _ in instructions}


def test_it_passes_only_variables_the_app_reads():
    known = variables_the_app_reads()
    assert set(ESSENTIAL) <= known
    for name in (*APP_SERVICES, "migrate"):
        unknown = set(environment(service(name))) - known
        assert not unknown, f"{name} sets variables nothing reads: {sorted(unknown)}"


def test_it_gives_every_app_service_the_same_essential_settings():
    for name in ESSENTIAL:
        values = {svc: environment(service(svc)).get(name) for svc in (*APP_SERVICES, "migrate")}
        assert values["web"] is not None, f"{name} is not set"
        assert len(set(values.values())) == 1, f"{name} differs between services: {values}"


def test_it_points_the_app_at_the_compose_database_and_redis():
    env = container_env("web", HOST_ENV)
    database, broker = urlparse(env["DATABASE_URL"]), urlparse(env["REDIS_URL"])
    assert (database.scheme, database.hostname, database.port) == ("postgis", "db", 5432)
    assert database.password == HOST_ENV["POSTGRES_PASSWORD"]
    assert (broker.scheme, broker.hostname, broker.port) == ("redis", "redis", 6379)


def test_it_runs_with_debug_off_and_a_secret_key_it_must_be_given():
    env = environment(service("web"))
    assert env["DEBUG"] == "0"
    assert re.fullmatch(r"\$\{SECRET_KEY:?\?[^}]+\}", env["SECRET_KEY"])
    with pytest.raises(LookupError, match="SECRET_KEY"):
        container_env("web", {k: v for k, v in HOST_ENV.items() if k != "SECRET_KEY"})
    # The build's throwaway key lives in one RUN step, never in the image's environment or build args.
    baked = [args for kind, args in dockerfile() if kind in {"ENV", "ARG"} and "SECRET_KEY" in args]
    assert not baked


def test_it_health_checks_the_database_redis_and_web():
    services = compose()["services"]
    assert command_tokens(services["db"]["healthcheck"]["test"])[1] == "pg_isready"
    assert command_tokens(services["redis"]["healthcheck"]["test"])[1:] == ["redis-cli", "ping"]
    web_check = command_tokens(services["web"]["healthcheck"]["test"])
    assert web_check[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/health/live/" in web_check[3]
    assert dockerfile_env()["PORT"] == "8000"


def test_it_starts_the_app_only_on_a_healthy_database_and_redis_after_migrating():
    for name in APP_SERVICES:
        depends = service(name)["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    migrate = service("migrate")
    assert command_tokens(migrate["command"])[:3] == ["python", "manage.py", "migrate"]
    assert migrate["restart"] == "no"


def named_volumes(svc: dict) -> dict[str, str]:
    """{volume name: target} for named volumes; host paths (bind mounts) are left out."""
    mounts = {}
    for entry in svc.get("volumes", []):
        source, target = (entry.split(":")[:2]) if isinstance(entry, str) else (entry.get("source"), entry["target"])
        if source and not source.startswith((".", "/", "~", "$")):
            mounts[source] = target
    return mounts


def test_it_declares_every_named_volume_it_mounts():
    declared = set(compose().get("volumes") or {})
    for name, svc in compose()["services"].items():
        undeclared = set(named_volumes(svc)) - declared
        assert not undeclared, f"{name} mounts undeclared volumes {sorted(undeclared)}"
    assert named_volumes(service("db"))
    assert named_volumes(service("redis"))


def test_it_shares_one_media_volume_at_media_root_between_web_and_worker():
    media_root = container_env("web", HOST_ENV)["MEDIA_ROOT"]
    web, worker = named_volumes(service("web")), named_volumes(service("worker"))
    shared = {name for name in set(web) & set(worker) if web[name] == worker[name] == media_root}
    assert shared, f"no volume is mounted at MEDIA_ROOT ({media_root}) in both web and worker"
    # The app user can write there (and the beat schedule beside it): the image hands var/ to that user.
    assert media_root.startswith(dockerfile_env()["SMARTMAP_VAR_DIR"] + "/")


def test_it_builds_a_non_root_image_with_the_runtime_libraries():
    instructions = dockerfile()
    runs = " ".join(args for kind, args in instructions if kind == "RUN")
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm")
    for package in ("libgdal", "libgeos-c1v5", "libproj25", "gettext"):
        assert package in runs, package
    assert re.search(r"pip install .*-r requirements\.txt", runs)
    assert re.search(r"SECRET_KEY=\S+ python manage\.py collectstatic --noinput", runs)
    assert "compilemessages" in runs
    users = [args.strip() for kind, args in instructions if kind == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert f"chown -R {users[-1]}" in runs
    assert ("EXPOSE", "8000") in instructions
    assert dockerfile_env()["HOST"] == "0.0.0.0"  # gunicorn.conf.py binds HOST:PORT


def test_it_keeps_local_state_and_secrets_out_of_the_build_context():
    patterns = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "var", ".env"} <= patterns
    needed = ("requirements.txt", "manage.py", "gunicorn.conf.py", "smartmap", "static", "templates", "locale")
    assert not patterns & set(needed)


def _run_in_container_env(args: list[str], **overrides) -> subprocess.CompletedProcess:
    env = {**container_env("web", HOST_ENV), **overrides, "PATH": f"{Path(sys.executable).parent}:{os.defpath}"}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_it_passes_the_deployment_checklist_with_the_compose_environment():
    result = _run_in_container_env([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _probe_when_listening(probe: str, port: int, proc: subprocess.Popen) -> subprocess.CompletedProcess | None:
    """Run the probe once gunicorn listens, with compose's three retries; None if it never listened."""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.2)
            continue
        for _ in range(3):
            result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=15)
            if result.returncode == 0:
                break
            time.sleep(1)
        return result
    return None


@pytest.mark.slow
def test_it_answers_the_web_healthcheck_when_run_with_the_compose_environment(tmp_path):
    """The Procfile's web under compose's environment passes web's own probe (SSL redirect, ALLOWED_HOSTS)."""
    port = _free_port()
    probe = command_tokens(service("web")["healthcheck"]["test"])[3]
    local_probe = probe.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    assert local_probe != probe
    env = {**container_env("web", HOST_ENV), "HOST": "127.0.0.1", "PORT": str(port)}
    env["PATH"] = f"{Path(sys.executable).parent}:{os.defpath}"
    log = tmp_path / "web.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(procfile()["web"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        result = _probe_when_listening(local_probe, port, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    output = "\n--- gunicorn ---\n" + log.read_text(errors="replace")[-4000:]
    assert result is not None, "gunicorn never listened" + output
    assert result.returncode == 0, result.stderr + output


def test_it_is_a_valid_compose_file_for_docker_compose():
    docker = shutil.which("docker") or "/usr/local/bin/docker"
    if not Path(docker).exists() or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        pytest.skip("the Docker Compose plugin is not installed here")
    result = subprocess.run(
        [docker, "compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env={**os.environ, **{name: HOST_ENV[name] for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "SITE_URL")}},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
