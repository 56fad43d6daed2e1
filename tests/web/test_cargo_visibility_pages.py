"""The cargo pages hide members-only words from anyone but this assembly's logged-in members: a
mandate's position, a delegate's session, vote and report, a recall's reason, an exemption's reason.
Outsiders see that each exists, marked "(members only)", in Spanish and English."""

import itertools
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.record import sign_act
from ayllu.queries.assembly import read_state
from factories.keys import keypair
from factories.records import act_body
from factories.scenes import NAMES, CargoAssembly, Clock, build_scene, clock
from factories.stored import log_in_as

from .test_cargo_pages import text_of

__all__ = ["clock"]  # the fixture, imported for the tests below

SECRETS = (
    "Tarifa reservada",
    "Rechazar la tarifa reservada",
    "Sesion reservada",
    "Informe reservado del delegado",
    "Motivo reservado de la revocatoria",
    "Cuidado de un familiar enfermo",
    "Familia Reservada",
)
_nonces = itertools.count(1)


def members_only(asm: CargoAssembly, who: str, type: str, content: dict[str, Any]) -> int:
    """Sign `content` as `who` in a members-only body and append it; return its seq."""
    body = act_body(type, content, vis="members")
    signed = sign_act(asm.keys[who], log=asm.log, type=type, body=body, nonce=f"mo{next(_nonces)}")
    return do_append(asm.log, signed_act=signed, body=body).seq


def decide_members_only(asm: CargoAssembly, matter: str, effect: dict[str, Any]) -> int:
    """Table a members-only proposal, every member votes yes (public acts), close it; return its id."""
    content = {"matter": matter, "title": "Reservado", "text": "", "effect": effect}
    proposal = members_only(asm, "ana", "proposal.tabled", content)
    question = asm.act("ana", "question.opened", {"proposal": proposal, "deadline": asm.clock.now + DAY_MS})
    eligible = read_state(asm.log, lambda s: set(s.questions[question].eligible))
    for name in NAMES:
        if asm.pub(name) in eligible:
            asm.act(name, "vote.cast", {"question": question, "choice": "yes"})
    asm.act("ana", "question.closed", {"question": question})
    return proposal


@pytest.fixture
def scene(db: None, clock: Clock) -> CargoAssembly:
    """The cargo scene, and a mandate, a session, a vote, a report, a recall petition and an exemption
    signed for members only."""
    forget_replayed_state()
    asm = build_scene(clock, draw=False)
    mandate = {"body": "fejuve", "question": "Tarifa reservada", "position": "Rechazar la tarifa reservada"}
    decide_members_only(asm, "mandate", mandate)
    delegate = asm.holders("delegacion")[0]
    session = {"body": "fejuve", "session": "Sesion reservada"}
    members_only(asm, delegate, "delegate.voted", {**session, "question": mandate["question"],
                                                   "choice": mandate["position"]})  # fmt: skip
    members_only(asm, "carla", "delegate.session_held", session)
    members_only(
        asm, delegate, "delegate.report_filed", {**session, "text": "Informe reservado del delegado"}
    )
    petitioner = next(n for n in NAMES if n != delegate)
    reason = "Motivo reservado de la revocatoria"
    recall = {"cargo": "delegacion", "member": asm.pub(delegate), "reason": reason}
    members_only(asm, petitioner, "recall.petitioned", recall)
    exemption = {"household": "Condori", "start": clock.now, "end": clock.now + 60 * DAY_MS,
                 "reason": "Cuidado de un familiar enfermo"}  # fmt: skip
    decide_members_only(asm, "exemption", exemption)
    # gina joins with her household named in a members-only application: the turn order ranks it
    asm.keys["gina"] = keypair("gina")
    members_only(asm, "gina", "member.applied", {"household": "Familia Reservada"})
    for sponsor in ("carla", "dora"):
        asm.act(sponsor, "member.sponsored", {"applicant": asm.pub("gina")})
    return asm


def _pages(client: Client, log: str, language: str) -> dict[str, str]:
    names = ("cargos", "mandates", "recall", "concentration")
    return {name: text_of(client, language, log, name) for name in names}


@pytest.mark.parametrize(("language", "mark"), [("es", "(solo para miembros)"), ("en", "(members only)")])
def test_outsiders_see_the_cargo_acts_marked_but_not_their_words(
    client: Client, scene: CargoAssembly, language: str, mark: str
) -> None:
    # given nobody logged in
    # when
    pages = _pages(client, scene.log, language)
    # then no members-only word is on any cargo page, and each page marks what it holds back
    for name, text in pages.items():
        assert [s for s in SECRETS if s in text] == [], name
        assert mark in text or name == "concentration", name
    # and the public words around them are still there
    assert "Cuida a su madre" in pages["cargos"] and "Tarifa del agua" in pages["mandates"]
    assert "No rinde cuentas de la caja." in pages["recall"]


def test_a_member_logged_in_reads_every_members_only_word_of_the_cargo_pages(
    client: Client, scene: CargoAssembly
) -> None:
    # given dora, a member of this assembly, logged in
    log_in_as(client, scene.log, scene.keys["dora"])
    # when
    text = " ".join(_pages(client, scene.log, "en").values())
    # then
    assert [s for s in SECRETS if s not in text] == []


def test_a_member_of_another_assembly_reads_no_members_only_word_of_the_cargo_pages(
    client: Client, scene: CargoAssembly, clock: Clock
) -> None:
    # given a member of another assembly on this node, logged in there
    from factories.scenes import found_cargo_assembly

    other = found_cargo_assembly(clock, name="Sindicato de lecheras")
    log_in_as(client, other.log, other.keys["ana"])
    # when
    pages = _pages(client, scene.log, "en")
    # then
    for name, text in pages.items():
        assert [s for s in SECRETS if s in text] == [], name


def test_a_member_whose_household_is_confidential_has_their_turns_without_its_name_shown(
    client: Client, db: None, clock: Clock
) -> None:
    # given gina admitted with her household written in a confidential body (the shared list of people
    # has no household for her), in the cargo scene
    forget_replayed_state()
    asm = build_scene(clock, draw=False)
    household = "Familia-CONFIDENCIAL-82"
    asm.keys["gina"] = keypair("gina")
    body = act_body("member.applied", {"household": household}, vis="confidential")
    signed = sign_act(asm.keys["gina"], log=asm.log, type="member.applied", body=body, nonce="conf82")
    do_append(asm.log, signed_act=signed, body=body)
    for sponsor in ("carla", "dora"):
        asm.act(sponsor, "member.sponsored", {"applicant": asm.pub("gina")})
    address = f"/en/assembly/{asm.log}/cargos/"
    outsider = client.get(address).content.decode()
    # when gina reads the cargos page, then dora does
    log_in_as(client, asm.log, asm.keys["gina"])
    hers = client.get(address).content.decode()
    log_in_as(client, asm.log, asm.keys["dora"])
    doras = client.get(address).content.decode()
    # then gina's household's features are there: her panel, her next turn, her rows marked
    assert 'id="ours-title"' in hers and "Your next turn" in hers
    assert "turn turn--ours" in hers and "standings__mine" in hers
    # and nobody, gina included, reads the confidential name
    assert [who for who, text in (("outsider", outsider), ("gina", hers), ("dora", doras))
            if household in text] == []  # fmt: skip


def _tally(html: str) -> str:
    start = html.index('<ul class="tally"')
    return html[start : html.index("</ul>", start)]


def test_a_recall_votes_counts_are_withheld_while_a_ballot_is_members_only(
    client: Client, scene: CargoAssembly
) -> None:
    # given the public recall petition reaches its signatures and one member votes for members only
    petition = scene.ids["petition"]
    treasurer = scene.holders("tesoreria")[0]
    signed = read_state(scene.log, lambda s: s.recall_petitions[petition].signers)
    for name in [n for n in NAMES if n != treasurer and scene.pub(n) not in signed][:2]:
        scene.act(name, "recall.signed", {"petition": petition})
    question = read_state(scene.log, lambda s: s.recall_petitions[petition].question)
    voter = next(n for n in NAMES if n != treasurer)
    members_only(scene, voter, "vote.cast", {"question": question, "choice": "yes"})
    address = f"/en/assembly/{scene.log}/recall/"
    # when an outsider, then a member, reads the recall page
    outsider = _tally(client.get(address).content.decode())
    log_in_as(client, scene.log, scene.keys["dora"])
    member = _tally(client.get(address).content.decode())
    # then the outsider reads that the counts are held back; the member reads them
    assert "data-ayllu-members-only" in outsider and ": 1" not in outsider
    assert "data-ayllu-members-only" not in member and ": 1" in member
