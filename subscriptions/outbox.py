"""One conversation with the mail server per worker run, kept open from message to message.

Opening an SMTP connection costs a TCP handshake, the greeting, EHLO and (in production) STARTTLS
and AUTH: several round trips and a TLS handshake per message, which was most of what sending
10,000 notifications cost. An Outbox opens the connection on the first message, reuses it for
every message of the run, and closes it at the end. A server that drops the connection (an idle
timeout, a restart, a per-connection message limit) makes the next send fail; the Outbox then opens
a new connection and tries that message once more on it. The second try is safe for exactly-once:
a message whose DATA was not answered 250 was not accepted; if the 250 was sent and lost on the way,
the resend carries the same Message-ID (see subscriptions/delivery.py, the one duplicate window).
"""

import smtplib

from django.core.mail import get_connection

# What a dropped or broken connection raises; a refusal (SMTPRecipientsRefused, SMTPDataError with
# a 5xx code) is an answer, not a drop, and is not retried here.
DROPPED = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)


class Outbox:
    def __init__(self):
        self._connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, message) -> None:
        """Hand the message to the mail server; returns once it was accepted, or raises."""
        try:
            self._send(message)
        except DROPPED:
            self.close()
            self._send(message)  # once more on a fresh connection; a second failure is the caller's

    def _send(self, message):
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
            self._connection.open()  # opened here, so send_messages leaves it open for the next one
        try:
            sent = self._connection.send_messages([message])
        except Exception:
            self.close()  # whatever state the conversation is in, the next message starts a new one
            raise
        if sent != 1:
            raise smtplib.SMTPException("the mail backend did not send the message")

    def close(self):
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: S110 - closing a connection that is already gone
                pass
            self._connection = None
