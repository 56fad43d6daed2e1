"""A state machine drives members, meetings, proposals, amendments and votes against a reference model.

Every act is tried on the real replay; the model says whether it must be accepted and what the outcome
must be. Invariants: tallies equal the model's count, one ballot per member per question, no decision
without quorum, and replaying the record from scratch gives the same state.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ayllu.core.errors import DomainError
from factories.assemblies import Assembly, replay_all
from factories.charters import quick_charter
from factories.keys import pub

NAMES = [f"m{i}" for i in range(8)]
MAJORITY = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}
PARTICIPATION = Fraction(1, 3)
QUORUM = Fraction(1, 2)
VOTING_MS = 20_000


@dataclass
class ModelQuestion:
    proposal: int
    meeting: int
    deadline: int
    eligible: set[str]
    ballots: dict[str, str] = field(default_factory=dict)
    closed: bool = False


class AssemblyMachine(RuleBasedStateMachine):
    """The model knows who is a member, who is present, and every ballot; replay must agree."""

    @initialize()
    def found(self) -> None:
        charter = quick_charter(
            methods={**quick_charter()["methods"], "ordinary": MAJORITY},
            participation={"basis": "members", "share": "1/3"},
            quorum={"basis": "members", "share": "1/2"},
        )
        self.asm = Assembly.found(["m0", "m1", "m2"], charter=charter)
        self.members = {"m0", "m1", "m2"}
        self.applicants: set[str] = set()
        self.meeting = 0
        self.present: set[str] = set()
        self.proposals: dict[int, str] = {}  # id -> "async" | "meeting"
        self.questions: dict[int, ModelQuestion] = {}

    def _try(self, who: str, type: str, content: dict[str, object], *, expect: bool, dt: int = 1000) -> int:
        try:
            entry = self.asm.act(who, type, content, dt=dt)
        except DomainError as exc:
            assert not expect, f"{type} by {who} refused: {exc}"
            return 0
        assert expect, f"{type} by {who} accepted"
        return entry.seq

    @rule(name=st.sampled_from(NAMES), sponsor=st.sampled_from(NAMES))
    def join(self, name: str, sponsor: str) -> None:
        if name in self.members:
            return
        if name not in self.applicants:
            self._try(name, "member.applied", {"household": f"h-{name}"}, expect=True)
            self.applicants.add(name)
        if self._try(sponsor, "member.sponsored", {"applicant": pub(name)}, expect=sponsor in self.members):
            self.members.add(name)
            self.applicants.discard(name)

    @precondition(lambda self: len(self.members) > 2)
    @rule(name=st.sampled_from(NAMES))
    def leave(self, name: str) -> None:
        if name == "m0":
            return  # m0 convenes; keep one convenor
        if self._try(name, "member.left", {}, expect=name in self.members):
            self.members.discard(name)
            self.present.discard(name)

    @rule(name=st.sampled_from(NAMES), in_meeting=st.booleans())
    def table(self, name: str, in_meeting: bool) -> None:
        content: dict[str, object] = {"matter": "ordinary", "title": "t", "text": "", "effect": {}}
        ok = name in self.members
        if in_meeting:
            if not self.meeting:
                return
            content["meeting"] = self.meeting
            ok = ok and (name in self.present or name == "m0")
        seq = self._try(name, "proposal.tabled", content, expect=ok)
        if seq:
            self.proposals[seq] = "meeting" if in_meeting else "async"

    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def amend(self, data: st.DataObject, name: str) -> None:
        open_ids = [p for p in self.proposals if self.asm.state.proposals[p].status == "deliberation"]
        if not open_ids:
            return
        proposal = data.draw(st.sampled_from(open_ids))
        author = self.asm.state.proposals[proposal].author == pub(name)
        seq = self._try(
            name,
            "proposal.amended",
            {"proposal": proposal, "title": "a", "text": name},
            expect=name in self.members,
        )
        if seq and author:
            assert self.asm.state.proposals[proposal].text == name

    @rule(data=st.data())
    def open_question(self, data: st.DataObject) -> None:
        ready = [p for p in self.proposals if self.asm.state.proposals[p].status == "deliberation"]
        if not ready:
            return
        proposal = data.draw(st.sampled_from(ready))
        if self.proposals[proposal] == "meeting":
            ok = self.meeting != 0 and len(self.present) * QUORUM.denominator >= QUORUM.numerator * len(
                self.members
            )
            seq = self._try("m0", "question.opened", {"proposal": proposal}, expect=ok)
            deadline, meeting = 0, self.meeting
        else:
            self.asm.wait(1000)
            deadline = self.asm.clock + 1000 + VOTING_MS
            seq = self._try(
                "m1" if "m1" in self.members else "m0",
                "question.opened",
                {"proposal": proposal, "deadline": deadline},
                expect=True,
            )
            meeting = 0
        if seq:
            self.questions[seq] = ModelQuestion(proposal, meeting, deadline, set(self.members))

    @rule(data=st.data(), name=st.sampled_from(NAMES), choice=st.sampled_from(["yes", "no", "abstain"]))
    def vote(self, data: st.DataObject, name: str, choice: str) -> None:
        if not self.questions:
            return
        qid = data.draw(st.sampled_from(sorted(self.questions)))
        q = self.questions[qid]
        time = self.asm.clock + 1000
        ok = (
            not q.closed
            and name in self.members
            and name in q.eligible
            and name not in q.ballots
            and (name in self.present if q.meeting else time <= q.deadline)
        )
        if self._try(name, "vote.cast", {"question": qid, "choice": choice}, expect=ok):
            q.ballots[name] = choice

    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def close(self, data: st.DataObject, name: str) -> None:
        if not self.questions:
            return
        qid = data.draw(st.sampled_from(sorted(self.questions)))
        q = self.questions[qid]
        time = self.asm.clock + 1000
        if q.meeting:
            quorum = len(self.present) * QUORUM.denominator >= QUORUM.numerator * len(self.members)
            ok = not q.closed and name == "m0" and quorum
        else:
            everyone = len(q.ballots) == len(q.eligible)
            ok = not q.closed and name in self.members and (time > q.deadline or everyone)
        if self._try(name, "question.closed", {"question": qid}, expect=ok):
            q.closed = True
            self._check_outcome(qid, q)

    def _check_outcome(self, qid: int, q: ModelQuestion) -> None:
        outcome = self.asm.state.questions[qid].outcome
        yes = sum(1 for c in q.ballots.values() if c == "yes")
        no = sum(1 for c in q.ballots.values() if c == "no")
        if q.meeting:
            expected = "passed" if yes * 2 > yes + no else "rejected"
        elif len(q.ballots) * PARTICIPATION.denominator < PARTICIPATION.numerator * len(q.eligible):
            expected = "no_quorum"
        else:
            expected = "passed" if yes * 2 > yes + no else "rejected"
        assert outcome.result == expected
        assert dict(outcome.tallies) == {"yes": yes, "no": no, "abstain": len(q.ballots) - yes - no}
        assert outcome.eligible == len(q.eligible)

    @rule(ms=st.integers(min_value=1000, max_value=30_000))
    def wait(self, ms: int) -> None:
        self.asm.wait(ms)

    @precondition(lambda self: not self.meeting)
    @rule()
    def convene(self) -> None:
        self.meeting = self._try(
            "m0", "meeting.convened", {"title": "a", "starts": self.asm.clock}, expect=True, dt=0
        )
        self.present = set()

    @precondition(lambda self: self.meeting)
    @rule(name=st.sampled_from(NAMES), arrive=st.booleans())
    def presence(self, name: str, arrive: bool) -> None:
        if arrive:
            ok = name in self.members and name not in self.present
            if self._try(name, "presence.signed", {"meeting": self.meeting}, expect=ok):
                self.present.add(name)
        else:
            ok = name in self.present
            if self._try(name, "presence.ended", {"meeting": self.meeting}, expect=ok):
                self.present.discard(name)

    @precondition(lambda self: self.meeting)
    @rule()
    def close_meeting(self) -> None:
        self._try("m0", "meeting.closed", {"meeting": self.meeting}, expect=True)
        for q in self.questions.values():
            if q.meeting == self.meeting:
                q.closed = True
        self.meeting, self.present = 0, set()

    @invariant()
    def ballots_match_the_model(self) -> None:
        for qid, q in self.questions.items():
            assert self.asm.state.questions[qid].votes == {pub(n): c for n, c in q.ballots.items()}

    @invariant()
    def no_decision_without_quorum(self) -> None:
        for question in self.asm.state.questions.values():
            if question.outcome is not None and question.outcome.result in ("passed", "rejected"):
                assert question.outcome.quorum.met

    @invariant()
    def members_match_the_model(self) -> None:
        assert set(self.asm.state.members) == {pub(n) for n in self.members}
        assert self.asm.state.active_count == len(self.members)

    def teardown(self) -> None:
        if hasattr(self, "asm"):
            assert replay_all(self.asm.log, self.asm.entries, self.asm.bodies) == self.asm.state


AssemblyMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)
test_assembly_machine = AssemblyMachine.TestCase
