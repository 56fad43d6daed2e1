"""Acting from a message (decision 0014): the link a message carries opens, for the member it went to,
logged in on their own device, the page that offers the act it asks for, its object already filled in;
the member signs there. Each kind of the cargo scene is followed, in Spanish and English."""

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.notify.messages import render_message
from ayllu.queries.notifications import ShownReminder, list_member_reminders
from ayllu.queries.replayed import read_state
from factories.scenes import DAY_MS, NAMES, CargoAssembly, Clock, build_scene, clock
from factories.stored import log_in_as

__all__ = ["clock"]  # the fixture, imported for the tests below


def forms(page: str, type_: str) -> list[str]:
    """The forms of `page` (each up to its end) that sign an act of `type_`."""
    return [
        f.split("</form>")[0] for f in page.split("<form")[1:] if f'data-type="{type_}"' in f.split(">")[0]
    ]


def filled(name: str, value: int | str) -> Callable[[str], bool]:
    """A form holds the hidden field `name` filled with `value`."""
    return lambda form: re.search(rf'name="{re.escape(name)}" value="{value}"', form) is not None


def anything(form: str) -> bool:
    return True


# What each kind asks the member to do: the act's type on the page its link opens, and what the form
# carries already (the object the reminder is about), or None where the kind asks for no act of its own
# (a meeting to attend, a turn or a term to prepare for, an alert to read).
def expected(r: ShownReminder) -> tuple[str, Callable[[str], bool]] | None:
    thing = r.id.rsplit(":", 1)[1]  # the question, swap or petition (`about` is a question's proposal)
    return {
        "question_opened": ("vote.cast", filled("body.question", thing)),
        "question_closing": ("vote.cast", filled("body.question", thing)),
        "recall_vote": ("vote.cast", filled("body.question", thing)),
        "swap_offered": ("cargo.swap_accepted", filled("body.swap", thing)),
        "recall_petitioned": ("recall.signed", filled("body.petition", thing)),
        "report_overdue": ("delegate.report_filed", anything),
        "mandate_requested": ("proposal.tabled", filled("body.matter", "mandate")),
    }.get(r.kind)


@pytest.fixture
def scene(db: None, clock: Clock) -> CargoAssembly:
    """The cargo scene (a swap offered, a mandate requested, a report overdue, a recall petition, a
    flagged vote) and a question open between meetings, with a day to vote."""
    forget_replayed_state()
    asm = build_scene(clock, draw=False)
    delegate = asm.holders("delegacion")[0]
    offering = next(n for n in NAMES if n not in (delegate, asm.holders("tesoreria")[0], "eva", "flor"))
    asm.ids["swap"] = asm.act(offering, "cargo.swap_proposed", {"cargo": "tesoreria", "household": "Choque"})
    asm.ids["request"] = asm.act(
        delegate, "mandate.requested", {"body": "fejuve", "question": "Peaje", "text": "?"}
    )
    proposal = asm.act(
        "ana", "proposal.tabled", {"matter": "ordinary", "title": "Faena", "text": "", "effect": {}}
    )
    asm.ids["question"] = asm.act(
        "ana", "question.opened", {"proposal": proposal, "deadline": clock.now + DAY_MS}
    )
    return asm


@pytest.mark.parametrize("language", ["es", "en"])
def test_each_messages_link_opens_the_act_it_asks_for_on_the_members_device(
    scene: CargoAssembly, clock: Clock, language: str
) -> None:
    # given each member's reminders now, twelve hours on (the vote then closes within a day), and the day
    # after the delegate's vote without a mandate (its alert)
    reported = scene.ids["reported"]
    voted_at = read_state(scene.log, lambda s: next(a.time for a in s.delegate_acts if a.seq == reported))
    public = str(settings.AYLLU_PUBLIC_URL).rstrip("/")
    followed: set[str] = set()
    for name in NAMES:
        client = Client()
        log_in_as(client, scene.log, scene.keys[name])
        for now in (clock.now, clock.now + DAY_MS // 2, voted_at + DAY_MS):
            for r in list_member_reminders(scene.log, member=scene.pub(name), now=now):
                # when the member's message is written and its link followed on their device
                message = render_message(
                    [r], log=scene.log, assembly=scene.name, language=language, utc_offset=-240
                )
                assert message.link.startswith(public + f"/{language}/"), (r.id, message.link)
                path = message.link.removeprefix(public)
                with translation.override(language):
                    response = client.get(path.split("#")[0], follow=True)
                # then the page opens, and offers the act with its object filled in
                assert response.status_code == 200, (name, r.id, path)
                page = response.content.decode()
                act = expected(r)
                if act is not None:
                    type_, holds = act
                    assert any(holds(f) for f in forms(page, type_)), (name, r.id, type_, path)
                followed.add(r.kind)
    # and every kind the scene raises was followed
    assert {
        "question_opened",
        "question_closing",
        "swap_offered",
        "recall_petitioned",
        "report_overdue",
        "mandate_requested",
        "vote_flagged",
    } <= followed, followed


def test_a_forwarded_link_offers_the_act_to_nobody_else(scene: CargoAssembly, clock: Clock) -> None:
    # given the message of the swap offered to household Choque (eva and flor), as eva got it
    swap = scene.ids["swap"]
    mine = list_member_reminders(scene.log, member=scene.pub("eva"), now=clock.now)
    message = render_message(
        [r for r in mine if r.id == f"swap-offered:{swap}"],
        log=scene.log,
        assembly=scene.name,
        language="en",
        utc_offset=0,
    )
    path = message.link.removeprefix(str(settings.AYLLU_PUBLIC_URL).rstrip("/"))
    # when it is forwarded to a member of another household, and to a stranger
    other = Client()
    log_in_as(other, scene.log, scene.keys["ana"])
    pages = [other.get(path).content.decode(), Client().get(path).content.decode()]
    # then neither is offered the act: the link carries no power of its own (decision 0014)
    for page in pages:
        assert not any(filled("body.swap", swap)(f) for f in forms(page, "cargo.swap_accepted"))
