"""Channels a message leaves the node through: e-mail, and Web Push to the devices a member subscribed.
Each says where it reaches a member (from their own settings) and how one message is sent."""

import hashlib
import json
import smtplib
from collections.abc import Iterable
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

    def send(self, address: str, message: Message, *, skip: frozenset[str] = frozenset()) -> None:
        """Hand one message over for `address`, but not to the parts of it named in `skip` (devices that
        took it on an earlier attempt); raise when it was not taken (`SendFailed` says how to go on)."""
        ...


# The classes of failure, as the outbox keeps them and the member's page and the API translate them
# (ayllu/messages.py DELIVERY_FAILURES); the technical text beside each is for the node's operators.
ADDRESS_REFUSED = "address_refused"  # the mail server refused the address for good (SMTP 5xx)
MAIL_DEFERRED = "mail_deferred"  # the mail server asked to try later, every time (SMTP 4xx)
MAIL_UNREACHABLE = "mail_unreachable"  # the node could not reach its mail server
PUSH_REFUSED = "push_refused"  # the push service refused the message for good (4xx)
PUSH_DEFERRED = "push_deferred"  # the push service asked to try later, every time (429, 5xx)
PUSH_UNREACHABLE = "push_unreachable"  # the node could not reach the device's push service
DEVICES_EXPIRED = "devices_expired"  # every device's subscription had expired
UNKNOWN = "unknown"  # anything else: the operators' log says what
FAILURES = (
    ADDRESS_REFUSED,
    MAIL_DEFERRED,
    MAIL_UNREACHABLE,
    PUSH_REFUSED,
    PUSH_DEFERRED,
    PUSH_UNREACHABLE,
    DEVICES_EXPIRED,
    UNKNOWN,
)


class SendFailed(Exception):
    """A channel did not take a message. `failure`: its class (one of FAILURES), what the member is
    told; the exception's text is the technical detail, for operators. `retry_after` (seconds): the far
    end asked to wait that long before trying again; `permanent`: it said trying again cannot help (the
    message is a dead letter at once); `taken_by`: the parts of the address that did take it (a retry
    skips them)."""

    def __init__(
        self,
        reason: str,
        *,
        failure: str = UNKNOWN,
        retry_after: int = 0,
        permanent: bool = False,
        taken_by: Iterable[str] = (),
    ) -> None:
        super().__init__(reason)
        self.failure = failure
        self.retry_after = retry_after
        self.permanent = permanent
        self.taken_by = frozenset(taken_by)


class EmailRefused(SendFailed):
    """The mail server answered with an SMTP error: 4xx is temporary (tried again with the outbox's
    backoff), 5xx permanent (a dead letter the member sees, to fix their address)."""


def _smtp_refusal(codes: list[int], text: str) -> EmailRefused:
    permanent = all(500 <= c < 600 for c in codes)
    return EmailRefused(
        f"mail server answered {text}",
        failure=ADDRESS_REFUSED if permanent else MAIL_DEFERRED,
        permanent=permanent,
    )


class EmailChannel:
    """E-mail through Django's mail (SMTP from the settings; the console in development)."""

    name = EMAIL

    def address(self, prefs: NotificationPrefs) -> str:
        return prefs.email if prefs.email_on else ""

    def send(self, address: str, message: Message, *, skip: frozenset[str] = frozenset()) -> None:
        email = EmailMultiAlternatives(
            subject=" ".join(message.subject.split()),
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=get_connection(fail_silently=False),
        )
        email.attach_alternative(message.html, "text/html")
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as refused:
            answers = list(refused.recipients.values())
            text = ", ".join(f"{code} {_said(words)}" for code, words in answers)
            raise _smtp_refusal([code for code, _ in answers], text) from None
        except smtplib.SMTPResponseException as refused:
            text = f"{refused.smtp_code} {_said(refused.smtp_error)}"
            raise _smtp_refusal([refused.smtp_code], text) from None
        except OSError as failed:  # no connection, a timeout, a server that hung up: tried again later
            raise SendFailed(f"{type(failed).__name__}: {failed}", failure=MAIL_UNREACHABLE) from None


def _said(words: bytes | str) -> str:
    return words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)


class PushRefused(SendFailed):
    """A push service did not take a message: the outbox tries it again with its backoff or the wait the
    service asked for (429, 5xx), or gives up when every refusal was one a retry cannot change (another
    4xx)."""


def device_key(endpoint: str) -> str:
    """A device as the outbox names it among those that took a message: a short hash of its endpoint
    (the endpoint itself is a contact, kept only in the subscription)."""
    return hashlib.sha256(endpoint.encode("utf-8")).hexdigest()[:16]


class PushChannel:
    """Web Push to every device the member subscribed (decision 0017). The payload, encrypted to each
    device, is the subject, the summary and the link: public words only, as in the e-mail.

    The address is the member's devices, written as JSON (the outbox needs only that it is not empty).
    A device whose subscription the push service says is gone (404, 410) is deleted at once. When some
    devices refused it otherwise, the send raises naming the devices that took it: the outbox keeps
    them, and the retry (after its backoff, or the service's Retry-After when longer) goes only to the
    others, so no device shows a message twice."""

    name = PUSH

    def __init__(self) -> None:
        self.gone: set[str] = set()  # endpoints found expired in this pass: not tried again

    def address(self, prefs: NotificationPrefs) -> str:
        devices = [[d.endpoint, d.p256dh, d.auth] for d in prefs.devices]
        return json.dumps(devices, separators=(",", ":")) if devices else ""

    def send(self, address: str, message: Message, *, skip: frozenset[str] = frozenset()) -> None:
        payload = json.dumps(
            {"title": " ".join(message.subject.split()), "body": message.summary, "url": message.link},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        refused: list[webpush.PushAnswer] = []
        devices = [PushDevice(*device) for device in json.loads(address)]
        taken = {device_key(d.endpoint) for d in devices} & skip
        for device in devices:
            if device.endpoint in self.gone or device_key(device.endpoint) in taken:
                continue
            try:
                answer = webpush.push(device, payload)
            except OSError as failed:  # no route to the push service, a timeout: tried again later
                raise PushRefused(
                    f"{type(failed).__name__}: {failed}", failure=PUSH_UNREACHABLE, taken_by=taken
                ) from None
            if answer.gone:
                do_forget_push_endpoint(device.endpoint)
                self.gone.add(device.endpoint)
            elif answer.taken:
                taken.add(device_key(device.endpoint))
            else:
                refused.append(answer)
        if refused:
            permanent = all(a.permanent for a in refused)
            raise PushRefused(
                "push service answered "
                + ", ".join(
                    f"{a.status}" + (f" retry after {a.retry_after}s" if a.retry_after else "")
                    for a in refused
                ),
                failure=PUSH_REFUSED if permanent else PUSH_DEFERRED,
                retry_after=max(a.retry_after for a in refused),
                permanent=permanent,
                taken_by=taken,
            )
        if not taken:
            raise PushRefused("every subscription of this member expired", failure=DEVICES_EXPIRED)
