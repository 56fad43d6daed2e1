"""What a reader may do now on a proposal or with a matter, as the core answers it.

Every answer runs the rule replay would run on the act the page's form would submit (a probe with the
proposal's ids and a valid sample value), without applying it (core/assembly/allowed.py). A page offers a
form exactly when the answer is yes: a ballot after its deadline, a second cosignature, closing a
question too early are never offered, because the core would refuse them.

`key` is the reader's signing key ("" for an outsider, who may do nothing); `now` is node time in ms.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.state import Proposal
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.ratification import share_text
from ayllu.core.federations.standing import is_federation, standing_seats
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

from .allowed import Allows, acts_allowed, read_acts
from .replayed import read_state
from .waiting import read_state_with_waiting

# A sample of words where a form asks for them: the rules read only whether there are some.
SAMPLE = "-"
# A ballot that fits each method, for asking whether a ballot would be accepted.
SAMPLE_CHOICE: dict[str, Any] = {
    "majority": "yes",
    "consent": "consent",
    "consensus": "agree",
    "approval": [],
}


@dataclass(frozen=True, slots=True)
class Opening:
    """Who may open the question on a proposal under deliberation and what it waits for (`opening_of`)."""

    chair: str  # the chair of the proposal's meeting ("" between meetings: any member)
    waits: str  # the code the rule refuses with now ("" when whoever may could open it now)
    earliest: int  # when the deliberation the charter asks for ends (0: it does not wait for it)
    cosigners: int  # the cosignatures the charter asks for (0: it does not wait for them)


@dataclass(frozen=True, slots=True)
class ProposalActs:
    """The acts one reader may do now on one proposal; ids name the amendments and objections."""

    cosign: bool = False
    amend: bool = False
    withdraw: bool = False
    comment: bool = False
    object: bool = False
    open_question: bool = False
    vote: bool = False  # on the question open now
    close_question: bool = False
    accept_amendment: frozenset[int] = frozenset()
    answer_objection: frozenset[int] = frozenset()
    withdraw_objection: frozenset[int] = frozenset()
    # While the question cannot be opened yet: who opens it and what it waits for (`opening_of`).
    opening: Opening | None = None


def sample_ballot(state: AssemblyState, question_id: int) -> Any:
    """A ballot the question's method accepts (a probe's choice: whether one may vote, not how)."""
    question = state.questions[question_id]
    if question.fallback_of is not None:
        return SAMPLE_CHOICE["majority"]
    if question.spec.method == "ranked":
        return state.proposals[question.proposal].options[:1]
    return SAMPLE_CHOICE[question.spec.method]


def opening_of(state: AssemblyState, proposal: Proposal, *, key: str, now: int) -> Opening:
    """Who may open the question on a proposal under deliberation, and what it waits for, as the rule
    answers it: in a meeting the chair (asked with the chair's key), between meetings any member.

    `waits` is the refusal's code ("" when it could be opened now by whoever may), `earliest` the time
    the deliberation the charter asks for ends (from the refusal `deliberation_too_short`)."""
    chair = state.meetings[proposal.meeting].chair if proposal.meeting else ""
    deadline = None if proposal.meeting else now + state.rules.min_voting_ms
    probe = QuestionOpened(proposal=proposal.id, deadline=deadline)
    chair_record = state.members.get(chair)
    signer = chair_record.key if chair_record is not None else key
    refused = refusal(state, key=signer, act=probe, time=max(now, state.last_time))
    detail = refused.detail if refused is not None else {}
    return Opening(
        chair=chair,
        waits=refused.code if refused is not None else "",
        earliest=detail.get("earliest", 0),
        cosigners=detail.get("cosigners", 0),
    )


def get_proposal_acts(log: str, proposal_id: int, *, key: str, now: int) -> ProposalActs:
    """What the reader with `key` may do now on proposal `proposal_id` (nothing for an unknown one)."""

    def read(state: AssemblyState, allows: Allows) -> ProposalActs | None:
        proposal = state.proposals.get(proposal_id)
        if proposal is None:
            return None

        def allowed_ids(ids: Any, probe: Callable[[int], Act]) -> frozenset[int]:
            return frozenset(i for i in ids if allows(probe(i)))

        pid = proposal.id
        open_question = next((q for q in proposal.questions if not state.questions[q].closed_seq), 0)
        # Between meetings the earliest deadline the charter allows; in a meeting there is none.
        deadline = None if proposal.meeting else now + state.rules.min_voting_ms
        may_open = allows(QuestionOpened(proposal=pid, deadline=deadline))
        waiting = proposal.status == "deliberation" and not may_open
        return ProposalActs(
            opening=opening_of(state, proposal, key=key, now=now) if waiting else None,
            cosign=allows(ProposalCosigned(proposal=pid)),
            amend=allows(ProposalAmended(proposal=pid, title=SAMPLE, text="")),
            withdraw=allows(ProposalWithdrawn(proposal=pid)),
            comment=allows(CommentPosted(proposal=pid, text=SAMPLE)),
            object=allows(ObjectionRaised(proposal=pid, reason=SAMPLE)),
            open_question=may_open,
            vote=bool(open_question)
            and allows(VoteCast(question=open_question, choice=sample_ballot(state, open_question))),
            close_question=bool(open_question) and allows(QuestionClosed(question=open_question)),
            accept_amendment=allowed_ids(
                proposal.amendments, lambda a: AmendmentAccepted(proposal=pid, amendment=a)
            ),
            answer_objection=allowed_ids(
                proposal.objections, lambda o: ObjectionAnswered(proposal=pid, objection=o, answer=SAMPLE)
            ),
            withdraw_objection=allowed_ids(
                proposal.objections, lambda o: ObjectionWithdrawn(proposal=pid, objection=o)
            ),
        )

    return read_acts(log, key=key, now=now, nothing=ProposalActs(), read=read)


def _sample_effect(state: AssemblyState, matter: str, now: int) -> dict[str, Any]:
    """An effect of `matter` the form could submit now: about the first subject it lists."""
    members = sorted(state.members.values(), key=lambda m: (m.household, m.since))
    active = [m.id for m in members if not m.suspended]
    subjects: dict[str, tuple[str, list[str]]] = {
        "admission": ("applicant", [a.key for a in sorted(state.applicants.values(), key=lambda a: a.seq)]),
        "suspension": ("member", active),
        "reinstatement": ("member", [m.id for m in members if m.suspended]),
        "key_replacement": ("key", [c.key for c in sorted(state.key_claims.values(), key=lambda c: c.seq)]),
    }
    if matter in subjects:
        field, listed = subjects[matter]
        return {field: listed[0] if listed else ""}
    if matter == "cargo_assignment":
        cargo = min(state.cargos, default="")
        if is_federation(state):
            # A federation's cargo goes to a seated delegate (decision 0030); its form names the cargo.
            active = [s.key for s in standing_seats(state, now=now)]
            cargo = cargo or SAMPLE
        return {"cargo": cargo, "member": active[0] if active else "", "until": now + DAY_MS}
    if matter == "cargo_creation":
        days = max(1, state.rules.cargo.term_ms // DAY_MS)
        return {"cargo": SAMPLE, "powers": [], "burden": 1, "term_days": days, "seats": 1}
    if matter == "erasure":
        return {"entry": max(set(state.words_by) - state.erased_words, default=0)}
    federation = state.rules.federation
    if matter == "resolution" and federation is not None:
        chosen = federation.ratification
        return {"rule": chosen.rule, "share": share_text(chosen.share), "deadline": now + DAY_MS}
    if matter == "ratification":
        return {"federation": "0" * 64, "resolution": 1}
    return {}


def may_table(
    log: str,
    *,
    key: str,
    matter: str,
    now: int,
    effect: dict[str, Any] | None = None,
    meeting: int | None = None,
    options: tuple[str, ...] | None = None,
) -> bool:
    """Whether the reader with `key` may table a proposal of `matter` now (in `meeting`, if given).

    Without `effect`, the effect is about the first subject the matter's form lists (the first applicant,
    active member, ...): none to choose from means nothing to table.
    """
    if not key:
        return False

    def read(state: AssemblyState) -> bool:
        body = _sample_effect(state, matter, now) if effect is None else effect
        act = ProposalTabled(
            matter=matter, title=SAMPLE, text="", effect=body, options=options, meeting=meeting
        )
        return acts_allowed(state, key=key, now=now)(act)

    if matter == "admission":
        return read_state_with_waiting(log, read)
    return read_state(log, read)
