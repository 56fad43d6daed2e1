"""What a member reads about a message that could not be delivered: a sentence in their language for the
class of the failure (what happened, what they can do), never the far end's technical answer, which the
node keeps for its operators (the outbox row and the log)."""

import socket

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.messages import DELIVERY_FAILURES, delivery_failure
from ayllu.notify.channels import FAILURES, EmailChannel, PushChannel
from ayllu.notify.delivery import deliver_once
from ayllu.queries.notifications import list_outbox
from ayllu.storage.models import OutboxMessage, Record
from factories.stored import log_in_as

from .conftest import ADDRESSES, Council
from .pushservice import PushService, push_service, subscribe
from .smtp import Inbox

__all__ = ["push_service"]

TECHNICAL = ("550", "5.1.1", "No such user", "SMTP", "Refused", "Error", "403", "503")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_each_failure_class_has_its_own_words_in_english_and_spanish() -> None:
    # given every class of failure a channel may give
    # when each is put in words in English and in Spanish
    english = {code: translation.override("en")(delivery_failure)(code) for code in FAILURES}
    spanish = {code: translation.override("es")(delivery_failure)(code) for code in FAILURES}
    # then each has its own sentence in each language, translated, with no technical word in it
    assert set(DELIVERY_FAILURES) == set(FAILURES)
    assert len(set(english.values())) == len(FAILURES) == len(set(spanish.values()))
    for code in FAILURES:
        assert spanish[code] != english[code], code
        assert not any(word in english[code] + spanish[code] for word in TECHNICAL), code
    # and a class this version does not know reads as the unknown one
    assert translation.override("en")(delivery_failure)("from-a-newer-node") == english["unknown"]


def test_a_refused_address_is_told_in_the_members_words_and_the_servers_answer_stays_with_operators(
    council: Council, smtp: Inbox, client: Client
) -> None:
    # given member 0 (Spanish) whose mail server does not know their address
    smtp.refuse[ADDRESSES[0]] = ["550 5.1.1 No such user"] * 6
    # when the deliverer runs
    deliver_once(now=council.now, channels=[EmailChannel()])
    # then the row keeps the class and, for operators, the server's answer
    rows = OutboxMessage.objects.filter(member=council.members[0], status=OutboxMessage.DEAD)
    assert rows and {(r.failure, r.last_error) for r in rows} == {
        ("address_refused", "EmailRefused: mail server answered 550 5.1.1 No such user")
    }
    # and the member's settings page says it in Spanish, without the server's answer
    log_in_as(client, council.log, council.assembly.members[0])
    with translation.override("es"):
        page = client.get(reverse("web:notifications", kwargs={"log": council.log})).content.decode()
        told = delivery_failure("address_refused")
    assert page.count("data-ayllu-dead-letter") == rows.count()
    assert told in page and "por correo electrónico" in page
    assert "550" not in page and "No such user" not in page and "EmailRefused" not in page
    # and the API gives the class and the sentence in the asker's language, never the technical text
    api = client.get(f"/api/assemblies/{council.log}/me/outbox?status=dead", HTTP_ACCEPT_LANGUAGE="es")
    assert {(m["failure"], m["failure_message"]) for m in api.json()} == {("address_refused", told)}
    assert "550" not in api.content.decode() and "last_error" not in api.content.decode()


def test_a_mail_server_the_node_cannot_reach_is_the_nodes_problem_not_the_members(
    council: Council, settings: object
) -> None:
    # given the node's mail server is down (nothing listens on its port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # type: ignore[attr-defined]
    # when the deliverer runs
    deliver_once(now=council.now, channels=[EmailChannel()])
    # then the messages wait to be tried again, as the node's failure, not the address's
    rows = OutboxMessage.objects.filter(member=council.members[1])
    assert rows and {(r.status, r.failure) for r in rows} == {(OutboxMessage.PENDING, "mail_unreachable")}
    assert all("ConnectionRefusedError" in r.last_error for r in rows)


@pytest.mark.parametrize(
    ("answers", "failure", "status"),
    [
        ([403] * 6, "push_refused", OutboxMessage.DEAD),
        ([503] * 6, "push_deferred", OutboxMessage.PENDING),
        ([410] * 6, "devices_expired", OutboxMessage.PENDING),
    ],
)
def test_each_push_failure_has_its_class(
    council: Council, push_service: PushService, answers: list[int], failure: str, status: str
) -> None:
    # given member 2's one phone, whose push service answers `answers`
    subscribe(council, push_service, 2, "phone-2")
    push_service.answers["phone-2"] = answers
    # when the deliverer runs
    deliver_once(now=council.now, channels=[PushChannel()])
    # then each message keeps the class of its failure
    rows = list_outbox(council.log, member=council.members[2])
    assert rows and {(m.failure, m.status) for m in rows} == {(failure, status)}


def test_a_push_service_the_node_cannot_reach_is_its_own_class(council: Council) -> None:
    # given member 2's phone, whose push service does not answer (nothing listens on its port)
    from ayllu.actions.notifications import do_add_push_subscription

    from .pushservice import Browser

    browser = Browser("phone-2")
    do_add_push_subscription(
        council.log,
        member=council.members[2],
        endpoint=f"http://127.0.0.1:{_free_port()}/push/phone-2",
        p256dh=browser.p256dh,
        auth=browser.auth,
    )
    # when the deliverer runs
    deliver_once(now=council.now, channels=[PushChannel()])
    # then the messages wait to be tried again, marked as the node's failure to reach the service
    rows = list_outbox(council.log, member=council.members[2])
    assert rows and {(m.failure, m.status) for m in rows} == {("push_unreachable", OutboxMessage.PENDING)}


def test_a_dead_letter_from_before_failures_had_classes_reads_as_the_unknown_one(
    council: Council, client: Client
) -> None:
    # given a dead letter kept before the outbox named classes (migration 0018): only its technical text
    OutboxMessage.objects.create(
        record=Record.objects.get(log=council.log),
        member=council.members[1],
        reminder=f"question-opened:{council.public_question}",
        channel="email",
        status=OutboxMessage.DEAD,
        attempts=8,
        next_attempt=council.now,
        created=council.now,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    # when the member reads their dead letters on the page and through the API
    log_in_as(client, council.log, council.assembly.members[1])
    with translation.override("en"):
        page = client.get(reverse("web:notifications", kwargs={"log": council.log})).content.decode()
        unknown = delivery_failure("unknown")
    api = client.get(f"/api/assemblies/{council.log}/me/outbox?status=dead", HTTP_ACCEPT_LANGUAGE="en")
    # then both say the unknown class's sentence, never the technical text
    assert unknown in page and "SMTPServerDisconnected" not in page
    assert [(m["failure"], m["failure_message"]) for m in api.json()] == [("", unknown)]
