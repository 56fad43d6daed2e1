"""Proposals and questions: outcomes computed on replay, deadlines, quorum, rounds, fallback, amendments."""

from typing import Any

import pytest

from ayllu.core.assembly.replay import apply_entry
from ayllu.core.assembly.state import copy_state
from ayllu.core.charter.plain import MESSAGE_IDS, render_charter
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.errors import DomainError
from factories.assemblies import Assembly, replay_all
from factories.charters import quick_charter
from factories.keys import pub

FIVE = ["ana", "bea", "carla", "dora", "eva"]
MAJORITY = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}
TWO_THIRDS = {"method": "majority", "threshold": "2/3", "base": "cast", "comparison": "at_least"}


def _charter(**methods: Any) -> dict[str, Any]:
    return quick_charter(methods={**quick_charter()["methods"], **methods})


def _vote_all(asm: Assembly, question: int, ballots: dict[str, Any]) -> None:
    for name, choice in ballots.items():
        asm.vote(name, question, choice)


def _decide(asm: Assembly, ballots: dict[str, Any], **proposal: Any) -> tuple[int, int]:
    p = asm.table("ana", **proposal)
    q = asm.open_question("ana", p)
    _vote_all(asm, q, ballots)
    asm.close_after_deadline("ana", q)
    return p, q


def test_a_vote_after_the_deadline_is_rejected() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(ordinary=MAJORITY))
    question = asm.open_question("ana", asm.table("ana"), voting_ms=5_000)
    # when
    asm.clock = asm.state.questions[question].deadline - 1000
    on_time = asm.vote("bea", question, "yes")  # sealed exactly at the deadline
    late = asm.rejects("carla", "vote.cast", {"question": question, "choice": "yes"})
    # then
    assert on_time.time == asm.state.questions[question].deadline
    assert late == "vote_after_deadline"


def test_a_second_vote_by_the_same_member_is_rejected() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(ordinary=MAJORITY))
    question = asm.open_question("ana", asm.table("ana"))
    asm.vote("bea", question, "yes")
    # when
    code = asm.rejects("bea", "vote.cast", {"question": question, "choice": "no"})
    # then
    assert code == "already_voted"
    assert asm.state.questions[question].votes == {pub("bea"): "yes"}


def test_a_ballot_that_does_not_fit_the_method_is_rejected() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(ordinary=MAJORITY))
    question = asm.open_question("ana", asm.table("ana"))
    # when
    codes = [asm.rejects("bea", "vote.cast", {"question": question, "choice": c}) for c in ("consent", ["x"])]
    # then
    assert codes == ["wrong_method", "wrong_method"]


def test_a_question_cannot_be_closed_before_its_deadline_unless_everyone_voted() -> None:
    # given
    asm = Assembly.found(["ana", "bea"], charter=_charter(ordinary=MAJORITY))
    question = asm.open_question("ana", asm.table("ana"))
    asm.vote("ana", question, "yes")
    # when
    early = asm.rejects("bea", "question.closed", {"question": question})
    asm.vote("bea", question, "yes")
    asm.act("bea", "question.closed", {"question": question})
    # then
    assert early == "question_still_open"
    assert asm.state.questions[question].outcome.result == "passed"


def test_opening_a_question_before_the_minimum_deliberation_is_rejected() -> None:
    # given
    asm = Assembly.found(
        FIVE, charter=quick_charter(deliberation={"async_ms": 60_000, "meeting_ms": 0, "voting_ms": 1})
    )
    proposal = asm.table("ana")
    # when
    code = asm.rejects(
        "ana", "question.opened", {"proposal": proposal, "deadline": asm.clock + 100_000}, dt=59_000
    )
    asm.act("ana", "question.opened", {"proposal": proposal, "deadline": asm.clock + 100_000}, dt=60_000)
    # then
    assert code == "deliberation_too_short"


def test_without_participation_quorum_nothing_is_decided_and_the_proposal_returns() -> None:
    # given: participation quorum is half of five; only two vote
    asm = Assembly.found(FIVE, charter=_charter(ordinary=MAJORITY))
    # when
    proposal, question = _decide(asm, {"ana": "yes", "bea": "yes"})
    # then
    outcome = asm.state.questions[question].outcome
    assert outcome.result == "no_quorum" and outcome.quorum.present == 2 and outcome.quorum.base == 5
    assert asm.state.proposals[proposal].status == "deliberation"


def test_exactly_at_the_threshold_passes_only_with_at_least() -> None:
    # given: 2 yes of 3 cast is exactly two thirds
    ballots = {"ana": "yes", "bea": "yes", "carla": "no"}
    at_least = Assembly.found(FIVE, charter=_charter(ordinary=TWO_THIRDS))
    more_than = Assembly.found(FIVE, charter=_charter(ordinary={**TWO_THIRDS, "comparison": "more_than"}))
    # when
    _, q1 = _decide(at_least, ballots)
    _, q2 = _decide(more_than, ballots)
    # then
    assert at_least.state.questions[q1].outcome.result == "passed"
    assert more_than.state.questions[q2].outcome.result == "rejected"
    assert "exactly_at_threshold" in more_than.state.questions[q2].outcome.reasons


def test_when_all_abstain_nothing_passes() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(ordinary=MAJORITY))
    # when
    proposal, question = _decide(asm, {n: "abstain" for n in FIVE})
    # then
    assert asm.state.questions[question].outcome.result == "rejected"
    assert asm.state.proposals[proposal].status == "rejected"


def test_ranked_choice_resolves_a_condorcet_cycle_by_schulze() -> None:
    # given: a beats b, b beats c, c beats a
    asm = Assembly.found(
        ["ana", "bea", "carla"], charter=quick_charter(participation={"basis": "members", "share": "1/3"})
    )
    ballots = {"ana": ["a", "b", "c"], "bea": ["b", "c", "a"], "carla": ["c", "a", "b"]}
    # when
    proposal, question = _decide(asm, ballots, matter="choice", options=["a", "b", "c"])
    # then
    outcome = asm.state.questions[question].outcome
    assert outcome.method == "ranked" and outcome.result == "elected" and len(outcome.winners) == 1
    assert "no_condorcet_winner" in outcome.reasons
    assert asm.state.proposals[proposal].status == "decided"


def test_approval_elects_the_most_approved_option() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(choice={"method": "approval"}))
    ballots = {"ana": ["sat", "sun"], "bea": ["sun"], "carla": ["sun", "mon"], "dora": []}
    # when
    _, question = _decide(asm, ballots, matter="choice", options=["sat", "sun", "mon"])
    # then
    outcome = asm.state.questions[question].outcome
    assert outcome.winners == ("sun",) and outcome.tallies["sun"] == 3 and outcome.participation == 4


def test_consent_needs_every_objection_answered_then_falls_back_after_the_rounds() -> None:
    # given: two consent rounds, then two thirds of votes cast
    asm = Assembly.found(FIVE)
    proposal = asm.table("ana")
    for round_number in (1, 2):
        question = asm.open_question("ana", proposal)
        objection = asm.act(
            "eva", "objection.raised", {"proposal": proposal, "reason": f"no {round_number}"}
        ).seq
        _vote_all(asm, question, {"ana": "consent", "bea": "consent", "carla": "consent"})
        asm.clock = asm.state.questions[question].deadline
        unanswered = asm.rejects("ana", "question.closed", {"question": question})
        asm.act(
            "ana",
            "objection.answered",
            {"proposal": proposal, "objection": objection, "answer": "we hear you"},
        )
        asm.act("ana", "question.closed", {"question": question})
        assert unanswered == "objection_unanswered"
        assert asm.state.questions[question].outcome.result == "undecided"
    # when
    fallback = asm.open_question("ana", proposal)
    wrong = asm.rejects("bea", "vote.cast", {"question": fallback, "choice": "consent"})
    _vote_all(asm, fallback, {"ana": "yes", "bea": "yes", "carla": "yes", "eva": "no"})
    asm.close_after_deadline("ana", fallback)
    # then
    outcome = asm.state.questions[fallback].outcome
    assert wrong == "wrong_method"
    assert outcome.method == "majority" and outcome.reasons[0] == "fallback_from_consent"
    assert outcome.result == "passed" and asm.state.proposals[proposal].status == "adopted"


def test_an_objector_cannot_also_consent_in_the_same_round() -> None:
    # given
    asm = Assembly.found(FIVE)
    proposal = asm.table("ana")
    question = asm.open_question("ana", proposal)
    asm.act("eva", "objection.raised", {"proposal": proposal, "reason": "no"})
    # when
    code = asm.rejects("eva", "vote.cast", {"question": question, "choice": "consent"})
    # then
    assert code == "already_voted"


def test_consensus_blocks_need_a_reason_and_stop_the_round() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(ordinary={"method": "consensus"}))
    proposal = asm.table("ana")
    question = asm.open_question("ana", proposal)
    # when
    no_reason = asm.rejects("eva", "vote.cast", {"question": question, "choice": "block"})
    asm.vote("eva", question, "block", reason="harms the river")
    _vote_all(asm, question, {"ana": "agree", "bea": "agree", "carla": "stand_aside"})
    asm.close_after_deadline("ana", question)
    # then
    outcome = asm.state.questions[question].outcome
    assert no_reason == "malformed_body"
    assert outcome.result == "blocked" and outcome.standing == (pub("eva"),)
    assert asm.state.proposals[proposal].status == "deliberation"


def test_friendly_amendments_are_accepted_by_the_author_and_others_are_decided() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(amendment=MAJORITY))
    proposal = asm.table("ana")
    friendly = asm.act("bea", "proposal.amended", {"proposal": proposal, "title": "Better", "text": "b"}).seq
    contested = asm.act(
        "carla", "proposal.amended", {"proposal": proposal, "title": "Other", "text": "c"}
    ).seq
    # when
    not_author = asm.rejects("carla", "amendment.accepted", {"proposal": proposal, "amendment": contested})
    asm.act("ana", "amendment.accepted", {"proposal": proposal, "amendment": friendly})
    title_after_friendly = asm.state.proposals[proposal].title
    _decide(
        asm,
        {n: "yes" for n in FIVE},
        matter="amendment",
        effect={"proposal": proposal, "amendment": contested},
    )
    # then
    assert not_author == "not_author"
    assert title_after_friendly == "Better"
    assert (asm.state.proposals[proposal].title, asm.state.proposals[proposal].text) == ("Other", "c")


def test_a_proposal_under_vote_can_be_neither_amended_nor_withdrawn() -> None:
    # given
    asm = Assembly.found(FIVE)
    proposal = asm.table("ana")
    asm.open_question("ana", proposal)
    # when
    amended = asm.rejects("ana", "proposal.amended", {"proposal": proposal, "title": "t", "text": ""})
    withdrawn = asm.rejects("ana", "proposal.withdrawn", {"proposal": proposal})
    # then
    assert (amended, withdrawn) == ("proposal_not_open", "proposal_not_open")


def test_a_charter_amendment_takes_force_when_it_passes_and_history_is_kept() -> None:
    # given
    asm = Assembly.found(FIVE)
    new = quick_charter(petition={"signatures": 3})
    # when
    proposal, _ = _decide(asm, {n: "yes" for n in FIVE}, matter="charter_amendment", effect={"charter": new})
    # then
    assert asm.state.proposals[proposal].status == "adopted"
    assert asm.state.rules.petition_signatures == 3
    assert [c.petition_signatures for _, c in asm.state.charters] == [2, 3]


def test_an_invalid_charter_cannot_even_be_tabled() -> None:
    # given
    asm = Assembly.found(FIVE)
    bad = {**quick_charter(), "quorum": {"basis": "members", "share": "0/2"}}
    # when
    code = asm.rejects(
        "ana",
        "proposal.tabled",
        {"matter": "charter_amendment", "title": "t", "text": "", "effect": {"charter": bad}},
    )
    # then
    assert code == "invalid_charter"


def test_cosigned_tabling_needs_cosigners_before_a_question_opens() -> None:
    # given
    asm = Assembly.found(FIVE, charter=quick_charter(tabling={"by": "cosigned", "cosigners": 1}))
    proposal = asm.table("ana")
    asm.wait(10_000)
    # when
    lonely = asm.rejects("ana", "question.opened", {"proposal": proposal, "deadline": asm.clock + 10_000})
    asm.act("bea", "proposal.cosigned", {"proposal": proposal})
    asm.act("ana", "question.opened", {"proposal": proposal, "deadline": asm.clock + 10_000})
    # then
    assert lonely == "may_not_table"


def test_node_time_may_not_go_back() -> None:
    # given
    asm = Assembly.found(FIVE)
    # when
    code = asm.rejects("ana", "notice.posted", {"text": "x"}, dt=-1)
    # then
    assert code == "time_went_back"


def test_a_rejected_act_leaves_the_state_exactly_as_it_was() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(ordinary=MAJORITY))
    question = asm.open_question("ana", asm.table("ana"))
    asm.vote("bea", question, "yes")
    entry, body = asm.seal("bea", "vote.cast", {"question": question, "choice": "no"})
    # when
    with pytest.raises(DomainError) as caught:
        apply_entry(asm.state, entry, body)
    # then
    assert caught.value.code == "already_voted"
    assert asm.state == replay_all(asm.log, asm.entries, asm.bodies)


def test_the_charter_renders_as_known_message_ids_with_int_and_string_params() -> None:
    # given
    asm = Assembly.found(FIVE, charter=default_charter_data())
    # when
    messages = render_charter(asm.state.rules)
    # then
    assert {m for m, _ in messages} <= set(MESSAGE_IDS)
    assert all(isinstance(v, int | str) for _, params in messages for v in params.values())
    assert ("charter.admission.sponsorship", {"sponsors": 2}) in messages


def test_a_copied_state_is_equal_and_independent() -> None:
    # given
    asm = Assembly.found(FIVE, charter=_charter(ordinary=MAJORITY))
    _decide(asm, {n: "yes" for n in FIVE})
    # when
    copied = copy_state(asm.state)
    asm.act("ana", "notice.posted", {"text": "after the copy"})
    # then
    assert copied.notices == 0 and asm.state.notices == 1
    assert replay_all(asm.log, asm.entries[:-1], asm.bodies) == copied
