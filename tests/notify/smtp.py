"""A real SMTP server for tests (aiosmtpd, its event loop in a thread of its own) and what it received."""

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """Every message the server took, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    # address -> the SMTP answers to give its next RCPT TO (then "250 OK"), e.g. "451 4.7.1 Try later"
    refuse: dict[str, list[str]] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:  # aiosmtpd calls it by this name
        answers = self.refuse.get(address, [])
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(
        self, server: Any, session: Any, envelope: Any
    ) -> str:  # aiosmtpd calls it by this name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def subjects(self, address: str) -> list[str]:
        return sorted(str(m["Subject"]).strip() for m in self.to(address))

    @staticmethod
    def text(message: EmailMessage) -> str:
        """The plain text and the HTML of a message, joined."""
        parts = [message.get_body(preferencelist=(kind,)) for kind in ("plain", "html")]
        return "\n".join(str(p.get_content()) for p in parts if p is not None)


@contextmanager
def smtp_server(inbox: Inbox) -> Iterator[int]:
    """Run an SMTP server handing messages to `inbox` on a free port of loopback; yield the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A running SMTP server; the node's mail goes to it."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield inbox
