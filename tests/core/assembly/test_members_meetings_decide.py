"""Deciding an act of members, meetings or succession never changes the state, accepted or refused."""

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import copy_state
from ayllu.core.charter.members import (
    HouseholdRegistered,
    MemberApplied,
    MemberKeyClaimed,
    MemberKeyRotated,
    MemberKeyVouched,
    MemberLeft,
    MemberSponsored,
)
from ayllu.core.ledger.succession import RecordMoved
from ayllu.core.meetings.acts import (
    MeetingClosed,
    MeetingConvened,
    MeetingPetitioned,
    PresenceEnded,
    PresenceSigned,
)
from ayllu.core.meetings.floor import (
    AgendaItemAdded,
    MinutesNoteAdded,
    PointOfOrderRaised,
    PointOfOrderRuled,
    SpeakerCalled,
    SpeakerQueued,
)
from factories.assemblies import Assembly
from factories.keys import pub

FOUR = ["ana", "bea", "carla", "dora"]


def _scene() -> tuple[Assembly, dict[str, int]]:
    """A meeting with members present, a queue, a pending point, an open question; an applicant, a claim."""
    asm = Assembly.found(FOUR, minute_keeper="dora")
    meeting = asm.act("ana", "meeting.convened", {"title": "Asamblea", "starts": asm.clock}).seq
    for name in ("ana", "bea", "carla"):
        asm.act(name, "presence.signed", {"meeting": meeting})
    asm.act("bea", "speaker.queued", {"meeting": meeting})
    point = asm.act("carla", "point_of_order.raised", {"meeting": meeting, "text": "orden"}).seq
    proposal = asm.table("ana", meeting=meeting)
    question = asm.act("ana", "question.opened", {"proposal": proposal}).seq
    petition = asm.act("bea", "meeting.petitioned", {"purpose": "agua"}).seq
    asm.act("eva", "member.applied", {"household": "house-eva"})
    asm.act("newana", "member.key_claimed", {"member": pub("carla")})
    ids = {"meeting": meeting, "point": point, "proposal": proposal, "question": question}
    return asm, {**ids, "petition": petition}


def _acts(ids: dict[str, int]) -> list[tuple[str, Act]]:
    """(who signs, act): some the core accepts in the scene, some it refuses."""
    meeting = ids["meeting"]
    return [
        ("fede", MemberApplied(household="house-fede")),
        ("eva", MemberApplied(household="house-eva")),  # already applied
        ("ana", MemberSponsored(applicant=pub("eva"))),  # admits eva
        ("ana", MemberSponsored(applicant=pub("zoe"))),  # unknown applicant
        ("dora", MemberLeft()),  # vacates dora's cargo
        ("ana", MemberKeyRotated(new_key=pub("ana2"))),
        ("ana", MemberKeyRotated(new_key=pub("bea"))),  # key in use
        ("nuevo", MemberKeyClaimed(member=pub("bea"))),
        ("ana", MemberKeyVouched(key=pub("newana"))),
        ("carla", MemberKeyVouched(key=pub("newana"))),  # own claim
        ("bea", HouseholdRegistered(household="house-nueva")),
        ("bea", HouseholdRegistered(household="house-ana")),  # exists
        ("ana", MeetingConvened(title="Otra", starts=0)),
        ("bea", MeetingConvened(title="Otra", starts=0)),  # not the convenor
        ("carla", MeetingPetitioned(petition=ids["petition"])),  # convenes the meeting
        ("bea", MeetingPetitioned(petition=ids["petition"])),  # already signed
        ("dora", PresenceSigned(meeting=meeting)),
        ("ana", PresenceSigned(meeting=meeting)),  # already present
        ("bea", PresenceEnded(meeting=meeting)),  # leaves the queue too
        ("dora", PresenceEnded(meeting=meeting)),  # not present
        ("bea", AgendaItemAdded(meeting=meeting, kind="proposal", title="p", proposal=ids["proposal"])),
        ("bea", AgendaItemAdded(meeting=meeting, kind="proposal", title="p", proposal=999)),
        ("carla", SpeakerQueued(meeting=meeting)),
        ("bea", SpeakerQueued(meeting=meeting)),  # already queued
        ("ana", SpeakerCalled(meeting=meeting, member=pub("bea"))),  # a point is pending
        ("bea", PointOfOrderRaised(meeting=meeting, text="otra")),
        ("ana", PointOfOrderRuled(meeting=meeting, point=ids["point"], ruling="ha lugar")),
        ("bea", PointOfOrderRuled(meeting=meeting, point=ids["point"], ruling="no")),  # not the chair
        ("dora", MinutesNoteAdded(meeting=meeting, text="nota")),
        ("bea", MinutesNoteAdded(meeting=meeting, text="nota")),  # not the minute-keeper
        ("ana", MeetingClosed(meeting=meeting)),  # lapses the open question and its proposal
        ("bea", MeetingClosed(meeting=meeting)),  # not the chair
        ("ana", RecordMoved(node=pub("node2"), after="00" * 32, endorsements=[])),  # refused
    ]


def test_deciding_an_act_never_changes_the_state() -> None:
    # given
    asm, ids = _scene()
    before = copy_state(asm.state)
    answers = []
    for who, act in _acts(ids):
        # when
        answers.append(refusal(asm.state, key=pub(who), act=act, time=asm.clock + 1000))
        # then
        assert asm.state == before, act
    # and both accepted and refused acts were tried
    accepted = sum(answer is None for answer in answers)
    assert 10 < accepted < len(answers) - 10
