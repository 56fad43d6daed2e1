"""Acts strangers sign wait outside the record: which kinds wait, which members' acts take them in, and
the state members read with them tried on top (decision 0011)."""

from ayllu.core.assembly.acts import taking_in_types, waiting_types
from ayllu.core.assembly.replay import with_waiting
from ayllu.core.charter.members import MemberApplied, MemberKeyClaimed, MemberKeyVouched, MemberSponsored
from ayllu.core.proposals.tabling import ProposalTabled
from factories.assemblies import Assembly
from factories.charters import quick_charter
from factories.keys import pub


def test_applications_wait_and_sponsorships_and_admissions_take_them_in() -> None:
    # then
    assert waiting_types() == {"member.applied", "member.key_claimed"}
    assert taking_in_types() == {"member.sponsored", "member.key_vouched", "proposal.tabled"}
    assert MemberSponsored(applicant=pub("dora")).keys_taken_in() == (pub("dora"),)
    admission = ProposalTabled(matter="admission", title="Dora", text="", effect={"applicant": pub("dora")})
    assert admission.keys_taken_in() == (pub("dora"),)
    assert ProposalTabled(matter="ordinary", title="Agua", text="").keys_taken_in() == ()


def test_vouches_and_key_replacements_take_claims_in() -> None:
    # then
    assert MemberKeyVouched(key=pub("carla-2")).keys_taken_in() == (pub("carla-2"),)
    replacement = ProposalTabled(matter="key_replacement", title="C", text="", effect={"key": pub("carla-2")})
    assert replacement.keys_taken_in() == (pub("carla-2"),)


def test_the_state_with_a_waiting_claim_lists_it() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"], charter=quick_charter())
    waiting = [(pub("carla-2"), MemberKeyClaimed(member=pub("carla")))]
    # when
    seen = with_waiting(asm.state, waiting)
    # then
    assert seen.key_claims[pub("carla-2")].member == pub("carla")
    assert asm.state.key_claims == {}


def test_the_state_with_waiting_applications_lists_them_and_leaves_the_state_as_it_was() -> None:
    # given: bea is a member; dora and bea's key both "wait"
    asm = Assembly.found(["ana", "bea"], charter=quick_charter())
    size = asm.state.size
    waiting = [
        (pub("dora"), MemberApplied(household="h-dora")),
        (pub("bea"), MemberApplied(household="h-bea-2")),  # already a member: the rules refuse it
    ]
    # when
    seen = with_waiting(asm.state, waiting)
    # then: dora is an applicant with the seq she would have; the record's state is unchanged
    assert set(seen.applicants) == {pub("dora")}
    assert seen.applicants[pub("dora")].seq == size + 1
    assert asm.state.applicants == {} and asm.state.size == size
