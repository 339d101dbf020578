"""A real SMTP server on loopback that records what it accepted, for tests that cross process lines.

A mail server has accepted a message only once it has answered 250 to the end of DATA; that is the
moment a resident will see the message, and the one that "exactly once" is about. The sink can wait
before that answer (``delay``), as a slow provider does, so a test can kill the sending worker while
it waits: a message whose sender disconnected before the 250 is kept apart as ``abandoned``, never
counted as delivered. It can also drop the connection at chosen DATA commands (``drop_at``), as a
server that restarts or enforces a per-connection limit does, and keep one recipient's messages
waiting (``slow_to``), so a test can kill the one worker that is sending them.
"""

import asyncio
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A loopback TCP port nobody listens on now (the kernel's pick)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Mail:
    message_id: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    at: float  # time.time() when the DATA ended (abandoned) or was answered 250 (accepted)


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.sink._connected()
        return responses

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        body = parsed.get_body(preferencelist=("plain",))

        def mail() -> Mail:
            return Mail(
                message_id=str(parsed["Message-ID"]),
                recipients=tuple(envelope.rcpt_tos),
                subject=str(parsed["Subject"]),
                text=body.get_content() if body is not None else "",
                at=time.time(),
            )

        ordinal = self.sink._seen(mail())
        if ordinal in self.sink.drop_at:  # the server goes away mid-conversation, as a restarting one does
            self.sink._abandoned(mail())
            server.transport.close()
            return "421 closing"
        delay = self.sink.delay or (self.sink.slow_delay if self.sink.slow_to in envelope.rcpt_tos else 0)
        try:
            if delay:
                await asyncio.sleep(delay)
        except asyncio.CancelledError:  # aiosmtpd cancels the session when the client goes away
            self.sink._abandoned(mail())
            raise
        if server.transport is None or server.transport.is_closing():
            self.sink._abandoned(mail())
            return "421 client gone"
        self.sink._accepted(mail())
        return "250 Message accepted for delivery"


class SmtpSink:
    """Start with ``with SmtpSink() as sink:``; ``sink.port`` is where to send."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.drop_at: set[int] = set()  # DATA commands (1st, 2nd, ...) answered by closing the connection
        self.slow_to, self.slow_delay = None, 0.0  # messages to this one recipient wait slow_delay for 250
        self.port = free_port()
        self.accepted: list[Mail] = []
        self.abandoned: list[Mail] = []
        self.data_count = 0  # DATA commands completed by clients, accepted or not
        self.conversations = 0  # EHLOs: how many SMTP sessions clients opened
        self._changed = threading.Condition()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()

    def _seen(self, mail: Mail) -> int:
        with self._changed:
            self.data_count += 1
            self._changed.notify_all()
            return self.data_count

    def _connected(self):
        with self._changed:
            self.conversations += 1

    def _accepted(self, mail: Mail):
        with self._changed:
            self.accepted.append(mail)
            self._changed.notify_all()

    def _abandoned(self, mail: Mail):
        with self._changed:
            self.abandoned.append(mail)
            self._changed.notify_all()

    def wait_for(self, condition, timeout: float) -> bool:
        """Wait until condition(sink) holds; False when the timeout passes first."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self), timeout)

    def counts(self) -> Counter:
        """Accepted messages by (Message-ID, recipient): every value must be 1 for exactly once."""
        return Counter((m.message_id, rcpt) for m in self.accepted for rcpt in m.recipients)

    def to(self, recipient: str) -> list[Mail]:
        return [m for m in self.accepted if recipient in m.recipients]
