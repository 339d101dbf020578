#!/usr/bin/env python
"""The supervisor behind `make run`.

Starts PostgreSQL and Redis unless already running, collects the static files, migrates, loads the
Tbilisi data, then runs every process of the Procfile (the same commands the container runs) with its
output prefixed by its name. Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the Procfile processes and
waits until each of them, children included, has exited; then it stops the services this run
started, and nothing else: a database that was already running stays up. A second Ctrl-C skips the
grace period.

The portal is served as a deployment would serve it (settings.py: DEBUG off, a secret key kept in
var/, hashed and compressed static files); `DEBUG=1 make run` is the developer's variant.

Every child runs in its own session, so a Ctrl-C meant for this supervisor never reaches them
directly: they stop when told and in order, and one that outlives the grace period is killed.
Signal handlers only record the signal; the main loop polls, so a signal never interrupts a
half-done start or stop.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SERVICES = str(ROOT / "bin" / "services")
ALREADY_RUNNING = 10  # bin/services' exit code for "was running before"
SETUP_COMMANDS = [
    # Hashed, compressed static files, as the container builds them (seconds after the first run).
    ["collectstatic", "--noinput", "--verbosity", "0"],
    ["migrate", "--noinput"],
    ["load_tbilisi"],
    ["load_demo"],
    ["load_gazetteer"],
]
# Seconds a process gets to finish after SIGTERM: gunicorn's own graceful_timeout.
GRACE = 30.0
# Seconds to wait for a process group to vanish after SIGKILL before giving up on it.
KILL_WAIT = 5.0

_signals: list[int] = []
_output = threading.Lock()


class Failed(Exception):
    """A step failed: say why, stop everything, exit non-zero."""


def _record_signal(signum, frame):
    _signals.append(signum)


def emit(name: str, line: bytes):
    with _output:
        try:
            sys.stdout.buffer.write(f"{name:>6} | ".encode() + line.rstrip(b"\n") + b"\n")
            sys.stdout.buffer.flush()
        except OSError:  # the terminal is gone (SIGHUP): keep draining the children's pipes
            pass


def say(message: str):
    emit("devrun", message.encode())


class Child:
    """One command in its own session, its output relayed line by line under its name."""

    def __init__(self, name: str, argv: list[str], env: dict):
        self.name = name
        self.proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.relay = threading.Thread(target=self._relay, name=f"relay-{name}", daemon=True)
        self.relay.start()

    def _relay(self):
        for line in iter(self.proc.stdout.readline, b""):
            emit(self.name, line)

    def signal(self, signum: int):
        try:
            os.killpg(self.proc.pid, signum)
        except ProcessLookupError:
            pass

    def alive(self) -> bool:
        """True while the command or anything it forked (gunicorn and Celery workers) runs."""
        if self.proc.poll() is None:
            return True
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            return False
        return True


def stop(children: list[Child]):
    """SIGTERM to every group, wait for all to exit, SIGKILL whatever outlives the grace period."""
    running = [child for child in children if child.alive()]
    if not running:
        return
    say(f"stopping {', '.join(child.name for child in running)}…")
    signals_before = len(_signals)
    for child in running:
        child.signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    while any(child.alive() for child in running):
        if time.monotonic() > deadline or len(_signals) > signals_before:
            for child in running:
                if child.alive():
                    say(f"{child.name} is still running: killing it")
                    child.signal(signal.SIGKILL)
            break
        time.sleep(0.1)
    deadline = time.monotonic() + KILL_WAIT
    while (stuck := [child.name for child in running if child.alive()]) and time.monotonic() < deadline:
        time.sleep(0.1)
    if stuck:
        say(f"could not stop {', '.join(stuck)}: see `ps -eo pid,pgid,cmd`")
    for child in running:
        child.relay.join(timeout=2)  # the last lines, such as "Warm shutdown", still reach the terminal


def start_services(started: list[str]):
    for service in ("postgres", "redis"):
        # Its own session: a Ctrl-C now must not leave a half-started database behind. The signal
        # is acted on once the service is up, and it is then stopped as one this run started.
        rc = subprocess.run([SERVICES, "start", service], start_new_session=True).returncode
        if rc == 0:
            started.append(service)
            say(f"{service}: started; this run stops it at the end")
        elif rc == ALREADY_RUNNING:
            say(f"{service}: already running; left running at the end")
        else:
            raise Failed(f"could not start {service} (bin/services exited {rc})")
        if _signals:
            return


def run_setup(argv: list[str], env: dict, children: list[Child]):
    child = Child("setup", argv, env)
    children.append(child)  # a signal now stops it like any other process of the run
    while child.proc.poll() is None and not _signals:
        time.sleep(0.1)
    if _signals:
        return
    child.relay.join(timeout=2)
    children.remove(child)
    if child.proc.returncode != 0:
        raise Failed(f"`manage.py {' '.join(argv[2:])}` failed with exit code {child.proc.returncode}")


def procfile() -> list[tuple[str, str]]:
    entries = []
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries.append((name.strip(), command.strip()))
    return entries


def web_host(env: dict) -> str:
    host = env.get("HOST", "127.0.0.1")
    return "127.0.0.1" if host in ("", "0.0.0.0") else host


def port_taken(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def listening(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def supervise(children: list[Child], host: str, port: int):
    """Until a signal: fail if any process exits; announce the address once the web answers."""
    announced = False
    while not _signals:
        for child in children:
            if child.proc.poll() is not None:
                raise Failed(f"{child.name} exited with code {child.proc.returncode}; stopping everything")
        if not announced and listening(host, port):
            say(f"Smart Map is running on http://{host}:{port}/ (status: /health/) — Ctrl-C stops it.")
            announced = True
        time.sleep(0.2)


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def child_env(port: int) -> dict:
    env = dict(os.environ, PORT=str(port), PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env["PYTHONUNBUFFERED"] = "1"  # lines reach the terminal as they are written, not in 8 KB blocks
    env.setdefault("WEB_CONCURRENCY", "2")  # a laptop, not a server
    return env


def run(port: int, children: list[Child], started: list[str]):
    env = child_env(port)
    host = web_host(env)
    if port_taken(host, port):
        raise Failed(f"port {port} on {host} is taken (another `make run`?): try `make run PORT={port + 1}`")
    say(f"database {without_password(env.get('DATABASE_URL', '(settings default)'))}")
    say(f"redis    {without_password(env.get('REDIS_URL', '(settings default)'))}")
    start_services(started)
    python = str(VENV_BIN / "python")
    for command in SETUP_COMMANDS:
        if not _signals:
            run_setup([python, "manage.py", *command], env, children)
    if not _signals:
        for name, command in procfile():
            # `exec`: the command itself leads its group, so its pid and exit code are the real ones.
            children.append(Child(name, ["/bin/sh", "-c", f"exec {command}"], env))
        supervise(children, host, port)
    say(f"{signal.Signals(_signals[0]).name} received")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # `nohup make run` keeps ignoring hangups
            signal.signal(signum, _record_signal)
    children: list[Child] = []
    started: list[str] = []
    code = 0
    try:
        run(args.port, children, started)
    except Failed as exc:
        say(str(exc))
        code = 1
    finally:
        stop(children)
        for service in reversed(started):
            say(f"stopping {service}")
            subprocess.run([SERVICES, "stop", service], start_new_session=True)
        say("Stopped.")
    return code


if __name__ == "__main__":
    sys.exit(main())
