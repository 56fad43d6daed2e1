"""Powers come only from current cargos; recall by petition removes a holder the turn order replaces."""

import pytest

from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import DomainError
from ayllu.core.mandates.recall import list_recall_petitions
from factories.assemblies import NAMES, Assembly, create_cargo, decide, holders, name_of, replay_all, tick
from factories.charters import cargo_charter
from factories.keys import pub

FIVE = NAMES[:5]
SIX = [*FIVE, "flor"]


def _convening_cargo(asm: Assembly) -> str:
    """Create a convening cargo; the founding convenor ("flor", exempt from turns) never holds it."""
    until = asm.clock + 999 * DAY_MS
    decide(asm, "exemption", {"member": pub("flor"), "start": 0, "end": until, "reason": "already convenes"})
    create_cargo(asm, "convocatoria", powers=["convene_meetings"], term_days=60)
    return holders(asm, "convocatoria")[0]


@pytest.mark.parametrize(
    ("power", "code"),
    [
        ("amend_charter", "forbidden_power"),
        ("admit_members", "forbidden_power"),
        ("rule_all", "unknown_power"),
    ],
)
def test_a_cargo_cannot_carry_a_power_over_the_record_the_charter_or_membership(
    power: str, code: str
) -> None:
    # given
    asm = Assembly.found(FIVE, charter=cargo_charter())
    effect = {"cargo": "jefe", "powers": [power], "burden": 1, "term_days": 30, "seats": 1}
    # when
    refused = asm.rejects(
        "ana", "proposal.tabled", {"matter": "cargo_creation", "title": "t", "text": "", "effect": effect}
    )
    # then
    assert refused == code


def test_only_a_current_holder_of_convene_meetings_convenes() -> None:
    # given: the founding convenor's grant (one year) and a new cargo with the power
    asm = Assembly.found(SIX, charter=cargo_charter(), convenor="flor")
    holder = _convening_cargo(asm)
    other = next(n for n in FIVE if n != holder)
    # when
    refused = asm.rejects(other, "meeting.convened", {"title": "x", "starts": asm.clock})
    asm.act(holder, "meeting.convened", {"title": "x", "starts": asm.clock})
    # then
    assert refused == "not_convenor"


def test_announcements_need_the_power() -> None:
    # given
    asm = Assembly.found(FIVE, charter=cargo_charter())
    create_cargo(asm, "voceria", powers=["publish_announcements"])
    speaker = holders(asm, "voceria")[0]
    other = next(n for n in FIVE if n != speaker)
    # when
    refused = asm.rejects(other, "announcement.published", {"text": "faena el domingo"})
    asm.act(speaker, "announcement.published", {"text": "faena el domingo"})
    # then
    assert refused == "lacks_power"


def _recall(asm: Assembly, *, cargo: str, holder: str, signers: list[str]) -> int:
    petition = asm.act(
        signers[0], "recall.petitioned", {"cargo": cargo, "member": pub(holder), "reason": "no convoca"}
    )
    for name in signers[1:]:
        asm.act(name, "recall.signed", {"petition": petition.seq})
    return list_recall_petitions(asm.state)[0].question


def test_recall_end_to_end_and_the_recalled_holders_later_acts_are_rejected_on_replay() -> None:
    # given: a holder of convene_meetings (founding convenor's grant cut short, so only the cargo counts)
    asm = Assembly.found(SIX, charter=cargo_charter(), convenor="flor")
    holder = _convening_cargo(asm)
    voters = [n for n in SIX if n != holder]
    # when: two members sign (the charter's count) and the question opens at once
    question = _recall(asm, cargo="convocatoria", holder=holder, signers=voters[:2])
    opened = asm.state.questions[question]
    for name in voters:
        asm.vote(name, question, "yes")
    asm.close_after_deadline(voters[0], question)
    # then: the holder is out, someone else holds the cargo by turn
    assert question and opened.deadline > opened.opened_time
    assert holder not in holders(asm, "convocatoria") and len(holders(asm, "convocatoria")) == 1
    assert asm.rejects(holder, "meeting.convened", {"title": "x", "starts": asm.clock}) == "not_convenor"
    successor = holders(asm, "convocatoria")[0]
    asm.act(successor, "meeting.convened", {"title": "y", "starts": asm.clock})
    # and on replay: a validly signed act by the recalled holder under the cargo breaks the record
    forged, body = asm.seal(holder, "meeting.convened", {"title": "z", "starts": asm.clock})
    with pytest.raises(DomainError) as raised:
        replay_all(asm.log, [*asm.entries, forged], {**asm.bodies, body.hash: body})
    assert raised.value.code == "not_convenor"


def test_the_person_recalled_cannot_block_or_vote() -> None:
    # given: a recall question on a holder
    asm = Assembly.found(SIX, charter=cargo_charter(), convenor="flor")
    holder = _convening_cargo(asm)
    voters = [n for n in SIX if n != holder]
    question = _recall(asm, cargo="convocatoria", holder=holder, signers=voters[:2])
    # when
    refused = asm.rejects(holder, "vote.cast", {"question": question, "choice": "no"})
    for name in voters[:3]:
        asm.vote(name, question, "yes")
    for name in voters[3:]:
        asm.vote(name, question, "no")
    asm.close_after_deadline(voters[0], question)
    # then
    assert refused == "not_eligible"
    assert pub(holder) not in asm.state.questions[question].eligible
    assert asm.state.questions[question].outcome.result == "passed"


def test_a_recalled_member_cannot_block_a_recall_decided_by_consensus() -> None:
    # given: the charter decides recall proposals by consensus (one block stops it)
    charter = cargo_charter()
    charter["methods"]["recall"] = {"method": "consensus"}
    asm = Assembly.found(SIX, charter=charter, convenor="flor")
    holder = _convening_cargo(asm)
    # when: the recall is tabled as a proposal and the holder tries to block
    effect = {"cargo": "convocatoria", "member": pub(holder)}
    voter = next(n for n in FIVE if n != holder)
    question = asm.open_question(voter, asm.table(voter, matter="recall", effect=effect))
    refused = asm.rejects(holder, "vote.cast", {"question": question, "choice": "block", "reason": "no"})
    # then
    assert refused == "not_eligible"


def test_a_petition_needs_a_current_holder_and_signers_sign_once() -> None:
    # given
    asm = Assembly.found(
        FIVE, charter=cargo_charter(recall={"petition": 3, "threshold": "1/2", "voting_ms": 10_000})
    )
    holder = holders(asm, "convenor")[0]
    # when
    not_holder = asm.rejects(
        "bea", "recall.petitioned", {"cargo": "convenor", "member": pub("bea"), "reason": "r"}
    )
    petition = asm.act(
        "bea", "recall.petitioned", {"cargo": "convenor", "member": pub(holder), "reason": "r"}
    )
    twice = asm.rejects("bea", "recall.signed", {"petition": petition.seq})
    again = asm.rejects(
        "carla", "recall.petitioned", {"cargo": "convenor", "member": pub(holder), "reason": "r"}
    )
    # then
    assert (not_holder, twice, again) == ("not_a_holder", "already_signed", "recall_already_open")
    assert list_recall_petitions(asm.state)[0].status == "collecting"


def test_leaving_vacates_a_turn_cargo_and_the_turn_order_fills_it() -> None:
    # given
    asm = Assembly.found(FIVE, charter=cargo_charter())
    create_cargo(asm, "faena", powers=["coordinate_work"])
    holder = holders(asm, "faena")[0]
    # when
    asm.act(holder, "member.left", {})
    # then
    assert holders(asm, "faena") and holder not in holders(asm, "faena")
    tick(asm, days=1, who=next(n for n in FIVE if n != holder))
    assert name_of(asm.state.cargos["faena"].terms[-1].member) != holder
