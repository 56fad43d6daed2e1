"""Deciding a proposal's or a question's act never changes the state, whether the act is accepted or not."""

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.replay import try_act
from ayllu.core.proposals.effects import SuspensionDecided
from ayllu.core.proposals.objections import ObjectionAnswered, ObjectionRaised, ObjectionWithdrawn
from ayllu.core.proposals.questions import QuestionClosed, QuestionOpened, VoteCast
from ayllu.core.proposals.tabling import (
    AmendmentAccepted,
    CommentPosted,
    ProposalAmended,
    ProposalCosigned,
    ProposalTabled,
    ProposalWithdrawn,
)
from factories.assemblies import Assembly
from factories.keys import pub


def _scene() -> tuple[Assembly, dict[str, int]]:
    asm = Assembly.found(["ana", "bea", "carla", "dora"])
    ids = {"p1": asm.table("ana")}
    ids["amendment"] = asm.act(
        "bea", "proposal.amended", {"proposal": ids["p1"], "title": "T", "text": ""}
    ).seq
    ids["objection"] = asm.act("bea", "objection.raised", {"proposal": ids["p1"], "reason": "No"}).seq
    ids["p2"] = asm.table("ana", matter="suspension", effect={"member": pub("carla")})
    ids["q2"] = asm.open_question("ana", ids["p2"])
    asm.vote("ana", ids["q2"], "yes")
    asm.vote("bea", ids["q2"], "yes")
    return asm, ids


def _probes(ids: dict[str, int], *, deadline: int) -> list[tuple[str, Act, bool]]:
    p1, p2, q2, amendment, objection = ids["p1"], ids["p2"], ids["q2"], ids["amendment"], ids["objection"]
    return [
        ("carla", ProposalTabled(matter="ordinary", title="Agua", text=""), True),
        (
            "carla",
            ProposalTabled(matter="suspension", title="Agua", text="", effect={"member": pub("zoe")}),
            False,
        ),
        ("carla", ProposalCosigned(proposal=p1), True),
        ("ana", ProposalCosigned(proposal=p1), False),
        ("ana", ProposalAmended(proposal=p1, title="Agua", text=""), True),
        ("ana", ProposalAmended(proposal=p2, title="Agua", text=""), False),
        ("ana", AmendmentAccepted(proposal=p1, amendment=amendment), True),
        ("bea", AmendmentAccepted(proposal=p1, amendment=amendment), False),
        ("ana", ProposalWithdrawn(proposal=p1), True),
        ("bea", ProposalWithdrawn(proposal=p1), False),
        ("bea", CommentPosted(proposal=p2, text="Bien"), True),
        ("bea", CommentPosted(proposal=999, text="Bien"), False),
        ("carla", ObjectionRaised(proposal=p1, reason="No"), True),
        ("bea", ObjectionRaised(proposal=p1, reason="No"), False),
        ("carla", ObjectionAnswered(proposal=p1, objection=objection, answer="Si"), True),
        ("bea", ObjectionAnswered(proposal=p1, objection=objection, answer="Si"), False),
        ("bea", ObjectionWithdrawn(proposal=p1, objection=objection), True),
        ("carla", ObjectionWithdrawn(proposal=p1, objection=objection), False),
        ("ana", QuestionOpened(proposal=p1, deadline=deadline + 100_000), True),
        ("ana", QuestionOpened(proposal=p1), False),
        ("dora", VoteCast(question=q2, choice="yes"), True),
        ("bea", VoteCast(question=q2, choice="no"), False),
        ("carla", VoteCast(question=q2, choice="yes"), False),
        ("dora", QuestionClosed(question=q2), False),  # before the deadline, dora not yet answered
    ]


def test_deciding_accepted_and_refused_acts_leaves_the_state_as_it_was() -> None:
    # given an assembly with proposals, an amendment, an objection and an open question
    asm, ids = _scene()
    deadline = asm.state.questions[ids["q2"]].deadline
    before = repr(asm.state)
    # when every act is tried, some accepted, some refused
    for who, act, accepted in _probes(ids, deadline=deadline):
        found = refusal(asm.state, key=pub(who), act=act, time=asm.clock + 1)
        # then the core says what replay would say
        assert (found is None) == accepted, (who, act, found)
    # and the state did not change
    assert repr(asm.state) == before


def test_closing_decides_the_effect_at_the_closing_time_without_applying_it() -> None:
    # given a suspension that two of three eligible members voted for
    asm, ids = _scene()
    deadline = asm.state.questions[ids["q2"]].deadline
    before = repr(asm.state)
    # when closing it after the deadline is decided
    events = try_act(asm.state, key=pub("dora"), act=QuestionClosed(question=ids["q2"]), time=deadline + 1)
    # then the suspension is among what it does, and nothing was done yet
    assert SuspensionDecided(member=pub("carla"), suspended=True) in events
    assert repr(asm.state) == before
    assert not asm.state.members[pub("carla")].suspended
