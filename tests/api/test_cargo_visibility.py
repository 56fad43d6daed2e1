"""The cargo reads show members-only words only to this assembly's logged-in members: a mandate's
position, a delegate's request, session, vote and report, a recall's reason, a draw's purpose and
attributes. Outsiders and members of other assemblies see that the acts exist, never their words."""

import dataclasses
import json
from typing import Any

import pytest

from ayllu.core.assembly import reads as core
from ayllu.core.assembly.words import shown_to
from ayllu.core.sortition import Quota
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.queries import cargos as q
from ayllu.queries import pages as page_reads
from ayllu.queries.cargo_visibility import HOUSEHOLD_KEYS
from ayllu.queries.replayed import read_state
from factories.api import ApiAssembly
from factories.keys import pub

from .test_cargos_api import BEACON, HOUSEHOLD_OF, Clock, clock, holders, six
from .test_copied_words import unwrapped
from .test_visibility import log_in, members_only

__all__ = ["clock", "six"]  # the fixtures, imported for the tests below

SECRETS = (
    "Tarifa reservada",
    "Rechazar la tarifa reservada",
    "Peaje reservado",
    "Necesito posicion sobre el peaje",
    "Sesion reservada",
    "Informe reservado del delegado",
    "Motivo reservado de la revocatoria",
    "Comision reservada",
    "zona-reservada",
)
CARGO_READS = (
    "/cargos",
    "/holdings",
    "/turns",
    "/roster",
    "/mandates",
    "/sessions",
    "/report-flags?at=4102444800000",
    "/delegate-votes",
    "/recalls?everything=true",
    "/draws",
    "/concentration",
)


def _close(asm: ApiAssembly, clock: Clock, proposal: int, *, also: tuple[str, ...] = ()) -> None:
    question = asm.ok("ana", "open-question", proposal=proposal, deadline=clock.now + 3_600_000)
    for name in (*HOUSEHOLD_OF, *also):
        asm.ok(name, "vote", question=question, choice="yes")
    asm.ok("ana", "close-question", question=question)


@pytest.fixture
def private(six: ApiAssembly, clock: Clock) -> dict[str, Any]:
    """A delegate to fejuve (public cargo); everything else about it signed for members only."""
    cargo = {"cargo": "delegado", "powers": ["represent_in:fejuve"], "burden": 1, "term_days": 30, "seats": 1}
    _close(six, clock, six.ok("ana", "propose-cargo", title="Delegado", text="", **cargo))
    (delegate,) = holders(six, "delegado", clock.now)
    mandate = {"body": "fejuve", "question": "Tarifa reservada", "position": "Rechazar la tarifa reservada"}
    _close(six, clock, members_only(six, "ana", "propose-mandate", title="Mandato", text="", **mandate))
    session = {"body": "fejuve", "session": "Sesion reservada"}
    vote = members_only(
        six, delegate, "delegate-vote", **session, question=mandate["question"], choice=mandate["position"]
    )
    members_only(six, delegate, "request-mandate", body="fejuve", question="Peaje reservado",
                 text="Necesito posicion sobre el peaje")  # fmt: skip
    members_only(six, "ana", "hold-session", **session)
    members_only(six, delegate, "file-report", **session, text="Informe reservado del delegado")
    petitioner = next(n for n in HOUSEHOLD_OF if n != delegate)
    petition = members_only(six, petitioner, "petition-recall", cargo="delegado", member=pub(delegate),
                            reason="Motivo reservado de la revocatoria")  # fmt: skip
    pool = {pub(n): {"zona-reservada": "norte" if i % 2 else "sur"} for i, n in enumerate(HOUSEHOLD_OF)}
    quotas = [Quota("zona-reservada", "norte", 1, 2)]
    prepared = prepare_draw(pool, quotas=quotas, panel_size=2, size=50)
    draw = members_only(six, "bea", "prepare-draw", purpose="Comision reservada", **prepared,
                        commit_until=clock.now + 10_000, reveal_until=clock.now + 20_000,
                        beacon_chain=[{k: BEACON[k] for k in ("source", "round")}],
                        beacon_after=clock.now + 30_000)  # fmt: skip
    return {"vote": vote, "petition": petition, "draw": draw}


def _read(asm: ApiAssembly, ids: dict[str, Any]) -> dict[str, str]:
    answers = {}
    for path in (*CARGO_READS, f"/draws/{ids['draw']}"):
        response = asm.get(path)
        assert response.status_code == 200, (path, response.content)
        answers[path] = json.dumps(response.json(), ensure_ascii=False)
    return answers


def test_outsiders_read_no_members_only_word_in_any_cargo_read(
    six: ApiAssembly, private: dict[str, Any]
) -> None:
    # given nobody logged in
    # when every cargo read is asked
    answers = _read(six, private)
    # then no members-only word appears, and the acts are there, marked
    for path, text in answers.items():
        assert [s for s in SECRETS if s in text] == [], path
    mandates = six.get("/mandates").json()
    assert [(m["position"], m["members_only"]) for m in mandates["mandates"]] == [(None, True)]
    assert [r["text"] for r in mandates["requests"]] == [None]
    (vote,) = six.get("/delegate-votes").json()
    assert (vote["seq"], vote["question"], vote["choice"], vote["members_only"]) == (
        private["vote"],
        None,
        None,
        True,
    )
    (recall,) = six.get("/recalls").json()
    assert (recall["petition"], recall["reason"]) == (private["petition"], None)
    draw = six.get(f"/draws/{private['draw']}").json()
    assert draw["purpose"] is None and draw["quotas"] is None and draw["members_only"]
    assert set(draw["pool"]) == {pub(n) for n in HOUSEHOLD_OF} and set(draw["pool"].values()) == {None}


def test_a_member_logged_in_reads_every_members_only_word_of_the_cargos(
    six: ApiAssembly, private: dict[str, Any]
) -> None:
    # given carla logged in to this assembly from her device
    log_in(six.client, six.log, "carla")
    # when
    text = " ".join(_read(six, private).values())
    # then (the report's text is on the mandates page, not in the sessions read)
    assert [s for s in SECRETS if s not in text] == ["Informe reservado del delegado"]


def test_a_member_of_another_assembly_reads_no_members_only_word_of_the_cargos(
    six: ApiAssembly, private: dict[str, Any]
) -> None:
    # given a member of another assembly on this node, logged in there
    other = ApiAssembly.found(six.client, ["eva", "flor"], name="Sindicato")
    log_in(six.client, other.log, "eva")
    # when
    answers = _read(six, private)
    # then
    for path, text in answers.items():
        assert [s for s in SECRETS if s in text] == [], path


def test_a_household_written_for_members_only_is_not_named_to_outsiders_in_the_cargo_reads(
    six: ApiAssembly, clock: Clock
) -> None:
    # given: gina applies with her household in a members-only body and is admitted; a cargo by turn
    members_only(six, "gina", "apply", household="familia-reservada")
    six.ok("carla", "sponsor", applicant=pub("gina"))
    cargo = {"cargo": "agua", "powers": ["coordinate_work"], "burden": 1, "term_days": 30, "seats": 1}
    proposal = six.ok("ana", "propose-cargo", title="Agua", text="", **cargo)
    _close(six, clock, proposal, also=("gina",))
    paths = ("/holdings", "/turns", "/roster", "/concentration")
    # when
    outsider = {path: json.dumps(six.get(f"{path}?at={clock.now}").json()) for path in paths}
    why = six.get("/households/familia-reservada/turns")
    log_in(six.client, six.log, "carla")
    member = {path: json.dumps(six.get(f"{path}?at={clock.now}").json()) for path in paths}
    # then: outsiders get null where the household would be named, and cannot ask about it by name
    assert [p for p, text in outsider.items() if "familia-reservada" in text] == []
    assert why.status_code == 404
    standings = six.client.get(f"/api/assemblies/{six.log}/turns?at={clock.now}").json()[0]["standings"]
    assert "familia-reservada" in [s["household"] for s in standings]  # carla, a member, reads it
    assert [p for p, text in member.items() if "familia-reservada" not in text] == []


def test_every_word_a_cargo_read_returns_is_wrapped_with_the_act_that_wrote_it(
    six: ApiAssembly, private: dict[str, Any], clock: Clock
) -> None:
    # given every kind of cargo act that writes words has written some (the fixture), and an exemption
    reason = "Razon de la exencion 83"
    exemption = {"household": "h-bea", "start": clock.now, "end": clock.now + 400 * 86_400_000}
    _close(
        six, clock, six.ok("ana", "propose-exemption", title="Exencion", text="", **exemption, reason=reason)
    )
    log, later = six.log, 4_102_444_800_000
    # when every cargo read the API and the pages take words from is asked, before any reader's view
    reads = {
        "mandates and requests": q.list_mandates(log),
        "sessions": q.list_sessions(log, now=clock.now),
        "report flags": q.list_report_flags(log, now=later),
        "delegate votes": q.list_delegate_votes(log),
        "recalls": q.list_recall_petitions(log, open_only=False),
        "draws": q.list_draws(log),
        "draw": q.get_draw(log, private["draw"]),
        "exemptions": read_state(log, lambda s: core.list_exemptions(s, now=clock.now)),
        "home": page_reads.get_member_home(log, member=pub("ana"), now=later),
    }
    # then no word sits outside a Said: a field added later without one fails here
    words = {*SECRETS, reason}
    assert {name: unwrapped(read, words) for name, read in reads.items() if unwrapped(read, words)} == {}
    assert reason in json.dumps(shown_to(reads["exemptions"], frozenset()), default=as_dict)


def as_dict(data: Any) -> dict[str, Any]:
    """A read model as JSON would carry it."""
    return dataclasses.asdict(data)


def placed_outside(data: Any, names: set[str], where: str = "", *, unit: str = "") -> list[str]:
    """Where a household's name sits in `data` other than where `cargo_visibility.hide_households`
    looks for one (the keys "household", "stands_for", "other"; a share's id per household)."""
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        data = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    if isinstance(data, dict):
        found = [f"{where}.{k}" for k in data if k in names]
        for key, value in data.items():
            if isinstance(value, str) and value in names:
                listed = key in HOUSEHOLD_KEYS or (key == "id" and unit == "household")
                found += [] if listed else [f"{where}.{key}"]
            else:
                inner = data.get("unit", unit) if key == "shares" else unit
                found += placed_outside(value, names, f"{where}.{key}", unit=inner)
        return found
    if isinstance(data, list | tuple):
        return [p for i, v in enumerate(data) for p in placed_outside(v, names, f"{where}[{i}]", unit=unit)]
    return [where] if isinstance(data, str) and data in names else []


def test_every_household_name_a_cargo_read_returns_sits_where_it_is_hidden(
    six: ApiAssembly, clock: Clock
) -> None:
    # given a cargo by turn, a swap accepted and one offered, an exemption, and a concentration to measure
    cargo = {"cargo": "agua", "powers": ["coordinate_work"], "burden": 1, "term_days": 30, "seats": 1}
    _close(six, clock, six.ok("ana", "propose-cargo", title="Agua", text="", **cargo))
    exemption = {"household": "h-bea", "start": clock.now, "end": clock.now + 400 * 86_400_000}
    _close(six, clock, six.ok("ana", "propose-exemption", title="E", text="", **exemption, reason="R"))
    swap = six.ok("carla", "propose-swap", cargo="agua", household="h-ana")
    six.ok("dora", "accept-swap", swap=swap)
    six.ok("ana", "propose-swap", cargo="agua", household="h-carla")
    log, now = six.log, clock.now
    # when every cargo read that names households is asked, before any reader's view
    reads = {
        "holdings": q.list_holdings(log, now=now),
        "turns": q.list_turn_order(log, now=now),
        "roster": q.get_planned_roster(log, now=now),
        "why our turn": q.get_why_our_turn(log, household="h-ana", now=now),
        "concentration": q.get_concentration(log, start=0, end=now + 1),
        "exemptions": read_state(log, lambda s: core.list_exemptions(s, now=now)),
        "swap offers": read_state(log, core.list_swap_offers),
        "home": page_reads.get_member_home(log, member=pub(holders(six, "agua", now)[0]), now=now),
    }
    # then every household's name is where hide_households replaces it: a new key fails here
    names = set(HOUSEHOLD_OF.values())
    assert {k: placed_outside(r, names) for k, r in reads.items() if placed_outside(r, names)} == {}
    assert [
        k for k, r in reads.items() if '"h-' not in json.dumps(shown_to(r, frozenset()), default=as_dict)
    ] == []
