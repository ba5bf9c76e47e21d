"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for the tests.

The app sends through ``SmtpMailer`` exactly as in production; tests read the links from
the messages, as a person would from their inbox.
"""

from __future__ import annotations

import email
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import Message

from aiosmtpd.controller import Controller

LINK = re.compile(r"(https?://\S+?/(verify|reset)\?token=([A-Za-z0-9_\-]+))")


@dataclass
class Received:
    to: list[str]
    message: Message

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        payload = self.message.get_payload(decode=True)
        return payload.decode("utf-8") if isinstance(payload, bytes) else str(payload)


@dataclass
class Mailbox:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.received.append(Received([r.lower() for r in envelope.rcpt_tos], message))
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.received if address.lower() in m.to]

    def last_to(self, address: str, timeout: float = 5.0) -> Received:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if found:
                return found[-1]
            time.sleep(0.02)
        raise AssertionError(f"no e-mail reached {address} within {timeout} s")

    def link(self, address: str, kind: str = "verify") -> str:
        """The newest ``/verify`` or ``/reset`` link sent to ``address``."""
        for received in reversed(self.to(address)):
            for url, link_kind, _token in LINK.findall(received.text):
                if link_kind == kind:
                    return url
        raise AssertionError(f"no {kind} link was sent to {address}")

    def token(self, address: str, kind: str = "verify") -> str:
        """The token of that link."""
        match = LINK.fullmatch(self.link(address, kind))
        assert match is not None
        return match.group(3)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_mail_server() -> tuple[Mailbox, Controller]:
    mailbox = Mailbox("127.0.0.1", _free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    return mailbox, controller
