"""Meetings: who convenes, presence signed by each member, live quorum, progressive stack, minutes."""

from ayllu.core.assembly.allowed import may
from ayllu.core.assembly.reads import get_meeting_quorum, list_meeting_speakers
from ayllu.core.proposals.questions import VoteCast
from factories.assemblies import Assembly
from factories.charters import quick_charter
from factories.keys import pub

FOUR = ["ana", "bea", "carla", "dora"]


def _meeting(asm: Assembly, *present: str) -> int:
    meeting = asm.act("ana", "meeting.convened", {"title": "Asamblea", "starts": asm.clock}).seq
    for name in present:
        asm.act(name, "presence.signed", {"meeting": meeting})
    return meeting


def test_only_the_convenor_convenes() -> None:
    # given
    asm = Assembly.found(FOUR, convenor="ana")
    # when
    code = asm.rejects("bea", "meeting.convened", {"title": "x", "starts": asm.clock})
    # then
    assert code == "not_convenor"


def test_a_petition_with_enough_signatures_convenes_a_meeting_chaired_by_its_first_signer() -> None:
    # given
    asm = Assembly.found(FOUR)  # quick charter: 2 signatures
    petition = asm.act("bea", "meeting.petitioned", {"purpose": "water"}).seq
    # when
    again = asm.rejects("bea", "meeting.petitioned", {"petition": petition})
    asm.act("carla", "meeting.petitioned", {"petition": petition})
    # then
    assert again == "already_signed"
    meeting = asm.state.meetings[petition]
    assert meeting.chair == pub("bea") and meeting.by_petition


def test_presence_is_signed_once_and_only_after_the_start() -> None:
    # given
    asm = Assembly.found(FOUR)
    meeting = asm.act("ana", "meeting.convened", {"title": "A", "starts": asm.clock + 60_000}).seq
    # when
    early = asm.rejects("bea", "presence.signed", {"meeting": meeting})
    asm.wait(60_000)
    asm.act("bea", "presence.signed", {"meeting": meeting})
    twice = asm.rejects("bea", "presence.signed", {"meeting": meeting})
    # then
    assert (early, twice) == ("meeting_not_started", "already_present")


def test_quorum_lost_mid_meeting_stops_decisions_until_it_is_back() -> None:
    # given: quorum is half the members; three of four are present and vote
    asm = Assembly.found(FOUR, charter=quick_charter(methods={**quick_charter()["methods"]}))
    meeting = _meeting(asm, "ana", "bea", "carla")
    proposal = asm.table("ana", meeting=meeting)
    question = asm.act("ana", "question.opened", {"proposal": proposal}).seq
    asm.vote("bea", question, "consent")
    # when: two leave, quorum is lost
    asm.act("bea", "presence.ended", {"meeting": meeting})
    asm.act("carla", "presence.ended", {"meeting": meeting})
    lost = get_meeting_quorum(asm.state, meeting)
    refused = asm.rejects("ana", "question.closed", {"question": question})
    asm.act("dora", "presence.signed", {"meeting": meeting})
    asm.act("ana", "question.closed", {"question": question})
    # then
    assert not lost.met and (lost.present, lost.base) == (1, 4)
    assert refused == "no_quorum"
    assert asm.state.proposals[proposal].status == "adopted"


def test_a_question_cannot_open_in_a_meeting_without_quorum() -> None:
    # given
    asm = Assembly.found(FOUR)
    meeting = _meeting(asm, "ana")
    proposal = asm.table("ana", meeting=meeting)
    # when
    code = asm.rejects("ana", "question.opened", {"proposal": proposal})
    # then
    assert code == "no_quorum"


def test_household_quorum_counts_households_not_people() -> None:
    # given: ana and bea share a household; carla and dora have their own
    asm = Assembly.found(
        ["ana", "carla", "dora"], charter=quick_charter(quorum={"basis": "households", "share": "2/3"})
    )
    asm.join("bea", sponsor="ana", household="house-ana")
    meeting = _meeting(asm, "ana", "bea")
    # when
    one_household = get_meeting_quorum(asm.state, meeting)
    asm.act("carla", "presence.signed", {"meeting": meeting})
    two_households = get_meeting_quorum(asm.state, meeting)
    # then
    assert (one_household.present, one_household.base, one_household.met) == (1, 3, False)
    assert (two_households.present, two_households.met) == (2, True)


def test_a_vote_in_a_meeting_needs_the_voter_present() -> None:
    # given
    asm = Assembly.found(FOUR)
    meeting = _meeting(asm, "ana", "bea", "carla")
    question = asm.act("ana", "question.opened", {"proposal": asm.table("ana", meeting=meeting)}).seq
    # when
    code = asm.rejects("dora", "vote.cast", {"question": question, "choice": "consent"})
    # then
    assert code == "not_present"
    ballot = VoteCast(question=question, choice="consent")
    assert not may(asm.state, key=pub("dora"), act=ballot, time=asm.clock)


def test_the_progressive_stack_puts_who_spoke_least_first_and_the_chair_must_follow_it() -> None:
    # given: bea spoke once; carla and dora have not spoken
    asm = Assembly.found(FOUR)
    meeting = _meeting(asm, "ana", "bea", "carla", "dora")
    asm.act("bea", "speaker.queued", {"meeting": meeting})
    asm.act("ana", "speaker.called", {"meeting": meeting, "member": pub("bea")})
    asm.act("bea", "speaker.queued", {"meeting": meeting})
    asm.act("dora", "speaker.queued", {"meeting": meeting})
    asm.act("carla", "speaker.queued", {"meeting": meeting})
    # when
    order = list_meeting_speakers(asm.state, meeting)
    wrong = asm.rejects("ana", "speaker.called", {"meeting": meeting, "member": pub("bea")})
    # then: fewest turns first, then who asked first
    assert order == [pub("dora"), pub("carla"), pub("bea")]
    assert wrong == "wrong_speaker"


def test_a_pending_point_of_order_holds_the_floor_until_the_chair_rules() -> None:
    # given
    asm = Assembly.found(FOUR)
    meeting = _meeting(asm, "ana", "bea", "carla")
    asm.act("bea", "speaker.queued", {"meeting": meeting})
    point = asm.act("carla", "point_of_order.raised", {"meeting": meeting, "text": "quorum?"}).seq
    # when
    held = asm.rejects("ana", "speaker.called", {"meeting": meeting, "member": pub("bea")})
    not_chair = asm.rejects(
        "bea", "point_of_order.ruled", {"meeting": meeting, "point": point, "ruling": "x"}
    )
    asm.act("ana", "point_of_order.ruled", {"meeting": meeting, "point": point, "ruling": "we have quorum"})
    asm.act("ana", "speaker.called", {"meeting": meeting, "member": pub("bea")})
    # then
    assert (held, not_chair) == ("point_of_order_pending", "not_chair")


def test_only_the_minute_keeper_signs_notes_into_the_minutes() -> None:
    # given a meeting whose proposal passed by consent (the minutes' words: tests/api/test_minutes_read.py)
    asm = Assembly.found(FOUR, minute_keeper="dora")
    meeting = _meeting(asm, "ana", "bea", "carla", "dora")
    proposal = asm.table("bea", meeting=meeting)
    question = asm.act("ana", "question.opened", {"proposal": proposal}).seq
    asm.vote("ana", question, "consent")
    asm.act("ana", "question.closed", {"question": question})
    # when
    not_keeper = asm.rejects("bea", "minutes.note_added", {"meeting": meeting, "text": "mine"})
    note = asm.act("dora", "minutes.note_added", {"meeting": meeting, "text": "calm meeting"}).seq
    asm.act("ana", "meeting.closed", {"meeting": meeting})
    # then
    assert not_keeper == "not_minute_keeper"
    assert asm.state.meetings[meeting].notes == [{"seq": note, "member": pub("dora"), "text": "calm meeting"}]


def test_closing_a_meeting_lapses_its_open_questions() -> None:
    # given
    asm = Assembly.found(FOUR)
    meeting = _meeting(asm, "ana", "bea", "carla")
    proposal = asm.table("ana", meeting=meeting)
    question = asm.act("ana", "question.opened", {"proposal": proposal}).seq
    # when
    asm.act("ana", "meeting.closed", {"meeting": meeting})
    late = asm.rejects("bea", "vote.cast", {"question": question, "choice": "consent"})
    # then
    assert late == "question_closed"
    assert asm.state.proposals[proposal].status == "lapsed"
    closed = asm.state.questions[question]
    assert closed.closed_seq and closed.outcome is None


def test_an_objector_who_withdrew_may_consent_and_is_counted_once() -> None:
    # given: carla objects, is answered and withdraws her objection
    asm = Assembly.found(FOUR)
    meeting = _meeting(asm, "ana", "bea", "carla", "dora")
    proposal = asm.table("bea", meeting=meeting)
    question = asm.act("ana", "question.opened", {"proposal": proposal}).seq
    objection = asm.act("carla", "objection.raised", {"proposal": proposal, "reason": "too costly"}).seq
    still_objecting = asm.rejects("carla", "vote.cast", {"question": question, "choice": "consent"})
    asm.act(
        "bea", "objection.answered", {"proposal": proposal, "objection": objection, "answer": "shared cost"}
    )
    asm.act("carla", "objection.withdrawn", {"proposal": proposal, "objection": objection})
    # when: she consents, and so does everyone else
    for name in FOUR:
        asm.vote(name, question, "consent")
    asm.act("ana", "question.closed", {"question": question})
    # then: while it stood her objection was her position; once withdrawn she consents, counted once,
    # and the objection counts as resolved
    assert still_objecting == "already_voted"
    outcome = asm.state.questions[question].outcome
    assert outcome is not None
    assert (outcome.result, outcome.participation) == ("passed", 4)
    tallies = outcome.tallies
    assert (tallies["consent"], tallies["resolved"], tallies["withdrawn"]) == (4, 1, 0)
