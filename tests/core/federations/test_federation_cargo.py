"""A federation's cargo given by its own decision (`cargo_assignment`) names a seated delegate (decision
0030): anyone else is refused; the holder acts as the federation's member for the term the decision set,
even once their seat ended, and no longer when the term ends by itself."""

from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.cargos.powers import CONVENE_MEETINGS, holds_power
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.proposals.tabling import ProposalTabled
from factories.assemblies import Assembly, replay_all
from factories.federations import (
    close_after_grace,
    federation_decides,
    found_federation,
    found_home,
    seated_delegate,
    standing_name,
    vote_by_delegates,
)
from factories.keys import pub

TABLED = "proposal.tabled"


def _federation() -> tuple[list[Assembly], Assembly]:
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    return [alto, bajo], found_federation({"ana": alto, "dora": bajo})


def _assignment(member: str, until: int) -> dict[str, Any]:
    return {
        "matter": "cargo_assignment",
        "title": "convenor",
        "text": "",
        "effect": {"cargo": "convenor", "member": pub(member), "until": until},
    }


def test_a_federation_gives_its_cargo_to_a_seated_delegate_who_acts_for_its_term() -> None:
    homes, fed = _federation()
    delegate, _ = seated_delegate(fed, homes[0])
    until = fed.clock + 90 * DAY_MS  # beyond the delegate's 60-day credential
    # when the federation decides that alto's delegate holds the convenor cargo
    federation_decides(fed, homes, "cargo_assignment", _assignment(delegate, until)["effect"])
    # then they hold it, with its power to convene the federation's meetings
    assert fed.state.cargos["convenor"].held_by(pub(delegate), now=fed.clock)
    assert holds_power(fed.state, pub(delegate), CONVENE_MEETINGS, now=fed.clock)
    fed.act(delegate, "meeting.convened", {"title": "asamblea", "starts": fed.clock + DAY_MS})
    # and once their seat ended, they still act as the federation's member by the cargo
    fed.clock += 70 * DAY_MS
    assert not any(
        s.stands(now=fed.clock)
        for m in fed.state.member_assemblies.values()
        for s in m.seats
        if s.key == pub(delegate)
    )
    fed.table(delegate)
    # until the term ends by itself
    fed.clock = until
    assert fed.rejects(
        delegate, TABLED, {**_assignment(delegate, until), "matter": "ordinary", "effect": {}}
    ) == ("not_a_seated_delegate")
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert again.cargos["convenor"].holders == fed.state.cargos["convenor"].holders


def test_a_federations_cargo_is_refused_to_a_founder_without_a_seat_and_to_a_stranger() -> None:
    homes, fed = _federation()
    delegate, _ = seated_delegate(fed, homes[0])
    later = fed.clock + 30 * DAY_MS
    # a founder (dora: a member of the record's founding, no seat) and a stranger are refused at tabling
    assert fed.rejects(delegate, TABLED, _assignment("dora", later)) == "cargo_holder_not_seated"
    assert fed.rejects(delegate, TABLED, _assignment("lola", later)) == "cargo_holder_not_seated"
    # and the core says so to a page asking for the seated delegate
    act = ProposalTabled.parse(_assignment("lola", later), seq=0)
    error = refusal(fed.state, key=pub(delegate), act=act, time=fed.clock + 1)
    assert error is not None and error.code == "cargo_holder_not_seated"
    assert standing_name(fed) == delegate


def test_a_cargo_decided_after_the_named_delegates_seat_ended_changes_nothing() -> None:
    homes, fed = _federation()
    alto_delegate, _ = seated_delegate(fed, homes[0])  # a 60-day credential
    fed.clock += 50 * DAY_MS
    homes[1].clock = fed.clock
    bajo_delegate, _ = seated_delegate(fed, homes[1])
    # alto's delegate is named while seated; the question closes after their credential ended
    effect = _assignment(alto_delegate, fed.clock + 90 * DAY_MS)["effect"]
    proposal = fed.table(bajo_delegate, matter="cargo_assignment", effect=effect)
    question = fed.open_question(bajo_delegate, proposal, voting_ms=20 * DAY_MS)
    vote_by_delegates(fed, [homes[1]], question, "yes")
    close_after_grace(fed, question, by=bajo_delegate)
    # then the decision passed and gave nobody the cargo
    assert fed.state.proposals[proposal].status == "adopted"
    assert not fed.state.cargos.get("convenor")


_CREATION = {"cargo": "tesorero", "powers": ["keep_minutes"], "burden": 1, "term_days": 30, "seats": 1}


def test_a_federation_refuses_a_cargo_by_turn_among_households_and_an_exemption_from_turns() -> None:
    # decision 0033: a federation's turn passes among its member assemblies, by its charter's offices
    homes, fed = _federation()
    delegate, _ = seated_delegate(fed, homes[0])
    creation = {"matter": "cargo_creation", "title": "tesorero", "text": "", "effect": _CREATION}
    exemption = {"matter": "exemption", "title": "viaje", "text": "", "effect": {
        "member": pub("dora"), "start": fed.clock, "end": fed.clock + DAY_MS, "reason": "viaje",
    }}  # fmt: skip
    # when a seated delegate tables either, the core refuses it (every replica runs this rule)
    assert fed.rejects(delegate, TABLED, creation) == "no_turns_in_federation"
    assert fed.rejects(delegate, TABLED, exemption) == "no_turns_in_federation"
    # and says so to a page or the API asking before signing
    act = ProposalTabled.parse(creation, seq=0)
    error = refusal(fed.state, key=pub(delegate), act=act, time=fed.clock + 1)
    assert error is not None and error.code == "no_turns_in_federation"
    # nothing was appended, and the founders' households got no turn
    assert not fed.state.proposals and not fed.state.cargos


def test_an_assemblys_cargo_by_turn_is_still_created_and_filled_by_turn() -> None:
    # the refusal reads only federations: an assembly's record creates the same cargo as before
    alto = found_home(["ana", "bea", "carla"])
    creation = {"matter": "cargo_creation", "title": "tesorero", "text": "", "effect": _CREATION}
    seq = alto.act("ana", TABLED, creation).seq
    assert alto.state.proposals[seq].matter == "cargo_creation"
