"""Which cargo, mandate, recall and draw forms a reader may use now, as the core answers.

A page offers a form exactly when the core would accept the act it submits, signed by the reader's key
now: each answer runs the act's own rule on a probe (the form's ids and a sample value) without applying
it (core/assembly/allowed.py). `key` is the reader's signing key ("" for nobody logged in: no form).
"""

from collections.abc import Callable
from dataclasses import dataclass

from ayllu.core.assembly import reads as core
from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.cargos.acts import AnnouncementPublished, SwapAccepted, SwapProposed, TurnTaken
from ayllu.core.cargos.errors import BadDrawEvidence
from ayllu.core.cargos.powers import represent_in
from ayllu.core.federations.credentials import DelegateAccredited, holding_end
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.core.mandates.acts import (
    ABSTAIN,
    DelegateVoted,
    MandateRequested,
    ReportFiled,
    SessionHeld,
    VoteReported,
)
from ayllu.core.mandates.recall import RecallPetitioned, RecallSigned
from ayllu.core.proposals.questions import QuestionClosed, VoteCast
from ayllu.core.sortition.acts import DrawCommitted, DrawCompleted, DrawPrepared, DrawRevealed
from ayllu.core.sortition.preparation import prepare_draw

from .allowed import acts_allowed, acts_refused, as_replay_finds_it
from .cargos import list_bodies, list_past_delegates
from .proposals import sample_ballot
from .replayed import read_state

SAMPLE_TEXT = "?"
SAMPLE_HEX = "0" * 64
SAMPLE_BEACON = {"source": "-", "round": 0, "value": SAMPLE_HEX}
SAMPLE_BEACON_ROUND = {"source": "-", "round": 1}


@dataclass(frozen=True, slots=True)
class CargoForms:
    """The cargos page's forms the reader may use now."""

    take_turn: tuple[str, ...]  # cargos whose seat, held by the reader's household, the reader may take
    accept_swap: frozenset[int]  # swap offers the reader may accept
    swap_cargos: tuple[str, ...]  # cargos in which the reader may offer a swap ...
    swap_households: tuple[str, ...]  # ... to these households
    announce: bool = False  # publish an announcement in the assembly's name (publish_announcements)


def get_cargo_forms(log: str, *, key: str, now: int) -> CargoForms:
    """Which cargo acts the reader may do now: take a seat, accept a swap, offer one (and to whom)."""

    def read(state: AssemblyState) -> CargoForms:
        state = as_replay_finds_it(state, now=now)
        allows = acts_allowed(state, key=key, now=now)
        turn_cargos = [name for name, cargo in sorted(state.cargos.items()) if cargo.created_seq]
        households = sorted(h for h, n in state.household_active.items() if n)
        first = turn_cargos[0] if turn_cargos else ""
        swap_to = tuple(h for h in households if first and allows(SwapProposed(cargo=first, household=h)))
        return CargoForms(
            take_turn=tuple(c for c in turn_cargos if allows(TurnTaken(cargo=c))),
            accept_swap=frozenset(o for o in state.swap_offers if allows(SwapAccepted(swap=o))),
            swap_cargos=tuple(
                c for c in turn_cargos if swap_to and allows(SwapProposed(cargo=c, household=swap_to[0]))
            ),
            swap_households=swap_to,
            announce=allows(AnnouncementPublished(text=SAMPLE_TEXT)),
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class BodyForms:
    """The reader's forms for one other body on the mandates page."""

    request_mandate: bool
    delegate_vote: bool
    hold_session: bool
    report_vote_for: tuple[str, ...]  # past and present delegates whose vote the reader may report
    file_report: frozenset[str]  # sessions whose report the reader may file
    # The end of the reader's cargo representing the assembly in this body when they may issue a
    # credential for it (a body named by a federation's log id), else 0: the form's `until`.
    accredit_until: int = 0


def _accredit_until(
    state: AssemblyState, allows: Callable[[Act], bool], *, key: str, body: str, now: int
) -> int:
    """Until when the reader may issue a credential for `body` (0: they may not issue one now)."""
    member = state.key_owner.get(key, "")
    if not member or not is_hex(body, HEX_KEY_LENGTH):
        return 0
    until = holding_end(state, member, represent_in(body), now=now)
    return until if until and allows(DelegateAccredited(federation=body, until=until)) else 0


def get_mandate_forms(log: str, *, key: str, now: int) -> dict[str, BodyForms]:
    """Per other body, which mandate and delegate acts the reader may do now."""

    def read(state: AssemblyState) -> dict[str, BodyForms]:
        state = as_replay_finds_it(state, now=now)
        allows = acts_allowed(state, key=key, now=now)
        forms = {}
        for body in list_bodies(state):
            # a question without a mandate, on which any delegate may abstain
            unmandated = next(
                f"?{n}" for n in range(len(state.mandates) + 1) if (body, f"?{n}") not in state.mandates
            )
            vote = dict(body=body, session=SAMPLE_TEXT, question=unmandated, choice=ABSTAIN)
            past = list_past_delegates(state, body)
            forms[body] = BodyForms(
                request_mandate=allows(MandateRequested(body=body, question=SAMPLE_TEXT, text="")),
                delegate_vote=allows(DelegateVoted(**vote)),
                hold_session=allows(SessionHeld(body=body, session=SAMPLE_TEXT)),
                report_vote_for=tuple(d for d in past if allows(VoteReported(**vote, delegate=d))),
                file_report=frozenset(
                    s
                    for b, s in state.sessions
                    if b == body and allows(ReportFiled(body=body, session=s, text=SAMPLE_TEXT))
                ),
                accredit_until=_accredit_until(state, allows, key=key, body=body, now=now),
            )
        return forms

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class RecallForms:
    """The recall page's forms the reader may use now."""

    sign: frozenset[int]  # petitions the reader may sign
    petition: frozenset[tuple[str, str]]  # (cargo, holder) the reader may ask to recall
    vote: frozenset[int] = frozenset()  # recall questions the reader may vote on now
    close: frozenset[int] = frozenset()  # recall questions the reader may close now


def get_recall_forms(log: str, *, key: str, me: str, now: int) -> RecallForms:
    """Which recall petitions the reader may sign, and which holders they may ask to recall (one does
    not ask to recall oneself, though the core would accept it)."""

    def read(state: AssemblyState) -> RecallForms:
        state = as_replay_finds_it(state, now=now)
        allows = acts_allowed(state, key=key, now=now)
        holdings = [(h.cargo, h.member) for h in core.list_holdings(state, now=now)]
        questions = [p.question for p in state.recall_petitions.values() if p.question]
        return RecallForms(
            vote=frozenset(
                q for q in questions if allows(VoteCast(question=q, choice=sample_ballot(state, q)))
            ),
            close=frozenset(q for q in questions if allows(QuestionClosed(question=q))),
            sign=frozenset(p for p in state.recall_petitions if allows(RecallSigned(petition=p))),
            petition=frozenset(
                (cargo, member)
                for cargo, member in holdings
                if member != me and allows(RecallPetitioned(cargo=cargo, member=member, reason=SAMPLE_TEXT))
            ),
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class DrawForms:
    """The reader's forms for one draw."""

    commit: bool
    reveal: bool
    complete: bool = False  # the beacon's time has come: the reader may sign the completion


def may_prepare_draw(log: str, *, key: str, now: int) -> bool:
    """Whether the reader may record a draw now (the probe: a draw of one seat from the reader alone)."""
    if not key:
        return False
    probe = DrawPrepared(
        purpose=SAMPLE_TEXT,
        **prepare_draw({key: {}}, quotas=[], panel_size=1, size=1),
        commit_until=now + 1,
        reveal_until=now + 2,
        beacon_chain=[SAMPLE_BEACON_ROUND],
        beacon_after=now + 3,
    )
    return read_state(log, lambda state: acts_allowed(state, key=key, now=now)(probe))


def get_draw_forms(log: str, *, key: str, now: int) -> dict[int, DrawForms]:
    """Per draw, whether the reader may commit to a secret now, or reveal the one they committed to."""

    def read(state: AssemblyState) -> dict[int, DrawForms]:
        allows = acts_allowed(state, key=key, now=now)
        refused = acts_refused(state, key=key, now=now)  # at the time the node would seal the act
        member = state.key_owner.get(key, "")
        forms = {}
        for draw_id, draw in state.draws.items():
            commit = allows(DrawCommitted(draw=draw_id, commitment=SAMPLE_HEX))
            # The secret is on the reader's device: the probe's sample secret is refused as not matching
            # the commitment, which the rule checks last, so that refusal alone means "reveal now".
            revealing = refused(DrawRevealed(draw=draw_id, secret=SAMPLE_HEX)) if key else None
            reveal = member in draw.commitments and (
                revealing is None or revealing.detail.get("reason") == "reveal_does_not_match"
            )
            # Likewise the sample completion is refused only for its made-up evidence once the time has come.
            probe = DrawCompleted(draw=draw_id, index=0, panel=(), beacon=SAMPLE_BEACON)
            completing = refused(probe) if key else None
            complete = bool(key) and (completing is None or completing.code == BadDrawEvidence.code)
            forms[draw_id] = DrawForms(commit=commit, reveal=reveal, complete=complete)
        return forms

    return read_state(log, read)
