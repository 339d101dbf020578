"""Delivering the ledger through a real SMTP conversation, several workers at once, beside its floor.

The mail server is aiosmtpd's Sink (it answers 250 and drops the message) in a process of its own
on loopback, so the workers speak SMTP exactly as to a provider: connect, EHLO, MAIL FROM, RCPT TO,
DATA, 250. The workers are processes running subscriptions.delivery.deliver_due() in a loop, as
deliver_notifications and its drain_notifications helpers do in Celery workers (the Celery hop itself
is one Redis round trip per task, not per email). The floor is the SMTP conversation alone: the same
number of processes sending the same number of already-built messages of the same size over one
connection each, with nothing read from or written to the database.
"""

import multiprocessing
import smtplib
import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SinkServer:
    """`python -m aiosmtpd` with its Sink handler, on a free loopback port."""

    def __init__(self):
        self.port, self.proc = free_port(), None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with smtplib.SMTP("127.0.0.1", self.port, timeout=1) as smtp:
                    smtp.noop()
                return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit("aiosmtpd did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)


def _send_raw(port: int, message: bytes, count: int):
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(count):
            smtp.sendmail("noreply@smartmap.example", [f"resident{i}@example.ge"], message)


def smtp_floor(port: int, message: bytes, total: int, workers: int) -> float:
    """Seconds for `workers` processes to send `total` copies of message, one connection each."""
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_send_raw, args=(port, message, total // workers)) for _ in range(workers)]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    return time.perf_counter() - started


def _drain(search_path: str, counter):
    from django.db import connection

    from subscriptions.delivery import deliver_due

    with connection.cursor() as cursor:  # this process's own connection to the same bench schema
        cursor.execute(f"SET search_path TO {search_path}")
    sent = 0
    while got := deliver_due():
        sent += got
    with counter.get_lock():
        counter.value += sent


def drain_in_parallel(search_path: str, workers: int) -> tuple[float, int]:
    """(seconds, emails) for `workers` processes draining the ledger with deliver_due()."""
    from django.db import connections

    connections.close_all()  # every child opens its own connection, as a Celery worker process does
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    procs = [ctx.Process(target=_drain, args=(search_path, counter)) for _ in range(workers)]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit(f"a delivery worker failed (exit {proc.exitcode})")
    return time.perf_counter() - started, counter.value
