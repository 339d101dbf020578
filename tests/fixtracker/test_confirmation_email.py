"""The confirmation email is part of submitting: every way in sends it, and none fails with the mail server.

A real SMTP server on loopback (aiosmtpd) that accepts, refuses every message, or is not there at
all. Whatever it does, the report is stored, unconfirmed, and the reporter gets the usual answer.
"""

import socket

import pytest
from aiosmtpd.controller import Controller

from fixtracker.models import Open311Key, Report
from tests.fixtracker.conftest import LAMP

FORM = {
    "category": "lamp-out",
    "lon": str(LAMP.x),
    "lat": str(LAMP.y),
    "description": "ნათურა არ ანათებს",
    "email": "nino@example.ge",
}


class Server:
    def __init__(self, answer: str):
        self.answer, self.attempts = answer, []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.attempts.append(envelope.rcpt_tos)
        return self.answer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["accepts", "refuses", "is not there"])
def mail_server(request, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", _free_port(), False
    settings.EMAIL_TIMEOUT = 5
    server = Server("250 OK" if request.param == "accepts" else "554 5.7.1 Service unavailable")
    server.kind = request.param
    if request.param == "is not there":
        yield server
        return
    controller = Controller(server, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    yield server
    controller.stop()


def _by_api(client):
    response = client.post("/api/v1/reports/", FORM)
    assert response.status_code == 201 and response.json()["confirmed"] is False


def _by_form(client):
    response = client.post("/en/report/", FORM)
    assert response.status_code == 302 and response["Location"].endswith("/report/")


def _by_open311(client):
    key = Open311Key.issue("Civic App")[1]
    fields = {"api_key": key, "service_code": "lamp-out", "lat": FORM["lat"], "long": FORM["lon"]}
    response = client.post("/open311/v2/requests.json", {**fields, "email": FORM["email"], "description": "x"})
    assert response.status_code == 201 and "token" in response.json()[0]


@pytest.mark.parametrize("submit", [_by_api, _by_form, _by_open311], ids=["api", "form", "open311"])
def test_it_stores_the_report_whatever_the_mail_server_does(
    client, db, mail_server, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    report = Report.objects.get()
    assert report.status == "unconfirmed" and not report.is_public
    expected = [] if mail_server.kind == "is not there" else [["nino@example.ge"]]
    assert mail_server.attempts == expected
