"""The whole council walk in real browsers, every act signed on the member's own device (issue 13).

Two scenes walk the same steps (tests/browser/walk.py): found, admit a newcomer, a meeting, a question
under every decision method (consent with an answered objection, consensus with a block and the
qualified-majority fallback, approval, ranked), create a cargo that the turn order fills, a mandate the
delegate votes by and reports on, a recall, a lost phone, and the record checked on the phone.

(a) three founders found the assembly in their browsers: 360 px, Spanish.
(b) thirty members built by the factories, some of whom log in with their keys: 1280 px, English.

At every step the page is checked (axe, no sideways scroll, no console error, nothing from another host)
and shot to docs/screenshots/walk-<scene>-<nn>-<step>.png.
"""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.rules import DAY_MS, founding_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.queries.assembly import list_members
from ayllu.queries.replayed import read_state
from factories.scenes import Clock
from factories.stored import StoredAssembly, found_with_officers

from .browsing import DESKTOP, PHONE
from .walk import (
    Walk,
    admit_by_invitation,
    amend_methods,
    answer,
    approve,
    block,
    check_the_record,
    close_meeting,
    close_question,
    convene,
    create_cargo,
    delegate_votes_and_reports,
    found_in_browser,
    log_in_with_key,
    object_and_answer,
    open_question,
    propose_mandate,
    rank,
    recall,
    replace_lost_phone,
    table,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

MINUTE_MS = 60_000


@pytest.fixture
def clean(transactional_db: None) -> Iterator[None]:
    forget_replayed_state()
    yield
    forget_replayed_state()


def holders(log: str, cargo: str) -> list[str]:
    """Who holds `cargo` now (member ids), by the record's last entry."""

    def read(state: Any) -> list[str]:
        record = state.cargos[cargo]
        return sorted(m for m in record.holders if record.held_by(m, now=state.last_time))

    return read_state(log, read)


def walk_the_council(
    w: Walk,
    members: list[tuple[Any, str]],
    clock: Clock,
    *,
    invite: Any,
    keys: dict[str, Keypair] | None = None,
) -> None:
    """Every step after the founding. `members`: (page, member id) of members logged in on their own
    devices, the first of whom convenes; `invite()` admits one more through the browser; `keys` are the
    keys of members who have not opened the page yet, by member id."""
    keys = keys or {}
    a, b, c = (page for page, _ in members[:3])
    # when: a newcomer is invited by A, applies on a new phone and is sponsored
    d, newcomer = invite()
    pages = {key: page for page, key in members} | {newcomer: d}
    everyone = list(pages.values())
    all_but_c = [p for p in everyone if p is not c]
    # and A convenes a meeting where everyone signs in as present
    meeting = convene(w, a, everyone, title="Asamblea ordinaria de abril")
    meeting_id = meeting.rstrip("/").rsplit("/", 1)[1]

    # and B tables a proposal decided by consent: C objects, B answers, C withdraws, the rest consent
    proposal = table(w, b, meeting, title="Arreglar la cancha", text="Comprar arena y cemento.")
    clock.advance(11 * MINUTE_MS)  # the charter's ten minutes of discussion in a meeting
    open_question(w, a, proposal)
    object_and_answer(w, c, b, proposal)
    answer(w, all_but_c, proposal, "I consent")
    outcome = close_question(w, a, proposal)
    w.step(a, "consent-outcome")
    assert w.t("Adopted") in outcome, outcome

    # and the newcomer tables a choice among three days, decided by ranking them
    days = ["sábado", "domingo", "lunes"]
    choice = table(w, d, meeting, title="Día de la minka", options=days)
    clock.advance(11 * MINUTE_MS)
    open_question(w, a, choice)
    for n, page in enumerate(everyone):
        rank(w, page, choice, [days[1], days[n % 3]] if n % 3 != 1 else [days[1]])
    w.step(d, "ranked-ballot")
    outcome = close_question(w, a, choice)
    w.step(a, "ranked-outcome")
    assert "domingo" in outcome, outcome

    # and A proposes amending the charter: ordinary matters by consensus, choices by approval; all agree
    amendment = amend_methods(w, a, meeting_id, {"ordinary": "consensus", "choice": "approval"})
    clock.advance(11 * MINUTE_MS)
    open_question(w, a, amendment)
    answer(w, everyone, amendment, "In favour")
    assert w.t("Adopted") in close_question(w, a, amendment)

    # and C blocks a proposal decided by consensus, in both of its rounds; the fallback vote decides it
    fence = table(w, b, meeting, title="Cercar la plaza", text="Una reja alrededor de la plaza.")
    clock.advance(11 * MINUTE_MS)
    for round_ in (1, 2):
        open_question(w, a, fence)
        block(w, c, fence, reason="La plaza es de todos: una reja la cierra.")
        answer(w, all_but_c, fence, "I agree")
        outcome = close_question(w, a, fence)
        w.step(a, f"consensus-blocked-{round_}")
        assert w.t("Adopted") not in outcome, outcome
    # (the words name no objection, the consent method's, when the rounds of a consensus run out)
    assert w.t("The rounds ran out: the next round is a vote by the fallback majority.") in outcome
    open_question(w, a, fence)
    w.step(a, "fallback-open")
    answer(w, all_but_c, fence, "In favour")
    answer(w, [c], fence, "Against")
    outcome = close_question(w, a, fence)
    w.step(a, "fallback-outcome")
    assert (
        w.t("Adopted") in outcome and w.t("This was the fallback vote after the consensus rounds.") in outcome
    )

    # and C tables a choice of places for the fair, decided by approval
    places = ["la plaza", "la cancha", "la escuela"]
    fair = table(w, c, meeting, title="Lugar de la feria", options=places)
    clock.advance(11 * MINUTE_MS)
    open_question(w, a, fair)
    for n, page in enumerate(everyone):
        approve(w, page, fair, [places[1], places[n % 3]])
    outcome = close_question(w, a, fair)
    w.step(a, "approval-outcome")
    assert "la cancha" in outcome, outcome

    # and B proposes a delegation to the federation; the assembly creates it
    creation = create_cargo(w, b, meeting_id, cargo="delegacion", body="fejuve")
    clock.advance(11 * MINUTE_MS)
    open_question(w, a, creation)
    answer(w, everyone, creation, "In favour")
    assert w.t("Adopted") in close_question(w, a, creation)
    # then: the chair closes the meeting and the minutes tell it all
    close_meeting(w, a, meeting)
    # and the turn order has filled the delegation with one household
    b.goto(w.url("cargos"))
    w.step(b, "cargos-by-turn")
    delegates = holders(w.log, "delegacion")
    assert len(delegates) == 1, delegates
    if delegates[0] not in pages:  # the turn fell on a member who has not opened the page yet
        pages[delegates[0]] = log_in_with_key(w, keys[delegates[0]])
    delegate = pages[delegates[0]]
    others = [p for p in everyone if p is not delegate]

    # when: a mandate for the federation is proposed between meetings and decided
    mandate = propose_mandate(w, others[0], question="Tarifa del agua", position="no")
    clock.advance(3 * DAY_MS + MINUTE_MS)  # the charter's three days of discussion between meetings
    open_question(w, others[0], mandate)
    answer(w, everyone, mandate, "I agree")
    clock.advance(3 * DAY_MS)  # past the deadline, when not everyone answered
    assert w.t("Adopted") in close_question(w, others[0], mandate)
    # and the delegate votes by it in the federation's session and reports back
    delegate_votes_and_reports(w, delegate, session="abril", question="Tarifa del agua", position="no")

    # when: members recall the delegate
    recall(w, others[0], others[1:], others, cargo="delegacion", member=delegates[0], clock=clock)
    # then: the delegate is out
    assert delegates[0] not in holders(w.log, "delegacion")

    # when: C loses the phone and the others vouch for the new one
    lost = next(key for key, page in pages.items() if page is c)
    new = replace_lost_phone(w, lost, [p for p in everyone if p is not c])
    w.step(new, "lost-phone-new-home")
    # and the new phone checks the whole record
    check_the_record(w, new)
    assert w.problems == []


def test_three_founders_walk_the_council_on_spanish_phones(
    new_page: Any, live_server: Any, clean: None, clock: Clock
) -> None:
    w = Walk("a", live_server.url, "es", PHONE, new_page)
    # given: three neighbours found the assembly, each on their own phone
    founders = found_in_browser(
        w, "Junta Vecinal Los Andes", ["Calle 1 n.º 10", "Calle 2 n.º 20", "Calle 3 n.º 30"]
    )
    keys = [m.id for m in list_members(w.log).members]
    # when .. then: the walk
    walk_the_council(
        w,
        list(zip(founders, keys, strict=True)),
        clock,
        invite=lambda: admit_by_invitation(w, founders[0], founders[:2], household="Calle 4 n.º 40"),
    )


def thirty_members() -> StoredAssembly:
    """Thirty members in thirty households under the charter a founding proposes (the first convenes),
    with quorum and participation of a tenth of the members, so that six of them can decide."""
    tenth = {"basis": "members", "share": "1/10"}
    charter = {**founding_charter_data(), "quorum": tenth, "participation": tenth}
    return found_with_officers("Junta Vecinal Villa Esperanza", size=30, charter=charter)


def test_thirty_members_walk_the_council_on_english_desktops(
    new_page: Any, live_server: Any, clean: None, clock: Clock
) -> None:
    # given: thirty members (built by the factories); five of them log in, each on their own computer
    assembly = thirty_members()
    w = Walk("b", live_server.url, "en", DESKTOP, new_page, log=assembly.log)
    members = [(log_in_with_key(w, key), key.public) for key in assembly.members[:5]]
    w.step(members[0][0], "home")
    # when .. then: the walk
    walk_the_council(
        w,
        members,
        clock,
        invite=lambda: admit_by_invitation(
            w, members[0][0], [page for page, _ in members[:2]], household="Avenue 6 no. 60"
        ),
        keys={key.public: key for key in assembly.members},
    )
