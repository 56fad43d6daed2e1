"""Ratification of a federation's resolutions: each rule checked by proof alone, the same on every replica."""

from dataclasses import replace
from fractions import Fraction

import pytest

from ayllu.core.assembly.state import RatificationAnswer, Resolution
from ayllu.core.charter.rules import DAY_MS, parse_charter
from ayllu.core.federations.ratification import tally_resolution
from factories.assemblies import Assembly, decide, replay_all
from factories.charters import cargo_charter
from factories.federations import (
    FEDERATION,
    accredit,
    adopt_resolution,
    found_home,
    give_federation_cargo,
    ratified_content,
    ratify_at_home,
    ratifying_federation,
    record_ratification,
    seat_content,
    seated_delegate,
)

RATIFIED = "federation.ratified"
RECORDED = "ratification.recorded"


def _three_homes(
    ratification: dict[str, object] | None = None,
) -> tuple[Assembly, Assembly, Assembly, Assembly]:
    alto = found_home(["ana", "bea", "carla"])
    bajo = found_home(["dora", "eva", "flor"])
    sur = found_home(["gina", "hilda", "ines", "juana", "karen"])
    fed = ratifying_federation({"ana": alto, "dora": bajo, "gina": sur}, ratification=ratification)
    return alto, bajo, sur, fed


def _outcome(fed: Assembly, resolution: int) -> str:
    return tally_resolution(fed.state.resolutions[resolution], now=fed.clock).outcome


def _answer(fed: Assembly, home: Assembly, resolution: int, *, yes: bool = True) -> None:
    fed.act(
        "ana",
        RATIFIED,
        ratified_content(home, ratify_at_home(home, fed.log, resolution, yes=yes), resolution),
    )


def test_a_resolution_is_pending_until_the_share_of_assemblies_ratifies_it_and_every_replica_agrees() -> None:
    # given a resolution needing half the member assemblies
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur], share="1/2")
    assert _outcome(fed, resolution) == "pending"
    # when one assembly ratifies, then a second (cited by anyone: here a stranger's key)
    _answer(fed, alto, resolution)
    pending = _outcome(fed, resolution)
    recorded = ratify_at_home(bajo, fed.log, resolution)
    fed.act("zoe", RATIFIED, ratified_content(bajo, recorded, resolution))
    # then
    assert (pending, _outcome(fed, resolution)) == ("pending", "ratified")
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert tally_resolution(again.resolutions[resolution], now=fed.clock) == tally_resolution(
        fed.state.resolutions[resolution], now=fed.clock
    )


def test_refusals_are_counted_and_a_share_out_of_reach_is_rejected() -> None:
    # given a resolution needing two thirds of three assemblies
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur], share="2/3")
    # when two refuse
    _answer(fed, alto, resolution, yes=False)
    _answer(fed, bajo, resolution, yes=False)
    # then
    tally = tally_resolution(fed.state.resolutions[resolution], now=fed.clock)
    assert (tally.outcome, tally.yes, tally.no) == ("rejected", 0, 2)


def test_without_the_share_by_the_deadline_a_resolution_expires_and_later_answers_are_refused() -> None:
    # given one of three assemblies ratified
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur], share="1/2", days=10)
    _answer(fed, alto, resolution)
    recorded = ratify_at_home(bajo, fed.log, resolution)
    # when the deadline passes
    fed.wait(11 * DAY_MS)
    late = fed.rejects("ana", RATIFIED, ratified_content(bajo, recorded, resolution))
    # then
    assert (_outcome(fed, resolution), late) == ("expired", "ratification_too_late")


def test_one_answer_per_assembly_counts() -> None:
    # given alto's yes counted
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur])
    recorded = ratify_at_home(alto, fed.log, resolution)
    fed.act("ana", RATIFIED, ratified_content(alto, recorded, resolution))
    # when the same answer is cited again, and then a later decision of alto answering no
    twice = fed.rejects("bea", RATIFIED, ratified_content(alto, recorded, resolution))
    refusal = ratify_at_home(alto, fed.log, resolution, yes=False)
    contrary = fed.rejects("ana", RATIFIED, ratified_content(alto, refusal, resolution))
    # then
    assert (twice, contrary) == ("ratification_duplicate", "ratification_contradicts")
    assert fed.state.resolutions[resolution].answers[alto.log].yes


def test_an_assembly_that_is_not_a_member_or_joined_later_does_not_ratify() -> None:
    # given a resolution, and an assembly outside the federation that decided on it anyway
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur])
    outsider = found_home(["lola", "carla", "flor"])
    outside = fed.rejects(
        "ana", RATIFIED, ratified_content(outsider, ratify_at_home(outsider, fed.log, resolution), resolution)
    )
    # when it then joins by its delegate's seat (joining is open) and cites a new decision
    delegate = give_federation_cargo(outsider, fed.log)
    fed.act(delegate, "federation.seated", seat_content(outsider, accredit(outsider, delegate, fed.log)))
    joined = fed.rejects(
        "ana", RATIFIED, ratified_content(outsider, ratify_at_home(outsider, fed.log, resolution), resolution)
    )
    # then
    assert (outside, joined) == ("not_a_member_assembly", "not_a_ratifying_assembly")
    assert (
        not fed.state.resolutions[resolution].answers
        and alto.log in fed.state.resolutions[resolution].members
    )


def test_a_forged_or_misread_citation_is_refused() -> None:
    # given alto's recorded yes
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur])
    recorded = ratify_at_home(alto, fed.log, resolution)
    content = ratified_content(alto, recorded, resolution)
    # when the body is changed to say no, the proof is altered, a credential is cited, or the citation
    # is read as another resolution's
    flipped = fed.rejects("ana", RATIFIED, {**content, "report": {**content["report"], "answer": "no"}})
    citation = dict(content["cites"][0])
    citation["proof"] = ["0" * 64, *citation["proof"][1:]] if citation["proof"] else ["0" * 64]
    forged = fed.rejects("ana", RATIFIED, {**content, "cites": [citation]})
    _, seated_on = seated_delegate(fed, bajo)
    credential = seat_content(bajo, seated_on)
    wrong_kind = fed.rejects(
        "ana", RATIFIED, {**content, "cites": credential["cites"], "report": credential["credential"]}
    )
    other = adopt_resolution(fed, [alto, bajo, sur])
    misread = fed.rejects("ana", RATIFIED, {**content, "resolution": other})
    unknown = fed.rejects("ana", RATIFIED, {**content, "resolution": 999})
    # then
    assert flipped == wrong_kind == "not_a_ratification"
    assert forged in ("citation_bad_proof", "citation_bad_checkpoint")
    assert (misread, unknown) == ("ratification_other_resolution", "unknown_resolution")
    assert not fed.state.resolutions[resolution].answers


def test_a_ratification_of_another_federation_is_refused() -> None:
    # given alto answering another federation's resolution of the same id
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur])
    recorded = ratify_at_home(alto, "ab" * 32, resolution)
    # when / then
    assert (
        fed.rejects("ana", RATIFIED, ratified_content(alto, recorded, resolution))
        == "ratification_other_federation"
    )


def test_the_home_rules_refuse_a_result_the_decision_did_not_reach() -> None:
    # given a ratification decision alto adopted
    alto, bajo, sur, fed = _three_homes()
    resolution = adopt_resolution(fed, [alto, bajo, sur])
    effect = {"federation": fed.log, "resolution": resolution}
    proposal = decide(alto, "ratification", effect)
    ordinary = decide(alto, "ordinary", {})
    undecided = alto.table("ana", matter="ratification", effect=effect)
    # when a member records it otherwise than it closed, another proposal, or an undecided one
    codes = [
        _refused(alto, proposal, answer="no"),
        _refused(alto, proposal, households=7),
        _refused(alto, proposal, resolution=resolution + 1),
        _refused(alto, ordinary, **effect),
        _refused(alto, undecided),
    ]
    record_ratification(alto, proposal)
    twice = _refused(alto, proposal)
    # then
    assert codes == [
        "ratification_not_decided",
        "ratification_not_decided",
        "not_a_ratification_decision",
        "not_a_ratification_decision",
        "ratification_not_decided",
    ]
    assert twice == "ratification_already_recorded"


def _refused(home: Assembly, proposal: int, **changes: object) -> str:
    try:
        record_ratification(home, proposal, **changes)
    except Exception as exc:
        return getattr(exc, "code", repr(exc))
    raise AssertionError("recorded")


def test_a_resolution_asks_the_charters_weighting_and_at_least_its_share() -> None:
    # given a federation whose charter chooses households capped at 100, two thirds at least
    alto, _, _, fed = _three_homes({"rule": "households_capped", "share": "2/3", "cap": 100})
    delegate, _ = seated_delegate(fed, alto)
    deadline = fed.clock + 30 * DAY_MS
    # when
    other_rule = fed.rejects(delegate, "proposal.tabled", _resolution("assemblies", "2/3", deadline))
    too_small = fed.rejects(delegate, "proposal.tabled", _resolution("households_capped", "1/2", deadline))
    past = fed.rejects(delegate, "proposal.tabled", _resolution("households_capped", "2/3", fed.clock))
    # then
    assert (other_rule, too_small, past) == (
        "resolution_rule_not_charters",
        "resolution_share_below_charter",
        "invalid_effect",
    )


def test_an_assembly_has_no_resolutions_to_ratify() -> None:
    home = found_home(["ana", "bea", "carla"])
    code = home.rejects("ana", "proposal.tabled", _resolution("assemblies", "1/2", home.clock + DAY_MS))
    assert code == "not_a_federation"


def _resolution(rule: str, share: str, deadline: int) -> dict[str, object]:
    effect = {"rule": rule, "share": share, "deadline": deadline}
    return {"matter": "resolution", "title": "Paro cívico", "text": "", "effect": effect}


def test_households_are_weighed_as_each_home_states_them_up_to_the_cap() -> None:
    # given households capped at 4: sur has 5 households, alto and bajo 3 each
    alto, bajo, sur, fed = _three_homes({"rule": "households_capped", "share": "1/2", "cap": 4})
    resolution = adopt_resolution(fed, [alto, bajo, sur], share="1/2")
    # when sur ratifies: 4 (capped) of at most 4 + 4 + 4 (silence weighs the cap)
    _answer(fed, sur, resolution)
    after_sur = tally_resolution(fed.state.resolutions[resolution], now=fed.clock)
    # and alto refuses: 4 of 4 + 3 + 4
    _answer(fed, alto, resolution, yes=False)
    after_alto = tally_resolution(fed.state.resolutions[resolution], now=fed.clock)
    # then
    assert fed.state.resolutions[resolution].answers[sur.log].households == 5
    assert (after_sur.yes_weight, after_sur.base, after_sur.outcome) == (4, 12, "pending")
    assert (after_alto.yes_weight, after_alto.no_weight, after_alto.base) == (4, 3, 11)
    assert after_alto.reached == Fraction(4, 11) and after_alto.outcome == "pending"


def _answers(resolution: Resolution, given: list[tuple[bool, int]]) -> Resolution:
    answers = {
        log: RatificationAnswer(log, yes, households, seq, 1, (log, 1, "0" * 64))
        for seq, (log, (yes, households)) in enumerate(zip(resolution.members, given, strict=False), start=2)
    }
    return replace(resolution, answers=answers)


def _eu(members: int) -> Resolution:
    return Resolution(
        proposal=1, seq=1, time=0, rule="double_majority", share=Fraction(55, 100), deadline=100,
        members=tuple(f"{n:064x}" for n in range(members)), households_share=Fraction(65, 100), blocking=4,
    )  # fmt: skip


def test_a_double_majority_needs_both_shares_and_a_blocking_minority_to_refuse() -> None:
    # given ten assemblies; six (55 % is 5.5) ratify
    eu = _eu(10)
    six_big = _answers(eu, [(True, 100)] * 6 + [(False, 50)] * 4)
    six_small_three_refuse = _answers(eu, [(True, 10)] * 6 + [(False, 100)] * 3)
    six_small_four_refuse = _answers(eu, [(True, 10)] * 6 + [(False, 100)] * 4)
    five = _answers(eu, [(True, 100)] * 5 + [(False, 1)] * 5)
    # when
    outcomes = [
        tally_resolution(six_big, now=50).outcome,  # every member answered: 600 of 800 households
        tally_resolution(six_small_three_refuse, now=101).outcome,  # too few refuse to block
        tally_resolution(six_small_four_refuse, now=50).outcome,  # four refusing hold 400 of 460
        tally_resolution(five, now=50).outcome,  # 5 of 10 assemblies is under 55 %
        tally_resolution(_answers(eu, [(True, 100)] * 6), now=50).outcome,  # the rest may still answer
    ]
    # then
    assert outcomes == ["ratified", "ratified", "rejected", "rejected", "pending"]


def test_a_double_majority_short_of_assemblies_at_the_deadline_expires() -> None:
    partial = _answers(_eu(10), [(True, 100)] * 4)
    assert tally_resolution(partial, now=101).outcome == "expired"
    assert tally_resolution(partial, now=99).outcome == "pending"


@pytest.mark.parametrize(
    "block",
    [
        {"rule": "majority", "share": "1/2"},
        {"rule": "households_capped", "share": "1/2"},
        {"rule": "assemblies", "share": "1/2", "cap": 3},
        {"rule": "double_majority", "share": "55/100", "households_share": "0.65", "blocking": 4},
        {"rule": "double_majority", "share": "55/100", "households_share": "65/100", "blocking": 0},
        {"rule": "assemblies", "share": "3/2"},
    ],
)
def test_the_charters_ratification_block_is_validated(block: dict[str, object]) -> None:
    charter = cargo_charter(federation={**FEDERATION, "ratification": block})
    with pytest.raises(Exception) as refused:
        parse_charter(charter)
    assert getattr(refused.value, "code", "") == "invalid_charter"


def test_the_charter_chooses_the_weighting_exactly() -> None:
    block = {"rule": "double_majority", "share": "55/100", "households_share": "65/100", "blocking": 4}
    chosen = parse_charter(cargo_charter(federation={**FEDERATION, "ratification": block})).federation
    default = parse_charter(cargo_charter(federation=FEDERATION)).federation
    assert chosen is not None and default is not None
    assert (chosen.ratification.share, chosen.ratification.households_share) == (
        Fraction(11, 20),
        Fraction(13, 20),
    )
    assert (default.ratification.rule, default.ratification.share) == ("assemblies", Fraction(1, 2))
