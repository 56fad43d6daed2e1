"""Reads of a federation's questions as a home assembly sees them: what we mandated, beside how our
delegates cast our voice there (from the federation's record, where this node holds it); and the
federation page's forms, whose bodies cite home records held here: a delegate's seat and vote.

The federation's ballots are rule data of its public record (`federation.voted`: ids, keys and the
position the cited `delegate.mandated` states in its public body); the mandate in force is the words of
the home decision, wrapped like every mandate (`said`, mandates/acts.py `list_mandates`).
"""

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel, said
from ayllu.core.errors import DomainError
from ayllu.core.federations.mandated import DelegateMandated, mandate_in_force
from ayllu.core.federations.recall_cited import DelegateWithdrawn, RecallCited, recalled_at
from ayllu.core.federations.recall_vote import RecallVoted
from ayllu.core.federations.seats import DelegateSeated
from ayllu.core.federations.voting import BALLOT_CODES as BALLOT_CODES
from ayllu.core.federations.voting import DelegationVoted, list_delegation_ballots
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.core.ledger.record import parse_entry
from ayllu.core.mandates.acts import ABSTAIN
from ayllu.core.meetings.minutes import proposal_title
from ayllu.core.proposals.questions import fitting_choice
from ayllu.storage import models, reads

from .allowed import acts_allowed, as_replay_finds_it
from .cargos import list_bodies
from .citations import get_citation
from .read_types import Words
from .replayed import read_state


@dataclass(frozen=True, slots=True)
class MandateInForceRead(ReadModel):
    """Our mandate in force on a federation question: its position (the home decision's words), the
    decision, the `delegate.mandated` that states it (0: none since the decision) and whether the reader
    may state it now."""

    position: Words
    proposal: int
    stated: int
    may_state: bool


@dataclass(frozen=True, slots=True)
class OurVoiceRead(ReadModel):
    """Our assembly's standing voice on a federation question, from the federation's record: which
    delegate cast it, citing which credential and mandate statement (0: none)."""

    seq: int
    time: int
    question: int
    assembly: str
    key: str
    choice: str
    credential_seq: int
    mandate_seq: int
    position: str
    recast: bool


@dataclass(frozen=True, slots=True)
class MandatedQuestionRead(ReadModel):
    """A federation question: what we mandated, how our delegates cast our voice, and whether that
    voice cites the statement of the mandate in force (`current`)."""

    question: int
    mandate: MandateInForceRead | None
    voice: OurVoiceRead | None
    current: bool


@dataclass(frozen=True, slots=True)
class WithdrawalRead(ReadModel):
    """A credential whose delegate a recall removed: when, the entry that states it for the federation
    (0: none yet), and whether the reader may state it now."""

    credential: int
    member: str
    at: int
    stated: int
    may_state: bool


@dataclass(frozen=True, slots=True)
class FederationMandatesRead(ReadModel):
    """A federation the assembly is represented in: whether this node holds its record, our questions
    there (newest first) and our delegates a recall removed."""

    held: bool
    questions: tuple[MandatedQuestionRead, ...]
    withdrawals: tuple[WithdrawalRead, ...]


@dataclass(frozen=True, slots=True)
class MandateQuestionRead(ReadModel):
    """An open question of a federation a home may decide a mandate on: its proposal's title (a `Said`
    of the federation's record) and the positions that fit its method."""

    question: int
    title: Words
    positions: tuple[str, ...]


def _home_mandates(log: str, *, key: str, now: int) -> dict[str, dict[int, MandateInForceRead]]:
    """Per federation named as a body, the mandates in force on its questions (a mandate's question
    written as the federation question's id), each with the `delegate.mandated` that states it (0: none
    since the decision) and whether the reader may state it now."""

    def read(state: AssemblyState) -> dict[str, dict[int, MandateInForceRead]]:
        state = as_replay_finds_it(state, now=now)
        allows = acts_allowed(state, key=key, now=now) if key else None
        out: dict[str, dict[int, MandateInForceRead]] = {}
        for body in list_bodies(state):
            if not is_hex(body, HEX_KEY_LENGTH):
                continue
            rows = out.setdefault(body, {})
            for (b, question), mandate in state.mandates.items():
                if b != body or not question.isdigit():
                    continue
                number = int(question)
                stated = max(
                    (
                        seq
                        for seq, (fed, q, position) in state.mandates_stated.items()
                        if (fed, q, position) == (body, number, mandate.position) and seq > mandate.seq
                    ),
                    default=0,
                )
                act = DelegateMandated(federation=body, question=number, position=mandate.position)
                rows[number] = MandateInForceRead(
                    position=said(mandate.position, mandate.proposal),
                    proposal=mandate.proposal,
                    stated=stated,
                    may_state=bool(not stated and allows is not None and allows(act)),
                )
        return out

    return read_state(log, read)


def get_mandates_token(log: str) -> str:
    """What changes when a federation assembly `log` is represented in grows (the mandates page's cache
    key: its questions, our delegates' voices there, the open questions its mandate form offers)."""
    bodies = read_state(log, lambda state: [b for b in list_bodies(state) if is_hex(b, HEX_KEY_LENGTH)])
    heads = models.Record.objects.filter(log__in=bodies).order_by("log").values_list("log", "head_seq")
    return ";".join(f"{fed}:{seq}" for fed, seq in heads)


def _our_voices(federation: str, *, home: str) -> dict[int, OurVoiceRead] | None:
    """Our assembly's standing voice on each question of `federation`, where this node holds it."""
    if not models.Record.objects.filter(log=federation).exists():
        return None

    def read(state: AssemblyState) -> dict[int, OurVoiceRead] | None:
        if state.charter is None or state.charter.federation is None:
            return None
        ballots = list_delegation_ballots(state, assembly=home)
        return {b["question"]: OurVoiceRead(**b) for b in ballots if not b["recast"]}

    return read_state(federation, read)


def get_federation_mandates(log: str, *, key: str, now: int) -> dict[str, FederationMandatesRead]:
    """Per federation the assembly is represented in: whether this node holds its record, and per
    question (newest first) our mandate in force and how our delegates cast our voice — `current` when
    the voice cites the statement of the mandate in force."""
    out = {}
    for federation, mandates in _home_mandates(log, key=key, now=now).items():
        voices = _our_voices(federation, home=log)
        rows = []
        for question in sorted(set(mandates) | set(voices or {}), reverse=True):
            mandate, voice = mandates.get(question), (voices or {}).get(question)
            current = bool(mandate and voice and mandate.stated == voice.mandate_seq)
            rows.append(
                MandatedQuestionRead(question=question, mandate=mandate, voice=voice, current=current)
            )
        out[federation] = FederationMandatesRead(
            held=voices is not None,
            questions=tuple(rows),
            withdrawals=_withdrawals(log, federation=federation, key=key, now=now),
        )
    return out


def _withdrawals(log: str, *, federation: str, key: str, now: int) -> tuple[WithdrawalRead, ...]:
    """The credentials for `federation` whose delegate a recall removed: when, the entry that states it
    (0: none yet), and whether the reader may state it now."""

    def read(state: AssemblyState) -> tuple[WithdrawalRead, ...]:
        state = as_replay_finds_it(state, now=now)
        allows = acts_allowed(state, key=key, now=now) if key else None
        rows = []
        for seq, credential in sorted(state.credentials.items(), reverse=True):
            at = recalled_at(state, seq, federation=federation)
            if credential.federation != federation or not at:
                continue
            stated = max(
                (s for s, w in state.withdrawals_stated.items() if w == (federation, seq, at)), default=0
            )
            act = DelegateWithdrawn(federation=federation, credential=seq, at=at)
            may = bool(not stated and allows is not None and allows(act))
            rows.append(
                WithdrawalRead(credential=seq, member=credential.member, at=at, stated=stated, may_state=may)
            )
        return tuple(rows)

    return read_state(log, read)


# --- the federation page's forms: a delegate signs with their home assembly's key ---------------------


def _entry_body(log: str, seq: int) -> dict[str, Any] | None:
    """The public (rule) body of entry `seq` of record `log` held here, as its header signs it."""
    record = reads.get_record(log)
    raw = next(reads.entry_bytes(record, after=seq - 1, upto=seq), None)
    if raw is None:
        return None
    body = reads.replay_bodies(record, [parse_entry(raw)]).get(seq)
    return None if body is None else body.content()


def _cited(log: str, seq: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The citation of entry `seq` of `log` (against the latest checkpoint kept here) and its body; None
    when no checkpoint kept here covers it yet, or its body is not held."""
    try:
        citation = get_citation(log, seq=seq)
    except DomainError:
        return None
    body = _entry_body(log, seq)
    return None if body is None else (citation.as_json(), body)


def _stated_mandate(home: str, *, federation: str, question: int) -> int:
    """The seq of the statement of the home's mandate in force on the question (0: none stated)."""

    def read(state: AssemblyState) -> int:
        position = mandate_in_force(state, federation=federation, question=question)
        decided = state.mandates.get((federation, str(question)))
        return max(
            (
                seq
                for seq, stated in state.mandates_stated.items()
                if stated == (federation, question, position) and decided is not None and seq > decided.seq
            ),
            default=0,
        )

    return read_state(home, read)


def _open_questions(state: AssemblyState, *, now: int) -> list[int]:
    return sorted(
        q.id for q in state.questions.values() if not q.closed_seq and not q.meeting and now <= q.deadline
    )


def _fitting_positions(state: AssemblyState, question: int) -> list[str]:
    """The ballot codes a delegation's vote on `question` may hold: the federation vote's own check."""
    fitting = []
    for code in BALLOT_CODES:
        try:
            fitting_choice(state, state.questions[question], code, seq=0)
        except DomainError:
            continue
        fitting.append(code)
    return fitting


def list_mandate_questions(federation: str, *, now: int) -> list[MandateQuestionRead] | None:
    """The federation's open questions (newest first) a home assembly may decide a mandate on, each with
    its proposal's title (a `Said` of the federation's record: show it as it is shown to an outsider)
    and the positions that fit its method; None when this node does not hold the federation's record."""
    if not models.Record.objects.filter(log=federation).exists():
        return None

    def read(state: AssemblyState) -> list[MandateQuestionRead] | None:
        if state.charter is None or state.charter.federation is None:
            return None
        rows = []
        for question in reversed(_open_questions(state, now=now)):
            positions = _fitting_positions(state, question)
            if positions:
                proposal = state.proposals[state.questions[question].proposal]
                title = proposal_title(proposal)
                rows.append(MandateQuestionRead(question=question, title=title, positions=tuple(positions)))
        return rows

    return read_state(federation, read)


@dataclass(frozen=True, slots=True)
class VoiceFormRead(ReadModel):
    """A voice a standing delegate whose home record is held here may cast now for their assembly: its
    choice, whether their assembly's stated mandate says it (else an abstention), and the whole body
    their home assembly's key signs."""

    assembly: str
    name: str
    key: str
    choice: str
    mandated: bool
    body: str


@dataclass(frozen=True, slots=True)
class VoiceCastRead(ReadModel):
    """The voice an assembly held here has standing on a question: its choice, by which delegate, and
    whether it cites a stated mandate (else the delegate abstained or voted unmandated)."""

    assembly: str
    name: str
    key: str
    choice: str
    mandated: bool
    seq: int


@dataclass(frozen=True, slots=True)
class QuestionFormsRead(ReadModel):
    """An open question of the federation: the voices delegates may cast now (`votes`) and those the
    member assemblies held here have already cast (`cast`); for a recall petition's question, the cargo
    and the holder it would recall (decision 0033; "" otherwise)."""

    question: int
    proposal: int
    votes: tuple[VoiceFormRead, ...]
    cast: tuple[VoiceCastRead, ...]
    recall_cargo: str = ""
    recall_member: str = ""

    def of_home(self, *, home: str, key: str) -> "QuestionFormsRead":
        """The question as one delegate logged in at `home` with `key` sees it: their own forms, their
        assembly's voice."""
        return replace(
            self,
            votes=tuple(v for v in self.votes if v.key == key),
            cast=tuple(c for c in self.cast if c.assembly == home),
        )

    def without_votes(self) -> "QuestionFormsRead":
        """The question as a reader logged in at no member assembly sees it: every assembly's voice cast,
        no vote to cast (each is signed with the key kept for a member assembly)."""
        return replace(self, votes=())


def mandated_voice(
    state: AssemblyState,
    kind: type[DelegationVoted] | type[RecallVoted],
    *,
    fields: dict[str, Any],
    seat: tuple[str, str, int],
    names: dict[str, str],
    federation: str,
    question: int,
    now: int,
) -> VoiceFormRead | None:
    """The voice a standing delegate (`seat`: key, home assembly, credential seq) may cast now on a
    federation question or recall vote (`fields` name it): it cites the credential and, where the home
    assembly stated a mandate on `question`, that statement and its position; without one, an
    abstention. None where the home record is not held here, no checkpoint kept here covers the entries,
    or the core would refuse it."""
    key, assembly, credential_seq = seat
    credential = _cited(assembly, credential_seq) if assembly in names else None
    if credential is None:
        return None
    content: dict[str, Any] = {**fields, "choice": ABSTAIN, "cites": [credential[0]]}
    stated = _stated_mandate(assembly, federation=federation, question=question)
    mandate = _cited(assembly, stated) if stated else None
    if mandate is not None:
        content.update(choice=mandate[1]["position"], mandate=mandate[1])
        content["cites"].append(mandate[0])
    act = kind.parse(content)
    if refusal(state, key=key, act=act, time=now) is not None:
        return None
    return VoiceFormRead(
        assembly=assembly,
        name=names[assembly],
        key=key,
        choice=act.choice,
        mandated=mandate is not None,
        body=canonical_bytes(act.content()).decode("utf-8"),
    )


def standing_seats(state: AssemblyState, *, now: int) -> list[tuple[str, str, int]]:
    """The seats standing at `now`: each delegate's key, home assembly and credential's seq."""
    return [
        (s.key, s.assembly, s.credential[1])
        for m in state.member_assemblies.values()
        for s in m.seats
        if s.stands(now=now)
    ]


def list_delegation_forms(federation: str, *, now: int) -> list[QuestionFormsRead]:
    """Per open question of the federation (newest first), the votes its standing delegates whose home
    records this node holds may cast now (`mandated_voice`), and the voices those assemblies cast."""

    def read(state: AssemblyState) -> tuple[list[int], list[tuple[str, str, int]], AssemblyState]:
        return _open_questions(state, now=now), standing_seats(state, now=now), state

    questions, seats, state = read_state(federation, read)
    members = {a for _, a, _ in seats} | set(state.member_assemblies)
    names = dict(models.Record.objects.filter(log__in=members).values_list("log", "name"))
    standing = [b for b in list_delegation_ballots(state) if not b["recast"] and b["assembly"] in names]
    out = []
    for question in reversed(questions):
        votes = (
            mandated_voice(
                state,
                DelegationVoted,
                fields={"question": question},
                seat=seat,
                names=names,
                federation=federation,
                question=question,
                now=now,
            )
            for seat in seats
        )
        cast = tuple(
            VoiceCastRead(
                assembly=b["assembly"],
                name=names[b["assembly"]],
                key=b["key"],
                choice=b["choice"],
                mandated=bool(b["mandate_seq"]),
                seq=b["seq"],
            )
            for b in standing
            if b["question"] == question
        )
        proposal = state.questions[question].proposal
        recall = state.recall_petitions.get(proposal)
        out.append(
            QuestionFormsRead(
                question=question,
                proposal=proposal,
                votes=tuple(v for v in votes if v is not None),
                cast=cast,
                recall_cargo=recall.cargo if recall is not None else "",
                recall_member=recall.member if recall is not None else "",
            )
        )
    return out


def _members_held(federation: str) -> tuple[AssemblyState, list[tuple[str, str]]]:
    """The federation's state, and its member assemblies whose records this node holds, with their names."""

    def read(state: AssemblyState) -> tuple[list[str], AssemblyState]:
        return sorted(state.member_assemblies), state

    members, state = read_state(federation, read)
    names = dict(models.Record.objects.filter(log__in=members).values_list("log", "name"))
    return state, [(assembly, names[assembly]) for assembly in members if assembly in names]


def _credentials_to_seat(state: AssemblyState, *, federation: str, used: set[int], now: int) -> list[int]:
    return [
        c.seq
        for c in state.credentials.values()
        if c.federation == federation and c.until > now and c.seq not in used
    ]


@dataclass(frozen=True, slots=True)
class SeatFormRead(ReadModel):
    """A seat a credential of a member assembly held here would take now: the whole body its holder
    signs with their home assembly's key."""

    assembly: str
    name: str
    key: str
    credential: int
    until: int
    body: str


@dataclass(frozen=True, slots=True)
class RecallFormRead(ReadModel):
    """A recall a member assembly held here stated and nobody cited yet: the whole body anyone signs."""

    assembly: str
    name: str
    at: int
    body: str


def list_seat_forms(federation: str, *, now: int) -> list[SeatFormRead]:
    """The seats the credentials of member assemblies held here would take now (a credential that names
    this federation and still runs), each as the whole body the credential's signer signs with their
    home assembly's key: the credential's citation and its body. Offered only where the core would
    accept it (a full delegation, a used or ended credential offer nothing)."""

    state, held = _members_held(federation)
    # A credential that already seated a delegate, or that ran out, the core refuses whatever else
    # holds: building its citation (most of the page's cost) would be in vain. The used ones by
    # assembly, gathered once (not once per member: that grew with members times seats).
    used: dict[str, set[int]] = {}
    for issuer, seq in state.seats_by_credential:
        used.setdefault(issuer, set()).add(seq)
    out = []
    for assembly, name in held:
        credentials = read_state(
            assembly,
            partial(_credentials_to_seat, federation=federation, used=used.get(assembly, set()), now=now),
        )
        for seq in sorted(credentials, reverse=True):
            cited = _cited(assembly, seq)
            if cited is None:
                continue
            act = DelegateSeated.parse({"assembly": assembly, "cites": [cited[0]], "credential": cited[1]})
            key = act.citations()[0].header.author
            if refusal(state, key=key, act=act, time=now) is not None:
                continue
            out.append(
                SeatFormRead(
                    assembly=assembly,
                    name=name,
                    key=key,
                    credential=seq,
                    until=cited[1]["until"],
                    body=canonical_bytes(act.content()).decode("utf-8"),
                )
            )
    return out


def list_recall_forms(federation: str, *, now: int) -> list[RecallFormRead]:
    """The recalls member assemblies held here stated for this federation and nobody cited yet, each as
    the whole body anyone may sign (the page offers it with the key kept for that assembly)."""

    state, held = _members_held(federation)
    out = []
    for assembly, name in held:
        stated = read_state(
            assembly, lambda s: [seq for seq, w in s.withdrawals_stated.items() if w[0] == federation]
        )
        for seq in sorted(stated, reverse=True):
            cited = _cited(assembly, seq)
            if cited is None:
                continue
            act = RecallCited.parse({"cites": [cited[0]], "withdrawn": cited[1]})
            if refusal(state, key=ANYONE, act=act, time=now) is not None:
                continue
            body = canonical_bytes(act.content()).decode("utf-8")
            out.append(RecallFormRead(assembly=assembly, name=name, at=cited[1]["at"], body=body))
    return out


# The rule of a recall's citation reads no key: any key asks the core whether it would be accepted.
ANYONE = "0" * 64
