"""The meetings, meeting, minutes and members pages offer a form exactly when the core would accept its act.

Regression: the templates worked out whether to offer a form themselves (logged in, present, the chair,
not yet signed), so presence was offered before a meeting started and the core then refused it with
meeting_not_started. Now the core answers, and every form a page offers is one the core accepts.
"""

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import may
from ayllu.core.ledger.keys import Keypair
from ayllu.queries.replayed import read_state
from factories.keys import keypair
from factories.records import FOUNDED_AT
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

MINUTE_MS = 60_000


class Clock:
    """The node's clock for entries and pages alike, moved by hand."""

    def __init__(self) -> None:
        self.now = FOUNDED_AT + 1000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    yield fake


@pytest.fixture
def assembly(db: None, clock: Clock) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza")


class _Forms(HTMLParser):
    """Every act form of a page: its act type and the body it would submit (sample words where asked)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, Any]]] = []
        self._select: str = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("data-type"):
            self.forms.append((a["data-type"] or "", {}))
            return
        name = a.get("name") or ""
        if not self.forms or not name.startswith("body."):
            if tag == "option" and self._select:
                self._fill(self._select, a.get("value") or "", int_kind=False)
                self._select = ""
            return
        field = name.removeprefix("body.")
        if tag == "select":
            self._select = field
        elif tag in ("input", "textarea"):
            # A key asked for (a new device's) gets a sample of a key's shape; other words get a sample word.
            sample = "ab" * 32 if a.get("pattern") == "[0-9a-f]{64}" else "-"
            self._fill(field, a.get("value") or sample, int_kind=a.get("data-ayllu-kind") == "int")

    def _fill(self, field: str, value: str, *, int_kind: bool) -> None:
        body = self.forms[-1][1]
        if field not in body:
            body[field] = int(value) if int_kind or value.isdigit() else value


def forms(client: Client, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The act forms the page at `path` offers, each as (act type, the body it would submit)."""
    response = client.get(path)
    assert response.status_code == 200
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.forms


def offered(client: Client, path: str) -> set[str]:
    return {type for type, _ in forms(client, path)}


def core_accepts(
    assembly: StoredAssembly, who: Keypair, type: str, body: dict[str, Any], *, now: int
) -> bool:
    act = ACT_KINDS[type].parse(body)
    return read_state(
        assembly.log, lambda state: may(state, key=who.public, act=act, time=max(now, state.last_time))
    )


def test_presence_is_offered_from_the_meetings_start_and_not_before(
    client: Client, clock: Clock, assembly: StoredAssembly
) -> None:
    # given a meeting that starts in a minute, and a member logged in
    starts = clock.now + MINUTE_MS
    meeting = act(assembly, assembly.convenor, "meeting.convened", {"title": "Asamblea", "starts": starts})
    member = assembly.members[2]
    log_in_as(client, assembly.log, member)
    path = f"/en/assembly/{assembly.log}/meetings/{meeting}/"
    # when the page is read before the start, then presence is not offered (the core would refuse it)
    assert "presence.signed" not in offered(client, path)
    # when it is read at the start, then it is offered, and signing it is accepted
    clock.now = starts
    assert "presence.signed" in offered(client, path)
    act(assembly, member, "presence.signed", {"meeting": meeting})
    assert {"presence.ended", "speaker.queued"} <= offered(client, path)


def test_the_chair_gives_the_floor_only_once_no_point_of_order_waits(
    client: Client, clock: Clock, assembly: StoredAssembly
) -> None:
    # given a meeting where a member asks for the floor and another raises a point of order
    meeting = meeting_with_everyone(assembly)
    a, b, c = assembly.members[:3]
    act(assembly, b, "speaker.queued", {"meeting": meeting})
    point = act(assembly, c, "point_of_order.raised", {"meeting": meeting, "text": "Orden"})
    path = f"/en/assembly/{assembly.log}/meetings/{meeting}/"
    # when the chair reads the page, then they may rule on the point but not yet give the floor
    log_in_as(client, assembly.log, a)
    assert {"point_of_order.ruled", "meeting.closed"} <= offered(client, path)
    assert "speaker.called" not in offered(client, path)
    # when the point is ruled on, then giving the floor is offered, to the head of the queue
    act(assembly, a, "point_of_order.ruled", {"meeting": meeting, "point": point, "ruling": "Ha lugar"})
    calls = [body for type, body in forms(client, path) if type == "speaker.called"]
    assert calls == [{"meeting": meeting, "member": b.public}]
    # and a member who is not the chair is offered none of the chair's forms
    log_in_as(client, assembly.log, c)
    assert offered(client, path).isdisjoint({"speaker.called", "point_of_order.ruled", "meeting.closed"})


def test_an_outsider_is_offered_no_form_on_the_meeting_pages(
    client: Client, clock: Clock, assembly: StoredAssembly
) -> None:
    # given an open meeting and a petition
    meeting = meeting_with_everyone(assembly)
    act(assembly, assembly.members[1], "meeting.petitioned", {"purpose": "Agua"})
    # when someone not logged in reads the pages, then no form is offered
    for path in ("meetings/", f"meetings/{meeting}/", f"meetings/{meeting}/minutes/", "members/"):
        assert offered(client, f"/en/assembly/{assembly.log}/{path}") == set(), path


def test_a_petition_is_offered_for_signing_to_those_who_have_not_signed_it(
    client: Client, clock: Clock, assembly: StoredAssembly
) -> None:
    # given a petition started by the second member
    a, b = assembly.members[:2]
    petition = act(assembly, b, "meeting.petitioned", {"purpose": "Agua"})
    path = f"/en/assembly/{assembly.log}/meetings/"

    def signing(who: Keypair) -> list[dict[str, Any]]:
        log_in_as(client, assembly.log, who)
        return [
            body for type, body in forms(client, path) if type == "meeting.petitioned" and "petition" in body
        ]

    # then its signer is not offered to sign it again; another member is, and only the convenor convenes
    assert signing(b) == []
    assert "meeting.convened" not in offered(client, path)
    assert signing(a) == [{"petition": petition}]
    assert "meeting.convened" in offered(client, path)


def test_only_the_minute_keeper_is_offered_a_note_in_the_minutes(
    client: Client, clock: Clock, assembly: StoredAssembly
) -> None:
    # given a meeting, closed; the second member keeps the minutes
    meeting = meeting_with_everyone(assembly)
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": meeting})
    path = f"/en/assembly/{assembly.log}/meetings/{meeting}/minutes/"
    # then the minute-keeper is offered a note, and another member is not
    log_in_as(client, assembly.log, assembly.members[1])
    assert offered(client, path) == {"minutes.note_added"}
    log_in_as(client, assembly.log, assembly.members[2])
    assert offered(client, path) == set()


def test_sponsoring_and_vouching_are_offered_only_where_the_core_would_count_them(
    client: Client, clock: Clock, assembly: StoredAssembly
) -> None:
    # given an applicant sponsored by the first member, and a new key claiming the third member's place
    a, b, c = assembly.members[:3]
    applicant, claim = keypair(90), keypair(91)
    act(assembly, applicant, "member.applied", {"household": "casa-9"})
    act(assembly, a, "member.sponsored", {"applicant": applicant.public})
    act(assembly, claim, "member.key_claimed", {"member": c.public})
    path = f"/en/assembly/{assembly.log}/members/"
    # then the sponsor is not offered to sponsor again; another member is
    log_in_as(client, assembly.log, a)
    assert ("member.sponsored", {"applicant": applicant.public}) not in forms(client, path)
    log_in_as(client, assembly.log, b)
    assert ("member.sponsored", {"applicant": applicant.public}) in forms(client, path)
    # and the member whose place is claimed is not offered to vouch for the claim; another member is
    assert ("member.key_vouched", {"key": claim.public}) in forms(client, path)
    log_in_as(client, assembly.log, c)
    assert ("member.key_vouched", {"key": claim.public}) not in forms(client, path)


def test_every_form_these_pages_offer_is_one_the_core_accepts(
    client: Client, clock: Clock, assembly: StoredAssembly
) -> None:
    # given a busy meeting: a queue, a pending point of order, an open question; a petition, an applicant
    meeting = meeting_with_everyone(assembly)
    a, b, c, d = assembly.members
    tabled = {"matter": "ordinary", "title": "Agua", "text": "", "effect": {}, "meeting": meeting}
    proposal = act(assembly, b, "proposal.tabled", tabled)
    act(assembly, a, "question.opened", {"proposal": proposal})
    act(assembly, b, "speaker.queued", {"meeting": meeting})
    act(assembly, c, "point_of_order.raised", {"meeting": meeting, "text": "Orden"})
    act(assembly, c, "presence.ended", {"meeting": meeting})
    act(assembly, d, "meeting.petitioned", {"purpose": "Agua"})
    act(assembly, keypair(90), "member.applied", {"household": "casa-9"})
    pages = ("meetings/", f"meetings/{meeting}/", "members/")
    for who in assembly.members:
        log_in_as(client, assembly.log, who)
        for page in pages:
            # when the member reads the page
            offered_forms = forms(client, f"/en/assembly/{assembly.log}/{page}")
            # then the core accepts every act of the page's act forms, as the form would submit it
            acts = [(t, body) for t, body in offered_forms if t in ACT_KINDS]
            assert acts, (page, who.public)
            for type, body in acts:
                assert core_accepts(assembly, who, type, body, now=clock.now), (page, type, body)
