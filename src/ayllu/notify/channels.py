"""Channels a message leaves the node through: e-mail, and Web Push to the devices a member subscribed.
Each says where it reaches a member (from their own settings) and how one message is sent."""

import json
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from ayllu.actions.notifications import do_forget_push_endpoint
from ayllu.queries.notifications import EMAIL, PUSH, NotificationPrefs, PushDevice

from . import webpush
from .messages import Message


class Channel(Protocol):
    """A way to reach members: `name` is the outbox's channel column."""

    name: str

    def address(self, prefs: NotificationPrefs) -> str:
        """Where this member is reached through this channel; "" when they are not (no contact, off)."""
        ...

    def send(self, address: str, message: Message) -> None:
        """Hand one message over for `address`; raise when it was not taken (it is tried again later)."""
        ...


class EmailChannel:
    """E-mail through Django's mail (SMTP from the settings; the console in development)."""

    name = EMAIL

    def address(self, prefs: NotificationPrefs) -> str:
        return prefs.email if prefs.email_on else ""

    def send(self, address: str, message: Message) -> None:
        email = EmailMultiAlternatives(
            subject=" ".join(message.subject.split()),
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=get_connection(fail_silently=False),
        )
        email.attach_alternative(message.html, "text/html")
        email.send(fail_silently=False)


class PushRefused(Exception):
    """A push service did not take a message (5xx, 429, ...): the outbox tries it again with backoff."""


class PushChannel:
    """Web Push to every device the member subscribed (decision 0017). The payload, encrypted to each
    device, is the subject, the summary and the link: public words only, as in the e-mail.

    The address is the member's devices, written as JSON (the outbox needs only that it is not empty).
    A device whose subscription the push service says is gone (404, 410) is deleted at once; when a
    device refused it otherwise (5xx, 429), the send raises and the whole message is tried again later
    with the outbox's backoff (the devices that took it may then show it twice)."""

    name = PUSH

    def __init__(self) -> None:
        self.gone: set[str] = set()  # endpoints found expired in this pass: not tried again

    def address(self, prefs: NotificationPrefs) -> str:
        devices = [[d.endpoint, d.p256dh, d.auth] for d in prefs.devices]
        return json.dumps(devices, separators=(",", ":")) if devices else ""

    def send(self, address: str, message: Message) -> None:
        payload = json.dumps(
            {"title": " ".join(message.subject.split()), "body": message.summary, "url": message.link},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        refused: list[str] = []
        devices = [PushDevice(*device) for device in json.loads(address)]
        for device in devices:
            if device.endpoint in self.gone:
                continue
            answer = webpush.push(device, payload)
            if answer.gone:
                do_forget_push_endpoint(device.endpoint)
                self.gone.add(device.endpoint)
            elif not answer.taken:
                refused.append(
                    f"{answer.status}" + (f" retry after {answer.retry_after}s" if answer.retry_after else "")
                )
        if refused:
            raise PushRefused("push service answered " + ", ".join(refused))
        if all(d.endpoint in self.gone for d in devices):
            raise PushRefused("every subscription of this member expired")
